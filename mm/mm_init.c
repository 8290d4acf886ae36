// SPDX-License-Identifier: MIT
/*
 * mm_init.c - bringing memory management up, and its summary counters.
 *
 * The order matters: bootmem first (it knows what RAM is free), then the
 * struct page array and the final page tables, both carved from bootmem,
 * then the buddy allocator takes every page bootmem did not hand out,
 * then the kmalloc caches. Everything after mm_init() may kmalloc.
 */
#include <keel/kasan.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/slab.h>

#include "internal.h"

/*
 * Bring memory management up. Requires boot_info (arch_boot_parse) and
 * the boot page tables; runs once on the boot CPU with interrupts off.
 * Panics only if bootmem cannot hold the metadata.
 */
void mm_init(void)
{
	bootmem_init();		   /* RAM minus kernel, modules, 1 MiB */
	page_alloc_init();	   /* struct page array */
	mmu_init();		   /* final page tables, CR3 switch */
	page_alloc_free_bootmem(); /* buddy allocator takes over */
	kasan_init();		   /* KASAN=1: shadow memory, checks on */
	kmem_cache_init();	   /* kmalloc size classes */
	pr_info("mm: %lu pages (%lu MiB) managed, %lu free\n", nr_total_pages(),
		nr_total_pages() >> (20 - PAGE_SHIFT), nr_free_pages());
}

/* Exact counters for the ktest leak check; no lock held across both. */
void mm_usage_get(struct mm_usage *u)
{
	kasan_quarantine_drain(); /* freed objects count as freed */
	u->free_pages = nr_free_pages();
	slab_usage(&u->slab_objects, &u->slab_bytes);
}

void mm_show_info(void)
{
	page_alloc_show_info();
	slab_show_info();
}

static int cmd_meminfo(int argc, char **argv)
{
	mm_show_info();
	return 0;
}
MONITOR_CMD(meminfo, NULL, "free/used pages, kmalloc caches", 0, 0,
	    cmd_meminfo);
