// SPDX-License-Identifier: MIT
/*
 * pvh.c - read the PVH hand-off (struct hvm_start_info, Xen's public
 * arch-x86/hvm/start_info.h layout) into struct boot_info: the e820-style
 * memory map, the command line, the modules (QEMU's -initrd arrives as
 * module 0) and the ACPI RSDP. Runs on the boot page tables, where the
 * first 4 GiB are reachable through the direct map.
 */
#include <asm/layout.h>
#include <keel/boot.h>
#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/string.h>

#define HVM_START_MAGIC 0x336ec578
#define BOOT_MAP_LIMIT	0x100000000ULL /* what boot.S maps */

struct hvm_start_info {
	u32 magic;
	u32 version;
	u32 flags;
	u32 nr_modules;
	u64 modlist_paddr;
	u64 cmdline_paddr;
	u64 rsdp_paddr;
	u64 memmap_paddr; /* version >= 1 */
	u32 memmap_entries;
	u32 reserved;
} __packed;

struct hvm_modlist_entry {
	u64 paddr;
	u64 size;
	u64 cmdline_paddr;
	u64 reserved;
} __packed;

struct hvm_memmap_entry {
	u64 addr;
	u64 size;
	u32 type;
	u32 reserved;
} __packed;

struct boot_info boot_info;

/* Only addresses the boot tables map may be dereferenced this early. */
static const void *early_phys(u64 phys, u64 len)
{
	if (!phys || phys + len > BOOT_MAP_LIMIT || phys + len < phys)
		return NULL;
	return (const void *)(PAGE_OFFSET + phys);
}

static void copy_string(char *dst, size_t size, u64 phys)
{
	const char *s = early_phys(phys, 1);

	dst[0] = '\0';
	if (s)
		strlcpy(dst, s, size);
}

static void parse_memmap(const struct hvm_start_info *si)
{
	const struct hvm_memmap_entry *e;
	unsigned int n = si->memmap_entries;

	if (n > BOOT_MAX_REGIONS)
		n = BOOT_MAX_REGIONS;
	e = early_phys(si->memmap_paddr, n * sizeof(*e));
	if (!e)
		return;
	for (unsigned int i = 0; i < n; i++) {
		struct boot_mem_region *r = &boot_info.regions[i];

		r->base = e[i].addr;
		r->len = e[i].size;
		r->type = e[i].type;
		if (r->type == BOOT_MEM_RAM)
			boot_info.ram_bytes += r->len;
	}
	boot_info.nr_regions = n;
}

static void parse_modules(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *m;
	unsigned int n = min(si->nr_modules, (u32)BOOT_MAX_MODULES);

	m = early_phys(si->modlist_paddr, n * sizeof(*m));
	if (!m)
		return;
	for (unsigned int i = 0; i < n; i++) {
		boot_info.modules[i].base = m[i].paddr;
		boot_info.modules[i].len = m[i].size;
		copy_string(boot_info.modules[i].cmdline,
			    sizeof(boot_info.modules[i].cmdline),
			    m[i].cmdline_paddr);
	}
	boot_info.nr_modules = n;
}

int arch_boot_parse(u64 info_phys)
{
	const struct hvm_start_info *si = early_phys(info_phys, sizeof(*si));

	if (!si || si->magic != HVM_START_MAGIC)
		return -EINVAL;
	boot_info.loader = "PVH";
	copy_string(boot_cmdline, sizeof(boot_cmdline), si->cmdline_paddr);
	boot_info.rsdp_phys = si->rsdp_paddr;
	if (si->version >= 1)
		parse_memmap(si);
	parse_modules(si);
	return boot_info.nr_regions ? 0 : -ENODATA;
}

const char *boot_mem_type_name(u32 type)
{
	switch (type) {
	case BOOT_MEM_RAM: return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI: return "ACPI data";
	case BOOT_MEM_NVS: return "ACPI NVS";
	case BOOT_MEM_UNUSABLE: return "unusable";
	default: return "unknown";
	}
}
