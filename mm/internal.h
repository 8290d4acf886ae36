/* SPDX-License-Identifier: MIT */
/*
 * mm/internal.h - what the files of mm/ share but nobody else should
 * use: the page flags, zones, the slab layer's bring-up and the
 * fault-injection hook. What arch code may use is public:
 * keel/mm_types.h (struct page, mem_map, __alloc_pages) and
 * keel/bootmem.h (the early boot allocator).
 *
 * A struct page's flags say who owns the frame:
 *
 *   PG_reserved   never handed out (kernel image, holes, firmware, the
 *                 first 1 MiB, boot modules, mm metadata, boot page tables)
 *   PG_buddy      first page of a free block of 2^order pages
 *   PG_head       first page of a block alloc_pages() returned (order set)
 *   PG_slab       part of a slab of cache `cache` (mm/slab.c)
 *   PG_large      head of a kmalloc allocation too large for a cache
 *
 * Pages inside a free or allocated block other than the first carry no
 * flags. The buddy allocator's lock protects flags, order and lru of free
 * pages; a page's owner protects it while allocated.
 */
#ifndef _MM_INTERNAL_H
#define _MM_INTERNAL_H

#include <keel/bootmem.h>
#include <keel/list.h>
#include <keel/mm.h>
#include <keel/mm_types.h>
#include <keel/sched.h>

#define PG_reserved 0x01
#define PG_buddy    0x02
#define PG_head	    0x04
#define PG_slab	    0x08
#define PG_large    0x10

#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define DMA32_LIMIT_PFN PFN_DOWN(0x100000000ULL)

enum zone_type { ZONE_DMA32, ZONE_NORMAL, NR_ZONES };

/* A zone's free and managed page counts (for tests and statistics). */
unsigned long zone_free_pages(enum zone_type zt);
unsigned long zone_managed_pages(enum zone_type zt);

/* Buddy allocator bring-up: metadata array, then the free lists. */
void page_alloc_init(void);
void page_alloc_free_bootmem(void);
void page_alloc_show_info(void);
/* Number of free_pages() calls refused as invalid or double frees. */
unsigned long page_alloc_bad_frees(void);

/* Slab bring-up and its share of mm_usage_get()/mm_show_info(). */
void kmem_cache_init(void);
void slab_usage(unsigned long *objects, unsigned long *bytes);
void slab_show_info(void);
/* Number of kfree()/kmem_cache_free() calls refused as invalid. */
unsigned long slab_bad_frees(void);

/* GFP_KERNEL may sleep: refused in atomic context (keel/mm.h). */
static inline void gfp_might_sleep(gfp_t gfp)
{
	if (!(gfp & __GFP_ATOMIC))
		might_sleep();
}

/* Fault injection (mm/failslab.c): true if this allocation must fail. */
bool should_fail_alloc(gfp_t gfp);

#endif
