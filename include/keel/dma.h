/* SPDX-License-Identifier: MIT */
/*
 * keel/dma.h - memory a device reads and writes by DMA.
 *
 * On x86 under keel, DMA is cache-coherent and there is no IOMMU, so a
 * device address is the physical address of the buffer and "coherent"
 * memory is ordinary write-back RAM: CPU and device see each other's
 * writes without cache maintenance. Ordering still matters: a driver
 * fills a descriptor, then dma_wmb(), then tells the device (an MMIO
 * write); it reads a descriptor's status, then dma_rmb(), then the rest.
 * x86 keeps stores in order and loads in order, so both are compiler
 * barriers here.
 */
#ifndef _KEEL_DMA_H
#define _KEEL_DMA_H

#include <keel/mm.h>

typedef u64 dma_addr_t;

#define dma_wmb() barrier()
#define dma_rmb() barrier()

/*
 * size bytes (rounded up to pages) of zeroed memory below 4 GiB; the
 * device address in *handle. NULL if memory is short.
 */
void *dma_alloc_coherent(size_t size, dma_addr_t *handle, gfp_t gfp);
/* Free what dma_alloc_coherent returned (same size). NULL: no-op. */
void dma_free_coherent(size_t size, void *cpu_addr, dma_addr_t handle);

#endif
