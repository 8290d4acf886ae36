// SPDX-License-Identifier: MIT
/*
 * tables.c - find and check the static ACPI tables, and summarise the
 * MADT (processors, IOAPICs, ISA interrupt overrides).
 *
 * The chain is RSDP -> XSDT (ACPI 2.0+, 64-bit entries) or RSDT (32-bit
 * entries) -> tables. The RSDP comes from the boot loader (PVH's
 * rsdp_paddr) or, failing that, from the BIOS search areas (the first KiB
 * of the EBDA and 0xe0000-0xfffff). Every table is checksummed before it
 * is handed out. Without an RSDP or a MADT, acpi_madt() describes the
 * standard PC: one CPU (APIC ID 0), a LAPIC at 0xfee00000, an IOAPIC at
 * 0xfec00000 and ISA IRQ 0 on GSI 2; the log says so.
 *
 * Tables are read through the direct map, which covers the first 4 GiB;
 * a table above that is ignored with a warning.
 */
#define pr_fmt(fmt) "acpi: " fmt

#include <keel/acpi.h>
#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/string.h>

#define DIRECT_MAP_LIMIT    0x100000000ULL
#define MAX_TABLE_LEN	    (1U << 20) /* sanity bound */
#define DEFAULT_LAPIC_PHYS  0xfee00000ULL
#define DEFAULT_IOAPIC_PHYS 0xfec00000U

struct acpi_rsdp {
	char signature[8]; /* "RSD PTR " */
	u8 checksum;	   /* over the first 20 bytes */
	char oem_id[6];
	u8 revision; /* 0: ACPI 1.0, 2: ACPI 2.0+ */
	u32 rsdt_phys;
	u32 length; /* ACPI 2.0+ from here on */
	u64 xsdt_phys;
	u8 ext_checksum; /* over length bytes */
	u8 reserved[3];
} __packed;

struct acpi_madt {
	struct acpi_table_header header;
	u32 lapic_phys;
	u32 flags;
} __packed;

#define MADT_PCAT_COMPAT 0x1

struct madt_entry {
	u8 type;
	u8 length;
} __packed;

enum madt_type {
	MADT_LAPIC = 0,
	MADT_IOAPIC = 1,
	MADT_OVERRIDE = 2,
	MADT_LAPIC_ADDR = 5,
	MADT_X2APIC = 9,
};

struct madt_lapic {
	struct madt_entry e;
	u8 acpi_id;
	u8 apic_id;
	u32 flags;
} __packed;

struct madt_ioapic {
	struct madt_entry e;
	u8 id;
	u8 reserved;
	u32 phys;
	u32 gsi_base;
} __packed;

struct madt_override {
	struct madt_entry e;
	u8 bus;	   /* 0: ISA */
	u8 source; /* ISA IRQ */
	u32 gsi;
	u16 flags;
} __packed;

struct madt_lapic_addr {
	struct madt_entry e;
	u16 reserved;
	u64 phys;
} __packed;

struct madt_x2apic {
	struct madt_entry e;
	u16 reserved;
	u32 apic_id;
	u32 flags;
	u32 acpi_uid;
} __packed;

#define LAPIC_ENABLED 0x1

static u64 rsdp_phys;
static u64 root_phys;
static const struct acpi_table_header *root; /* XSDT or RSDT */
static unsigned int root_entry_size;	     /* 8 (XSDT) or 4 (RSDT) */
static struct acpi_madt_info madt_info;

/* A direct-map pointer to [phys, phys + len), or NULL if not mapped. */
static const void *acpi_map(u64 phys, u64 len)
{
	if (!phys || phys + len > DIRECT_MAP_LIMIT || phys + len < phys)
		return NULL;
	return phys_to_virt(phys);
}

static u8 byte_sum(const void *p, size_t len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum;
}

bool acpi_table_valid(const struct acpi_table_header *h)
{
	if (h->length < sizeof(*h) || h->length > MAX_TABLE_LEN)
		return false;
	return byte_sum(h, h->length) == 0;
}

/* The table at phys if its header is mapped and its checksum holds. */
static const struct acpi_table_header *map_table(u64 phys)
{
	const struct acpi_table_header *h = acpi_map(phys, sizeof(*h));

	if (!h || !acpi_map(phys, h->length))
		return NULL;
	return acpi_table_valid(h) ? h : NULL;
}

static bool rsdp_valid(u64 phys)
{
	const struct acpi_rsdp *r = acpi_map(phys, sizeof(*r));

	if (!r || memcmp(r->signature, "RSD PTR ", 8) || byte_sum(r, 20))
		return false;
	if (r->revision < 2)
		return true;
	return r->length >= sizeof(*r) && r->length <= 4096 &&
	       acpi_map(phys, r->length) && !byte_sum(r, r->length);
}

/* Scan [phys, phys + len) on 16-byte boundaries; 0 if nothing found. */
static u64 rsdp_scan(u64 phys, u64 len)
{
	for (u64 off = 0; off + sizeof(struct acpi_rsdp) <= len; off += 16)
		if (rsdp_valid(phys + off))
			return phys + off;
	return 0;
}

static u64 rsdp_locate(void)
{
	const u16 *ebda_seg = acpi_map(0x40e, 2);
	u64 phys;

	if (rsdp_valid(boot_info.rsdp_phys))
		return boot_info.rsdp_phys;
	if (boot_info.rsdp_phys)
		pr_warn("loader's RSDP at %#llx is invalid, searching\n",
			boot_info.rsdp_phys);
	phys = ebda_seg && *ebda_seg ? rsdp_scan((u64)*ebda_seg << 4, 1024) : 0;
	return phys ? phys : rsdp_scan(0xe0000, 0x20000);
}

/* Pick the XSDT if there is a valid one, else the RSDT. Returns 0/-ENOENT. */
static int root_init(const struct acpi_rsdp *r)
{
	if (r->revision >= 2 && r->xsdt_phys) {
		root_phys = r->xsdt_phys;
		root = map_table(root_phys);
		if (root && !memcmp(root->signature, "XSDT", 4)) {
			root_entry_size = 8;
			return 0;
		}
		pr_warn("XSDT at %#llx unusable, trying the RSDT\n",
			r->xsdt_phys);
	}
	root_phys = r->rsdt_phys;
	root = map_table(root_phys);
	if (root && !memcmp(root->signature, "RSDT", 4)) {
		root_entry_size = 4;
		return 0;
	}
	root = NULL;
	return -ENOENT;
}

static u64 root_entry(unsigned int i)
{
	const u8 *p = (const u8 *)(root + 1) + i * root_entry_size;
	u64 phys = 0;

	memcpy(&phys, p, root_entry_size); /* unaligned, little endian */
	return phys;
}

const void *acpi_find_table(const char sig[4])
{
	unsigned int n;

	if (!root)
		return NULL;
	n = (root->length - sizeof(*root)) / root_entry_size;
	for (unsigned int i = 0; i < n; i++) {
		const struct acpi_table_header *h = map_table(root_entry(i));

		if (h && !memcmp(h->signature, sig, 4))
			return h;
	}
	return NULL;
}

u64 acpi_rsdp_phys(void)
{
	return rsdp_phys;
}

static int madt_add_cpu(struct acpi_madt_info *m, u32 apic_id, u32 flags)
{
	if (!(flags & LAPIC_ENABLED))
		return 0;
	if (m->nr_cpus == ACPI_MAX_CPUS)
		return -E2BIG;
	m->cpu_apic_ids[m->nr_cpus++] = apic_id;
	return 0;
}

static int madt_add_ioapic(struct acpi_madt_info *m,
			   const struct madt_ioapic *e)
{
	if (m->nr_ioapics == ACPI_MAX_IOAPICS)
		return -E2BIG;
	m->ioapics[m->nr_ioapics++] = (struct acpi_ioapic){
		.id = e->id,
		.phys = e->phys,
		.gsi_base = e->gsi_base,
	};
	return 0;
}

static int madt_add_override(struct acpi_madt_info *m,
			     const struct madt_override *e)
{
	if (e->bus != 0) /* only ISA overrides exist */
		return 0;
	if (m->nr_overrides == ACPI_MAX_OVERRIDES)
		return -E2BIG;
	m->overrides[m->nr_overrides++] = (struct acpi_override){
		.isa_irq = e->source,
		.gsi = e->gsi,
		.flags = e->flags,
	};
	return 0;
}

/* Apply one MADT entry; 0 or -E2BIG. Unknown or short ones are skipped. */
static int madt_entry(struct acpi_madt_info *m, const struct madt_entry *e)
{
	const struct madt_lapic *lapic = (const void *)e;
	const struct madt_x2apic *x2apic = (const void *)e;
	const struct madt_lapic_addr *addr = (const void *)e;

	switch (e->type) {
	case MADT_LAPIC:
		if (e->length < sizeof(*lapic))
			return 0;
		return madt_add_cpu(m, lapic->apic_id, lapic->flags);
	case MADT_X2APIC:
		if (e->length < sizeof(*x2apic))
			return 0;
		return madt_add_cpu(m, x2apic->apic_id, x2apic->flags);
	case MADT_IOAPIC:
		if (e->length < sizeof(struct madt_ioapic))
			return 0;
		return madt_add_ioapic(m, (const void *)e);
	case MADT_OVERRIDE:
		if (e->length < sizeof(struct madt_override))
			return 0;
		return madt_add_override(m, (const void *)e);
	case MADT_LAPIC_ADDR:
		if (e->length >= sizeof(*addr))
			m->lapic_phys = addr->phys;
		return 0;
	default: return 0;
	}
}

int acpi_parse_madt(const struct acpi_table_header *madt,
		    struct acpi_madt_info *out)
{
	const struct acpi_madt *hdr = (const struct acpi_madt *)madt;
	const u8 *p, *end;
	int err = 0;

	memset(out, 0, sizeof(*out));
	if (memcmp(madt->signature, "APIC", 4) || madt->length < sizeof(*hdr) ||
	    !acpi_table_valid(madt))
		return -EINVAL;
	out->lapic_phys = hdr->lapic_phys;
	out->has_8259 = hdr->flags & MADT_PCAT_COMPAT;
	out->from_firmware = true;
	p = (const u8 *)(hdr + 1);
	end = (const u8 *)madt + madt->length;
	while (p + sizeof(struct madt_entry) <= end) {
		const struct madt_entry *e = (const struct madt_entry *)p;

		if (e->length < sizeof(*e) || p + e->length > end)
			break; /* malformed: keep what we have */
		if (madt_entry(out, e))
			err = -E2BIG;
		p += e->length;
	}
	return err;
}

/* The PC/AT defaults (MP spec): what QEMU's pc machine has. */
static void madt_defaults(struct acpi_madt_info *m)
{
	memset(m, 0, sizeof(*m));
	m->lapic_phys = DEFAULT_LAPIC_PHYS;
	m->nr_cpus = 1; /* MP default: the BSP, APIC ID 0 */
	m->cpu_apic_ids[0] = 0;
	m->nr_ioapics = 1;
	m->ioapics[0] = (struct acpi_ioapic){ .id = 0,
					      .phys = DEFAULT_IOAPIC_PHYS,
					      .gsi_base = 0 };
	m->nr_overrides = 1;
	m->overrides[0] =
		(struct acpi_override){ .isa_irq = 0,
					.gsi = 2,
					.flags = ACPI_POLARITY_CONFORMS |
						 ACPI_TRIGGER_CONFORMS };
	m->has_8259 = true;
}

const struct acpi_madt_info *acpi_madt(void)
{
	return &madt_info;
}

static void madt_print(const struct acpi_madt_info *m)
{
	pr_info("MADT%s: LAPIC at %#llx, %u CPU(s), %u IOAPIC(s), %u override(s)\n",
		m->from_firmware ? "" : " (defaults)", m->lapic_phys,
		m->nr_cpus, m->nr_ioapics, m->nr_overrides);
	for (unsigned int i = 0; i < m->nr_ioapics; i++)
		pr_info("  IOAPIC id %u at %#x, GSI base %u\n",
			m->ioapics[i].id, m->ioapics[i].phys,
			m->ioapics[i].gsi_base);
	for (unsigned int i = 0; i < m->nr_overrides; i++)
		pr_info("  ISA IRQ %u -> GSI %u flags %#x\n",
			m->overrides[i].isa_irq, m->overrides[i].gsi,
			m->overrides[i].flags);
}

/* Requires: one CPU, interrupts off, before irq_init(). */
void acpi_init(void)
{
	const struct acpi_table_header *madt = NULL;
	const struct acpi_rsdp *r;
	int err;

	rsdp_phys = rsdp_locate();
	r = acpi_map(rsdp_phys, sizeof(*r));
	if (!r) {
		pr_warn("no RSDP found\n");
	} else if (root_init(r)) {
		pr_warn("RSDP at %#llx has no valid RSDT/XSDT\n", rsdp_phys);
	} else {
		pr_info("RSDP at %#llx rev %u, %.4s at %#llx\n", rsdp_phys,
			r->revision, root->signature, root_phys);
		madt = acpi_find_table("APIC");
	}
	err = madt ? acpi_parse_madt(madt, &madt_info) : -ENOENT;
	if (err == -E2BIG)
		pr_warn("MADT lists more than keel keeps; extra entries ignored\n");
	else if (err) {
		pr_warn("no usable MADT: PC defaults (LAPIC %#llx, IOAPIC %#x, IRQ0->GSI2)\n",
			DEFAULT_LAPIC_PHYS, DEFAULT_IOAPIC_PHYS);
		madt_defaults(&madt_info);
	}
	madt_print(&madt_info);
}
