// SPDX-License-Identifier: MIT
/*
 * tables_test.c - tests of ACPI table discovery, checksums and MADT
 * parsing (drivers/acpi/tables.c), on the firmware's tables and on
 * hand-built MADTs. QEMU's pc and q35 machines always have ACPI, so
 * rsdp_and_madt_found fails without it (-machine ...,acpi=off); the
 * other cases that need firmware tables then skip.
 */
#include <keel/acpi.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>

static u8 buf[4096] __aligned(8);

/* Skip the case if the firmware gave no ACPI; returns true if skipped. */
static bool skip_without_acpi(struct ktest *t)
{
	if (acpi_rsdp_phys())
		return false;
	ktest_skip(t, "no ACPI tables from the firmware");
	return true;
}

static void rsdp_and_madt_found(struct ktest *t)
{
	const struct acpi_table_header *madt;

	KTEST_ASSERT_NE(t, acpi_rsdp_phys(), 0ULL);
	madt = acpi_find_table("APIC");
	KTEST_ASSERT_NOT_NULL(t, madt);
	KTEST_EXPECT_TRUE(t, acpi_table_valid(madt));
	KTEST_EXPECT_NOT_NULL(t, acpi_find_table("FACP"));
	KTEST_EXPECT_TRUE(t, acpi_madt()->from_firmware);
}

static void unknown_signature_not_found(struct ktest *t)
{
	KTEST_EXPECT_NULL(t, acpi_find_table("KEEL"));
}

static void checksum_rejects_corrupted_copy(struct ktest *t)
{
	const struct acpi_table_header *madt = acpi_find_table("APIC");
	struct acpi_table_header *copy = (struct acpi_table_header *)buf;
	struct acpi_madt_info info;

	if (skip_without_acpi(t))
		return;
	KTEST_ASSERT_NOT_NULL(t, madt);
	KTEST_ASSERT_LE(t, madt->length, (u32)sizeof(buf));
	memcpy(buf, madt, madt->length);
	KTEST_EXPECT_TRUE(t, acpi_table_valid(copy));
	buf[madt->length - 1] ^= 0x5a;
	KTEST_EXPECT_FALSE(t, acpi_table_valid(copy));
	KTEST_EXPECT_EQ(t, acpi_parse_madt(copy, &info), -EINVAL);
	buf[madt->length - 1] ^= 0x5a;
	copy->length = sizeof(*copy) - 1; /* shorter than a header */
	KTEST_EXPECT_FALSE(t, acpi_table_valid(copy));
}

static void madt_lists_cpu_and_ioapic(struct ktest *t)
{
	const struct acpi_madt_info *m = acpi_madt();

	KTEST_EXPECT_GE(t, m->nr_cpus, 1U);
	KTEST_EXPECT_GE(t, m->nr_ioapics, 1U);
	KTEST_EXPECT_EQ(t, m->lapic_phys, 0xfee00000ULL);
	KTEST_EXPECT_NE(t, m->ioapics[0].phys, 0U);
}

static void madt_has_qemu_irq0_override(struct ktest *t)
{
	const struct acpi_madt_info *m = acpi_madt();
	bool found = false;

	if (skip_without_acpi(t))
		return;
	for (unsigned int i = 0; i < m->nr_overrides; i++)
		if (m->overrides[i].isa_irq == 0 && m->overrides[i].gsi == 2)
			found = true;
	KTEST_EXPECT_TRUE(t, found);
}

/* Append an entry of len bytes to the table in buf; returns it. */
static u8 *madt_add(unsigned int type, unsigned int len)
{
	struct acpi_table_header *h = (struct acpi_table_header *)buf;
	u8 *e = buf + h->length;

	memset(e, 0, len);
	e[0] = type;
	e[1] = len;
	h->length += len;
	return e;
}

static void madt_begin(void)
{
	struct acpi_table_header *h = (struct acpi_table_header *)buf;

	memset(buf, 0, sizeof(buf));
	memcpy(h->signature, "APIC", 4);
	h->length = sizeof(*h) + 8; /* + LAPIC address, flags */
	buf[sizeof(*h)] = 0x00;	    /* LAPIC at 0xfee00000 */
	buf[sizeof(*h) + 2] = 0xe0;
	buf[sizeof(*h) + 3] = 0xfe;
}

static void madt_finish(void)
{
	struct acpi_table_header *h = (struct acpi_table_header *)buf;
	u8 sum = 0;

	h->checksum = 0;
	for (u32 i = 0; i < h->length; i++)
		sum += buf[i];
	h->checksum = -sum;
}

static void put32(u8 *p, u32 v)
{
	memcpy(p, &v, 4);
}

static void parse_handbuilt_madt(struct ktest *t)
{
	struct acpi_madt_info m;
	u8 *e;

	madt_begin();
	e = madt_add(0, 8); /* LAPIC id 0, enabled */
	e[3] = 0;
	e[4] = 1;
	e = madt_add(0, 8); /* LAPIC id 1, disabled */
	e[3] = 1;
	e = madt_add(9, 16); /* x2APIC id 300, enabled */
	put32(e + 4, 300);
	put32(e + 8, 1);
	e = madt_add(1, 12); /* IOAPIC 2, GSI base 24 */
	e[2] = 2;
	put32(e + 4, 0xfec01000);
	put32(e + 8, 24);
	e = madt_add(2, 10); /* ISA IRQ 0 -> GSI 2 */
	e[3] = 0;
	put32(e + 4, 2);
	e = madt_add(2, 10); /* bus 1: not ISA, ignored */
	e[2] = 1;
	e[3] = 5;
	madt_finish();

	KTEST_ASSERT_EQ(t, acpi_parse_madt((void *)buf, &m), 0);
	KTEST_EXPECT_EQ(t, m.lapic_phys, 0xfee00000ULL);
	KTEST_ASSERT_EQ(t, m.nr_cpus, 2U);
	KTEST_EXPECT_EQ(t, m.cpu_apic_ids[0], 0U);
	KTEST_EXPECT_EQ(t, m.cpu_apic_ids[1], 300U);
	KTEST_ASSERT_EQ(t, m.nr_ioapics, 1U);
	KTEST_EXPECT_EQ(t, m.ioapics[0].id, 2);
	KTEST_EXPECT_EQ(t, m.ioapics[0].phys, 0xfec01000U);
	KTEST_EXPECT_EQ(t, m.ioapics[0].gsi_base, 24U);
	KTEST_ASSERT_EQ(t, m.nr_overrides, 1U);
	KTEST_EXPECT_EQ(t, m.overrides[0].gsi, 2U);
}

static void madt_with_too_many_cpus_is_e2big(struct ktest *t)
{
	struct acpi_madt_info m;

	madt_begin();
	for (unsigned int i = 0; i < ACPI_MAX_CPUS + 6; i++) {
		u8 *e = madt_add(0, 8);

		e[3] = i;
		e[4] = 1;
	}
	madt_add(0, 200)[1] = 200; /* runs past the end: ignored */
	((struct acpi_table_header *)buf)->length -= 100;
	madt_finish();
	KTEST_EXPECT_EQ(t, acpi_parse_madt((void *)buf, &m), -E2BIG);
	KTEST_EXPECT_EQ(t, m.nr_cpus, (unsigned int)ACPI_MAX_CPUS);
	KTEST_EXPECT_EQ(t, m.cpu_apic_ids[ACPI_MAX_CPUS - 1],
			(u32)ACPI_MAX_CPUS - 1);
}

static struct ktest_case acpi_cases[] = {
	KTEST_CASE(rsdp_and_madt_found),
	KTEST_CASE(unknown_signature_not_found),
	KTEST_CASE(checksum_rejects_corrupted_copy),
	KTEST_CASE(madt_lists_cpu_and_ioapic),
	KTEST_CASE(madt_has_qemu_irq0_override),
	KTEST_CASE(parse_handbuilt_madt),
	KTEST_CASE(madt_with_too_many_cpus_is_e2big),
	{}
};
KTEST_SUITE(acpi, acpi_cases);
