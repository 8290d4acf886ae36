/* SPDX-License-Identifier: MIT */
/*
 * keel/bootmem.h - the early boot allocator (mm/bootmem.c), for mm and
 * the arch code that runs before the buddy allocator (Linux's memblock).
 *
 * It hands out physical memory from RAM minus everything that must never
 * be handed out. Single-threaded boot only, no locking; once the buddy
 * allocator has taken the free ranges (bootmem_release()) it is unusable.
 */
#ifndef _KEEL_BOOTMEM_H
#define _KEEL_BOOTMEM_H

#include <keel/types.h>

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

/*
 * Kernel page tables (arch): built from bootmem, then switched to.
 * Called by mm_init() after bootmem_init().
 */
void mmu_init(void);

#endif
