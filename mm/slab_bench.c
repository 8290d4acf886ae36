// SPDX-License-Identifier: MIT
/*
 * slab_bench.c - benchmarks of kmalloc (bench=1).
 *
 * kmalloc_kfree_64 and kmalloc_kfree_4096: one kmalloc() + kfree() pair
 * per iteration. 64 bytes comes from a size-class cache; 4096 bytes is
 * above KMALLOC_MAX_CACHE_SIZE and goes to the page allocator.
 */
#include <keel/bench.h>
#include <keel/errno.h>
#include <keel/slab.h>

static int kmalloc_kfree(struct bench *b, size_t size)
{
	for (u64 i = 0; i < b->iters; i++) {
		void *p = kmalloc(size, GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		kfree(p);
	}
	return 0;
}

static int kmalloc_kfree_64(struct bench *b)
{
	return kmalloc_kfree(b, 64);
}
BENCH_CASE(kmalloc_kfree_64, kmalloc_kfree_64, 100000);

static int kmalloc_kfree_4096(struct bench *b)
{
	return kmalloc_kfree(b, 4096);
}
BENCH_CASE(kmalloc_kfree_4096, kmalloc_kfree_4096, 100000);
