// SPDX-License-Identifier: MIT
/*
 * tmp_bench_stubs.c - weak stand-ins for the page and kmalloc allocators
 * so that the benchmark cases in mm/ link on the tools branch before
 * mm/page_alloc.c and mm/slab.c exist. Each fails (NULL), so the cases
 * report error=ENOMEM. The real allocators override these at link time;
 * delete this file once they have landed.
 */
#include <keel/compiler.h>
#include <keel/slab.h>

__weak void *alloc_pages(gfp_t gfp, unsigned int order)
{
	return NULL;
}

__weak void free_pages(void *addr, unsigned int order)
{
}

__weak void *kmalloc(size_t size, gfp_t gfp)
{
	return NULL;
}

__weak void kfree(const void *p)
{
}
