// SPDX-License-Identifier: MIT
/*
 * page_alloc_bench.c - benchmarks of the buddy allocator (bench=1).
 *
 * page_alloc_free_order0: one alloc_page() + free_page() pair per
 * iteration, the allocator's fast path when a free order-0 page exists.
 */
#include <keel/bench.h>
#include <keel/errno.h>
#include <keel/mm.h>

static int page_alloc_free_order0(struct bench *b)
{
	for (u64 i = 0; i < b->iters; i++) {
		void *p = alloc_page(GFP_KERNEL);

		if (!p)
			return -ENOMEM;
		free_page(p);
	}
	return 0;
}
BENCH_CASE(page_alloc_free_order0, page_alloc_free_order0, 100000);
