// SPDX-License-Identifier: MIT
/*
 * bootmem.c - the allocator that exists before the buddy allocator.
 *
 * mm_init() needs memory before it can run the buddy allocator: for the
 * struct page array and for the kernel page tables. bootmem keeps a short
 * list of free page-frame ranges: the RAM regions of the boot memory map
 * minus the first 1 MiB, the kernel image and the boot modules (initrd).
 * bootmem_alloc() carves from the lowest range below 4 GiB (what the boot
 * page tables map). One usable page of the first 1 MiB is set aside for
 * the SMP start-up trampoline (application processors begin in real
 * mode, which only reaches that far): bootmem_trampoline_page(). When
 * the buddy allocator takes over, what is still free is handed to it
 * (bootmem_release) and everything bootmem gave out stays reserved
 * forever.
 *
 * Runs single-threaded at boot: no locking.
 */
#include <asm/layout.h>
#include <keel/boot.h>
#include <keel/bug.h>
#include <keel/printk.h>
#include <keel/string.h>

#include "internal.h"

#define MAX_RANGES   (2 * BOOT_MAX_REGIONS + BOOT_MAX_MODULES + 4)
#define LOW_RESERVED 0x100000ULL /* real-mode area, BIOS, page 0 */

struct pfn_range {
	unsigned long start, end; /* page frames [start, end) */
};

extern char _kernel_start[], _kernel_end[];

static struct pfn_range ranges[MAX_RANGES];
static unsigned int nr_ranges;
static unsigned long highest_pfn;
static bool released;
static phys_addr_t trampoline_page;

/* The highest RAM page below 1 MiB, page 0 (real-mode IVT, BDA) aside. */
static void pick_trampoline_page(void)
{
	for (unsigned int i = 0; i < boot_info.nr_regions; i++) {
		const struct boot_mem_region *r = &boot_info.regions[i];
		u64 start = ALIGN_UP(max(r->base, (u64)PAGE_SIZE), PAGE_SIZE);
		u64 end = ALIGN_DOWN(min(r->base + r->len, LOW_RESERVED),
				     PAGE_SIZE);

		if (r->type == BOOT_MEM_RAM && end > start &&
		    end - PAGE_SIZE > trampoline_page)
			trampoline_page = end - PAGE_SIZE;
	}
}

static void add_range(unsigned long start, unsigned long end)
{
	if (start >= end)
		return;
	if (nr_ranges == MAX_RANGES) {
		pr_warn("bootmem: too many ranges, ignoring %#lx-%#lx\n", start,
			end);
		return;
	}
	ranges[nr_ranges++] = (struct pfn_range){ start, end };
}

/* Remove frames [start, end) from every free range (may split one). */
static void reserve_pfns(unsigned long start, unsigned long end)
{
	unsigned int n = nr_ranges;

	for (unsigned int i = 0; i < n; i++) {
		struct pfn_range r = ranges[i];

		if (end <= r.start || start >= r.end)
			continue;
		ranges[i].end = max(r.start, start);
		add_range(min(end, r.end), r.end);
	}
}

static void reserve_phys(u64 base, u64 len)
{
	if (len)
		reserve_pfns(PFN_DOWN(base), PFN_UP(base + len));
}

/*
 * Build the free ranges from boot_info. Requires boot_info parsed
 * (arch_boot_parse) and the boot page tables.
 */
void bootmem_init(void)
{
	for (unsigned int i = 0; i < boot_info.nr_regions; i++) {
		const struct boot_mem_region *r = &boot_info.regions[i];
		unsigned long end = PFN_DOWN(r->base + r->len);

		if (r->type != BOOT_MEM_RAM)
			continue;
		add_range(PFN_UP(r->base), end);
		highest_pfn = max(highest_pfn, end);
	}
	pick_trampoline_page();
	reserve_phys(0, LOW_RESERVED); /* the trampoline page is in here */
	reserve_phys((u64)(_kernel_start - KERNEL_VMA),
		     (u64)(_kernel_end - _kernel_start));
	for (unsigned int i = 0; i < boot_info.nr_modules; i++)
		reserve_phys(boot_info.modules[i].base,
			     boot_info.modules[i].len);
}

phys_addr_t bootmem_trampoline_page(void)
{
	return trampoline_page;
}

unsigned long bootmem_max_pfn(void)
{
	return highest_pfn;
}

/*
 * Returns the physical address of size bytes (rounded up to pages),
 * page aligned and zeroed, below 4 GiB. Panics if memory is short: this
 * runs before anything could recover. Requires bootmem_init() and no
 * bootmem_release() yet.
 */
phys_addr_t bootmem_alloc(size_t size)
{
	unsigned long pages = PFN_UP(size);

	BUG_ON(released);
	for (unsigned int i = 0; i < nr_ranges; i++) {
		struct pfn_range *r = &ranges[i];
		phys_addr_t pa;

		if (r->end - r->start < pages ||
		    r->start + pages > DMA32_LIMIT_PFN)
			continue;
		pa = (phys_addr_t)r->start << PAGE_SHIFT;
		r->start += pages;
		memset(phys_to_virt(pa), 0, pages << PAGE_SHIFT);
		return pa;
	}
	panic("bootmem: out of memory allocating %zu bytes", size);
}

void bootmem_release(void (*fn)(unsigned long start, unsigned long end))
{
	released = true;
	for (unsigned int i = 0; i < nr_ranges; i++)
		if (ranges[i].start < ranges[i].end)
			fn(ranges[i].start, ranges[i].end);
}
