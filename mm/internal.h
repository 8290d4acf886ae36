/* SPDX-License-Identifier: MIT */
/*
 * mm/internal.h - what the files of mm/ (and arch mmu code) share but
 * nobody else should use: the per-page metadata array, the early boot
 * allocator and the fault-injection hook.
 *
 * Every physical page frame below max_pfn has a struct page in mem_map[].
 * Its flags say who owns the frame:
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

#include <keel/list.h>
#include <keel/mm.h>
#include <keel/sched.h>

#define PG_reserved 0x01
#define PG_buddy    0x02
#define PG_head	    0x04
#define PG_slab	    0x08
#define PG_large    0x10

struct kmem_cache;

struct page {
	struct list_head lru;	  /* buddy free list or slab list */
	struct kmem_cache *cache; /* PG_slab: owning cache */
	u32 freelist;		  /* PG_slab head: first free offset */
	u16 inuse;		  /* PG_slab head: objects allocated */
	u8 order;		  /* PG_buddy, PG_head: block order */
	u8 flags;
};

extern struct page *mem_map;
extern unsigned long max_pfn;

#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define DMA32_LIMIT_PFN PFN_DOWN(0x100000000ULL)

static inline unsigned long page_to_pfn(const struct page *p)
{
	return p - mem_map;
}

static inline void *page_address(const struct page *p)
{
	return phys_to_virt((phys_addr_t)page_to_pfn(p) << PAGE_SHIFT);
}

/* The struct page of a direct-map address, or NULL if it has none. */
struct page *virt_to_page(const void *addr);

/*
 * Early boot allocator (mm/bootmem.c): hands out physical memory before
 * the buddy allocator exists, from RAM minus everything that must never
 * be handed out. Single-threaded boot only, no locking.
 */
void bootmem_init(void);
/* Zeroed, page-aligned memory below 4 GiB; panics if there is none. */
phys_addr_t bootmem_alloc(size_t size);
/*
 * A RAM page below 1 MiB that is never handed out, for the real-mode
 * start-up code of the other CPUs; 0 if the memory map has none.
 */
phys_addr_t bootmem_trampoline_page(void);
/* End of the highest RAM page frame (exclusive). */
unsigned long bootmem_max_pfn(void);
/*
 * Call fn for each range [start, end) of page frames still free; called
 * once, when the buddy allocator takes over (bootmem is unusable after).
 */
void bootmem_release(void (*fn)(unsigned long start, unsigned long end));

enum zone_type { ZONE_DMA32, ZONE_NORMAL, NR_ZONES };

/* A zone's free and managed page counts (for tests and statistics). */
unsigned long zone_free_pages(enum zone_type zt);
unsigned long zone_managed_pages(enum zone_type zt);

/* Page allocator without fault injection (for the slab layer's refills). */
struct page *__alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);
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

/* Kernel page tables (arch): built from bootmem, then switched to. */
void mmu_init(void);

#endif
