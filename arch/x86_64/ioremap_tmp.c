// SPDX-License-Identifier: MIT
/*
 * ioremap_tmp.c - TEMPORARY stand-in for the memory branch's ioremap().
 *
 * The boot page tables map the first 4 GiB (where the LAPIC and IOAPIC
 * live) at PAGE_OFFSET, so the direct map is returned. Those mappings
 * are write-back cacheable, not uncached: acceptable under QEMU, wrong on
 * hardware. Remove this file when the real ioremap() lands (see
 * keel/io_tmp.h).
 */
#include <keel/io_tmp.h>
#include <keel/mm.h>

void *ioremap(phys_addr_t phys, size_t size)
{
	(void)size;
	return phys_to_virt(phys);
}
