// SPDX-License-Identifier: MIT
/*
 * dma.c - coherent DMA memory (keel/dma.h): zeroed pages below 4 GiB
 * from the buddy allocator; the device address is the physical one.
 */
#include <keel/dma.h>

static unsigned int size_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

void *dma_alloc_coherent(size_t size, dma_addr_t *handle, gfp_t gfp)
{
	void *p;

	if (!size)
		return NULL;
	p = alloc_pages(gfp | __GFP_ZERO | __GFP_DMA32, size_order(size));
	if (p)
		*handle = virt_to_phys(p);
	return p;
}

void dma_free_coherent(size_t size, void *cpu_addr, dma_addr_t handle)
{
	(void)handle;
	if (cpu_addr)
		free_pages(cpu_addr, size_order(size));
}
