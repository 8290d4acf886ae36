/* SPDX-License-Identifier: MIT */
/*
 * keel/mm.h - physical pages and the direct map.
 *
 * Physical memory is handed out by a buddy allocator (mm/page_alloc.c) in
 * blocks of 2^order pages, order 0..MAX_ORDER, from two zones: DMA32
 * (below 4 GiB) and NORMAL (above). Pages are returned as direct-map
 * virtual addresses (PAGE_OFFSET + phys). All allocation can fail and
 * returns NULL; nothing here panics on exhaustion.
 */
#ifndef _KEEL_MM_H
#define _KEEL_MM_H

#include <asm/layout.h>
#include <keel/types.h>

#define MAX_ORDER 10 /* largest block: 2^10 pages = 4 MiB */

/*
 * An allocation without __GFP_ATOMIC (GFP_KERNEL) may sleep, as in
 * Linux: in atomic context (a spinlock held, preemption or interrupts
 * off, an IRQ handler) it is refused with a panic ("sleeping function
 * called from invalid context"), whether or not it would have slept.
 * Atomic context must use GFP_ATOMIC.
 */
typedef unsigned int gfp_t;
#define __GFP_ZERO	    0x1U /* zero the memory */
#define __GFP_DMA32	    0x2U /* physical address below 4 GiB */
#define __GFP_ATOMIC	    0x4U /* caller cannot sleep (see below) */
#define __GFP_NOFAIL_INJECT 0x8U /* exempt from fault injection */
#define GFP_KERNEL	    0U
#define GFP_ATOMIC	    __GFP_ATOMIC
#define GFP_DMA32	    __GFP_DMA32

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Direct-map or kernel-image address to physical. */
phys_addr_t virt_to_phys(const void *addr);

/* Early allocator/page tables setup; then the buddy allocator. */
void mm_init(void);

void *alloc_pages(gfp_t gfp, unsigned int order);
void free_pages(void *addr, unsigned int order);
static inline void *alloc_page(gfp_t gfp)
{
	return alloc_pages(gfp, 0);
}
static inline void free_page(void *addr)
{
	free_pages(addr, 0);
}

unsigned long nr_free_pages(void);
/*
 * Give the whole pages of [start, end) (direct-map addresses of memory
 * bootmem kept reserved, such as the initrd) to the page allocator.
 * Pages not reserved are left alone (WARN). Returns the pages freed.
 */
unsigned long free_reserved_area(void *start, void *end);
unsigned long nr_total_pages(void);

/* Counters a test compares before and after to find leaks. */
struct mm_usage {
	unsigned long free_pages;
	unsigned long slab_objects; /* live kmalloc/kmem_cache objects */
	unsigned long slab_bytes;
};
void mm_usage_get(struct mm_usage *u);

/* Print zones, free counts per order and slab statistics (monitor). */
void mm_show_info(void);

#endif
