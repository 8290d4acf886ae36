/* SPDX-License-Identifier: MIT */
/*
 * keel/acpi.h - the static ACPI tables: RSDP -> RSDT/XSDT -> tables, and
 * the MADT summary the interrupt and SMP code need.
 *
 * acpi_init() runs once at boot (single CPU, before interrupts); after it
 * everything here is read-only and may be used without locks. Tables are
 * reached through the direct map, so only tables below 4 GiB are used.
 */
#ifndef _KEEL_ACPI_H
#define _KEEL_ACPI_H

#include <keel/compiler.h>

struct acpi_table_header {
	char signature[4];
	u32 length;
	u8 revision;
	u8 checksum;
	char oem_id[6];
	char oem_table_id[8];
	u32 oem_revision;
	u32 creator_id;
	u32 creator_revision;
} __packed;

#define ACPI_MAX_CPUS	   64
#define ACPI_MAX_IOAPICS   4
#define ACPI_MAX_OVERRIDES 16

/* MPS INTI flags of an interrupt source override (ACPI 5.2.12.5). */
#define ACPI_POLARITY_MASK     0x3
#define ACPI_POLARITY_CONFORMS 0x0
#define ACPI_POLARITY_HIGH     0x1
#define ACPI_POLARITY_LOW      0x3
#define ACPI_TRIGGER_MASK      0xc
#define ACPI_TRIGGER_CONFORMS  0x0
#define ACPI_TRIGGER_EDGE      0x4
#define ACPI_TRIGGER_LEVEL     0xc

struct acpi_ioapic {
	u8 id;
	u32 phys;     /* register window */
	u32 gsi_base; /* first GSI its pin 0 serves */
};

struct acpi_override {
	u8 isa_irq;
	u32 gsi;
	u16 flags; /* ACPI_POLARITY_* | ACPI_TRIGGER_* */
};

/* What the MADT (or, without one, the PC defaults) says. */
struct acpi_madt_info {
	u64 lapic_phys;
	unsigned int nr_cpus;		 /* enabled processors */
	u32 cpu_apic_ids[ACPI_MAX_CPUS]; /* [0] need not be the BSP */
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	bool has_8259;	    /* PCAT_COMPAT flag */
	bool from_firmware; /* false: defaults used */
};

/* Find RSDP/RSDT/XSDT and parse the MADT; falls back to PC defaults. */
void acpi_init(void);
/*
 * First valid table with signature sig ("APIC", "FACP", ...), or NULL if
 * there is none, its checksum is wrong, or ACPI was not found.
 */
const void *acpi_find_table(const char sig[4]);
/* True if the table's bytes (header.length of them) sum to zero. */
bool acpi_table_valid(const struct acpi_table_header *h);
/*
 * Parse a MADT into *out (zeroed first). Returns 0, -EINVAL if madt is
 * not a valid "APIC" table, or -E2BIG if it lists more CPUs, IOAPICs or
 * overrides than *out holds (the excess is dropped, the rest is valid).
 */
int acpi_parse_madt(const struct acpi_table_header *madt,
		    struct acpi_madt_info *out);
/* The boot MADT summary; valid after acpi_init(). */
const struct acpi_madt_info *acpi_madt(void);
/* Physical address of the RSDP in use, 0 if none was found. */
u64 acpi_rsdp_phys(void);

#endif
