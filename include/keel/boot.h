/* SPDX-License-Identifier: MIT */
/*
 * keel/boot.h - what the boot loader told us, in arch-neutral form.
 * Filled by the arch entry code (arch/x86_64/pvh.c) before anything else
 * runs; read-only afterwards.
 */
#ifndef _KEEL_BOOT_H
#define _KEEL_BOOT_H

#include <keel/types.h>

enum boot_mem_type {
	BOOT_MEM_RAM = 1,
	BOOT_MEM_RESERVED = 2,
	BOOT_MEM_ACPI = 3,
	BOOT_MEM_NVS = 4,
	BOOT_MEM_UNUSABLE = 5,
};

struct boot_mem_region {
	u64 base;
	u64 len;
	u32 type;
};

struct boot_module {
	u64 base;
	u64 len;
	char cmdline[64];
};

#define BOOT_MAX_REGIONS 64
#define BOOT_MAX_MODULES 8

struct boot_info {
	unsigned int nr_regions;
	struct boot_mem_region regions[BOOT_MAX_REGIONS];
	unsigned int nr_modules;
	struct boot_module modules[BOOT_MAX_MODULES];
	u64 rsdp_phys; /* ACPI RSDP, 0 if unknown */
	u64 ram_bytes; /* sum of RAM regions */
	const char *loader;
};

extern struct boot_info boot_info;

/* Parse the loader's hand-off at physical address info_phys. */
int arch_boot_parse(u64 info_phys);
const char *boot_mem_type_name(u32 type);

#endif
