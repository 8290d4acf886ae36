// SPDX-License-Identifier: MIT
/*
 * page_alloc.c - the buddy allocator for physical page frames.
 *
 * Free memory is kept in blocks of 2^order pages (order 0..MAX_ORDER),
 * each naturally aligned, on one free list per order and per zone:
 * DMA32 (frames below 4 GiB) and NORMAL (above). Allocation takes the
 * smallest free block that fits and splits it, putting the upper halves
 * back on the lower lists; freeing merges a block with its buddy (the
 * block whose frame number differs only in bit `order`) for as long as
 * the buddy is free and of the same order. 4 GiB is 4 MiB aligned, so a
 * block never straddles two zones.
 *
 * The metadata is the struct page array mem_map[] (mm/internal.h), taken
 * from bootmem before the allocator starts; free lists link the struct
 * pages, never the free memory itself. free_pages() checks its argument
 * against that metadata, so a wrong pointer, a wrong order or a double
 * free is refused with a warning instead of corrupting the lists.
 *
 * One spinlock (irqsave) protects all zones.
 */
#include <keel/bug.h>
#include <keel/kasan.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/string.h>

#include "internal.h"

struct free_area {
	struct list_head blocks;
	unsigned long nr_blocks;
};

struct zone {
	const char *name;
	unsigned long managed; /* pages given to the allocator */
	unsigned long free;    /* pages on the free lists */
	struct free_area area[MAX_ORDER + 1];
};

struct page *mem_map;
unsigned long max_pfn;

static struct zone zones[NR_ZONES] = {
	[ZONE_DMA32] = { .name = "DMA32" },
	[ZONE_NORMAL] = { .name = "Normal" },
};
static DEFINE_SPINLOCK(zone_lock);
static unsigned long bad_frees;

static struct zone *pfn_zone(unsigned long pfn)
{
	return &zones[pfn < DMA32_LIMIT_PFN ? ZONE_DMA32 : ZONE_NORMAL];
}

struct page *virt_to_page(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	if (va < PAGE_OFFSET || va >= VMAP_BASE)
		return NULL;
	if (PFN_DOWN(va - PAGE_OFFSET) >= max_pfn)
		return NULL;
	return &mem_map[PFN_DOWN(va - PAGE_OFFSET)];
}

/* Put a block on its free list. */
static void add_free_block(struct zone *z, struct page *page,
			   unsigned int order)
{
	lockdep_assert_held(&zone_lock);

	page->flags = PG_buddy;
	page->order = order;
	list_add(&page->lru, &z->area[order].blocks);
	z->area[order].nr_blocks++;
}

static void del_free_block(struct zone *z, struct page *page,
			   unsigned int order)
{
	lockdep_assert_held(&zone_lock);

	list_del_init(&page->lru);
	page->flags = 0;
	z->area[order].nr_blocks--;
}

/*
 * Take a block of 2^order pages from zone z, splitting a larger one if
 * needed. Returns its head page (flags PG_head) or NULL.
 */
static struct page *zone_alloc(struct zone *z, unsigned int order)
{
	struct page *page;
	unsigned int o;

	lockdep_assert_held(&zone_lock);
	for (o = order; o <= MAX_ORDER; o++)
		if (!list_empty(&z->area[o].blocks))
			break;
	if (o > MAX_ORDER)
		return NULL;
	page = list_first_entry(&z->area[o].blocks, struct page, lru);
	del_free_block(z, page, o);
	while (o > order) {
		o--;
		add_free_block(z, page + (1UL << o), o);
	}
	z->free -= 1UL << order;
	page->flags = PG_head;
	page->order = order;
	return page;
}

/*
 * Return the block at pfn to zone z, merging it with free buddies.
 * Requires that the block is not free already.
 */
static void zone_free(struct zone *z, unsigned long pfn, unsigned int order)
{
	lockdep_assert_held(&zone_lock);

	z->free += 1UL << order;
	while (order < MAX_ORDER) {
		unsigned long buddy = pfn ^ (1UL << order);

		if (buddy >= max_pfn || mem_map[buddy].flags != PG_buddy ||
		    mem_map[buddy].order != order)
			break;
		del_free_block(z, &mem_map[buddy], order);
		pfn &= ~(1UL << order);
		order++;
	}
	add_free_block(z, &mem_map[pfn], order);
}

/*
 * Allocate 2^order contiguous pages, without fault injection. Tries
 * NORMAL first unless __GFP_DMA32 asks for memory below 4 GiB. Returns
 * the head page or NULL. Takes zone_lock.
 */
struct page *__alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page = NULL;
	unsigned long flags;
	int zi;

	if (order > MAX_ORDER)
		return NULL;
	spin_lock_irqsave(&zone_lock, flags);
	for (zi = NR_ZONES - 1; zi >= 0 && !page; zi--)
		if (zi == ZONE_DMA32 || !(gfp & __GFP_DMA32))
			page = zone_alloc(&zones[zi], order);
	spin_unlock_irqrestore(&zone_lock, flags);
	if (page)
		kasan_unpoison(page_address(page), PAGE_SIZE << order);
	if (page && (gfp & __GFP_ZERO))
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

/*
 * Returns the direct-map address of 2^order zeroed (__GFP_ZERO) pages,
 * or NULL if no block is free, order > MAX_ORDER or failslab says so.
 */
void *alloc_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	gfp_might_sleep(gfp);
	if (should_fail_alloc(gfp))
		return NULL;
	page = __alloc_pages(gfp, order);
	return page ? page_address(page) : NULL;
}

/* Is page the head of a live alloc_pages() block of this order? */
static bool valid_alloc_head(const struct page *page, unsigned int order)
{
	return page && order <= MAX_ORDER && page->flags == PG_head &&
	       page->order == order;
}

/*
 * Free a block __alloc_pages() returned. An invalid block (wrong order,
 * not allocated, still marked slab) is refused with a warning and
 * counted. Takes zone_lock.
 */
void __free_pages(struct page *page, unsigned int order)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_lock, flags);
	if (WARN_ON_ONCE(!valid_alloc_head(page, order))) {
		bad_frees++;
		spin_unlock_irqrestore(&zone_lock, flags);
		return;
	}
	if (KEEL_LOCKDEP)
		lockdep_free_range(page_address(page), PAGE_SIZE << order);
	kasan_poison(page_address(page), PAGE_SIZE << order, KASAN_PAGE_FREE);
	page->flags = 0;
	zone_free(pfn_zone(page_to_pfn(page)), page_to_pfn(page), order);
	spin_unlock_irqrestore(&zone_lock, flags);
}

/*
 * Free what alloc_pages(gfp, order) returned; addr NULL does nothing.
 * A pointer that is not such a block, or a second free, is refused
 * with a warning and leaves the allocator untouched.
 */
void free_pages(void *addr, unsigned int order)
{
	struct page *page = virt_to_page(addr);

	if (!addr)
		return;
	if (!IS_ALIGNED((unsigned long)addr, PAGE_SIZE))
		page = NULL;
	__free_pages(page, order);
}

unsigned long page_alloc_bad_frees(void)
{
	return READ_ONCE(bad_frees);
}

unsigned long nr_free_pages(void)
{
	return READ_ONCE(zones[ZONE_DMA32].free) +
	       READ_ONCE(zones[ZONE_NORMAL].free);
}

unsigned long zone_free_pages(enum zone_type zt)
{
	return READ_ONCE(zones[zt].free);
}

unsigned long zone_managed_pages(enum zone_type zt)
{
	return zones[zt].managed;
}

unsigned long nr_total_pages(void)
{
	return zones[ZONE_DMA32].managed + zones[ZONE_NORMAL].managed;
}

/*
 * Allocate mem_map[] from bootmem, every page reserved. Requires
 * bootmem_init(); runs once at boot.
 */
void page_alloc_init(void)
{
	max_pfn = bootmem_max_pfn();
	mem_map = phys_to_virt(bootmem_alloc(max_pfn * sizeof(struct page)));
	for (unsigned long pfn = 0; pfn < max_pfn; pfn++) {
		INIT_LIST_HEAD(&mem_map[pfn].lru);
		mem_map[pfn].flags = PG_reserved;
	}
	for (int zi = 0; zi < NR_ZONES; zi++)
		for (int o = 0; o <= MAX_ORDER; o++)
			INIT_LIST_HEAD(&zones[zi].area[o].blocks);
}

/* Hand frames [start, end) to the buddy lists in aligned blocks. */
static void free_boot_range(unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = MAX_ORDER;
		struct zone *z = pfn_zone(start);

		while (!IS_ALIGNED(start, 1UL << order) ||
		       start + (1UL << order) > end)
			order--;
		for (unsigned long i = 0; i < (1UL << order); i++)
			mem_map[start + i].flags = 0;
		z->managed += 1UL << order;
		zone_free(z, start, order);
		start += 1UL << order;
	}
}

unsigned long free_reserved_area(void *start, void *end)
{
	unsigned long first = PFN_UP(virt_to_phys(start));
	unsigned long last = PFN_DOWN(virt_to_phys(end));
	unsigned long flags, n = 0;

	spin_lock_irqsave(&zone_lock, flags);
	for (unsigned long pfn = first; pfn < last && pfn < max_pfn; pfn++) {
		if (WARN_ON_ONCE(mem_map[pfn].flags != PG_reserved))
			continue;
		free_boot_range(pfn, pfn + 1);
		n++;
	}
	spin_unlock_irqrestore(&zone_lock, flags);
	return n;
}

/*
 * Move everything bootmem still has to the buddy allocator; bootmem is
 * closed afterwards. Runs once at boot, after the page tables are built.
 */
void page_alloc_free_bootmem(void)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_lock, flags);
	bootmem_release(free_boot_range);
	spin_unlock_irqrestore(&zone_lock, flags);
}

/* Print each zone's size and free blocks per order. Takes zone_lock. */
void page_alloc_show_info(void)
{
	unsigned long flags;

	spin_lock_irqsave(&zone_lock, flags);
	for (int zi = 0; zi < NR_ZONES; zi++) {
		struct zone *z = &zones[zi];

		if (!z->managed)
			continue;
		monitor_printf("zone %-6s: %lu pages, %lu free (%lu KiB)\n",
			       z->name, z->managed, z->free,
			       z->free << (PAGE_SHIFT - 10));
		monitor_printf("  free blocks by order:");
		for (int o = 0; o <= MAX_ORDER; o++)
			monitor_printf(" %lu", z->area[o].nr_blocks);
		monitor_printf("\n");
	}
	monitor_printf("bad frees refused: %lu\n", bad_frees);
	spin_unlock_irqrestore(&zone_lock, flags);
}
