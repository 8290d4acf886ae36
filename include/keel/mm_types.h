/* SPDX-License-Identifier: MIT */
/*
 * keel/mm_types.h - struct page and the page allocator's page-level
 * calls, for mm and the arch page-table code (arch/x86_64/mmu.c keeps
 * its page-table pages on lists through page->lru).
 *
 * Every physical page frame below max_pfn has a struct page in
 * mem_map[]. Its flags (mm/internal.h) say who owns the frame; a page's
 * owner may use lru while it holds the page. The other fields belong to
 * mm.
 */
#ifndef _KEEL_MM_TYPES_H
#define _KEEL_MM_TYPES_H

#include <keel/list.h>
#include <keel/mm.h>

struct kmem_cache;

struct page {
	struct list_head lru;	  /* buddy free list or slab list */
	struct kmem_cache *cache; /* PG_slab: owning cache */
	union {
		u32 freelist; /* PG_slab head: first free offset */
		u32 mapcount; /* a user page: mms mapping it (mm/memory.c) */
	};
	u16 inuse;		  /* PG_slab head: objects allocated */
	u8 order;		  /* PG_buddy, PG_head: block order */
	u8 flags;
};

extern struct page *mem_map;
extern unsigned long max_pfn;

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
 * Page allocator without fault injection (the slab layer's refills,
 * page tables): 2^order pages, the head page or NULL. Never sleeps.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

#endif
