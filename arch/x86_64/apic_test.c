// SPDX-License-Identifier: MIT
/*
 * apic_test.c - tests of the interrupt hardware set-up: LAPIC state,
 * real delivery by self-IPI, IOAPIC routing, masking and overrides, and
 * the silenced 8259s.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <keel/acpi.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/time.h>

#define TEST_IRQ	     VECTOR_TO_IRQ(APIC_TEST_VECTOR)
#define ISA_KEYBOARD	     1 /* routed on every PC, unused by keel */
#define DELIVERY_DEADLINE_NS NSEC_PER_SEC

static volatile unsigned int calls[2];

static enum irqreturn count_handler(unsigned int irq, void *cookie)
{
	((volatile unsigned int *)cookie)[0]++;
	return IRQ_HANDLED;
}

static int apic_test_init(struct ktest *t)
{
	calls[0] = calls[1] = 0;
	irq_set_chip(TEST_IRQ, &lapic_chip);
	return 0;
}

static void apic_test_exit(struct ktest *t)
{
	free_irq(TEST_IRQ, (void *)&calls[0]);
	free_irq(TEST_IRQ, (void *)&calls[1]);
	free_irq(ISA_KEYBOARD, (void *)&calls[0]);
	irq_set_chip(TEST_IRQ, NULL);
}

/* Wait (interrupts on) until *v reaches want or the deadline passes. */
static unsigned int wait_count(volatile unsigned int *v, unsigned int want)
{
	u64 t0 = ktime_get_ns();

	while (*v < want && ktime_get_ns() - t0 < DELIVERY_DEADLINE_NS)
		cpu_relax();
	return *v;
}

static void lapic_enabled_with_spurious_ff(struct ktest *t)
{
	u32 svr = lapic_read(APIC_SVR);

	KTEST_EXPECT_TRUE(t, svr & APIC_SVR_ENABLE);
	KTEST_EXPECT_EQ(t, svr & 0xff, (u32)SPURIOUS_VECTOR);
	KTEST_EXPECT_EQ(t, lapic_read(APIC_TPR) & 0xff, 0U);
	KTEST_EXPECT_TRUE(t, lapic_read(APIC_LVT_LINT0) & APIC_LVT_MASKED);
}

static void self_ipi_runs_both_shared_handlers(struct ktest *t)
{
	u64 before = irq_count(TEST_IRQ);

	KTEST_ASSERT_FALSE(t, irqs_disabled());
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "a", (void *)&calls[0]),
		0);
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "b", (void *)&calls[1]),
		0);
	lapic_send_self_ipi(APIC_TEST_VECTOR);
	KTEST_EXPECT_EQ(t, wait_count(&calls[0], 1), 1U);
	KTEST_EXPECT_EQ(t, wait_count(&calls[1], 1), 1U);
	KTEST_EXPECT_EQ(t, irq_count(TEST_IRQ), before + 1);
}

/* An IPI sent with IF clear stays pending until interrupts are enabled. */
static void self_ipi_waits_for_sti(struct ktest *t)
{
	unsigned int while_off;
	unsigned long flags;

	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "a", (void *)&calls[0]),
		0);
	flags = local_irq_save();
	lapic_send_self_ipi(APIC_TEST_VECTOR);
	udelay(100);
	while_off = calls[0];
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, while_off, 0U);
	KTEST_EXPECT_EQ(t, wait_count(&calls[0], 1), 1U);
}

static void ipi_after_free_irq_is_unhandled(struct ktest *t)
{
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "a", (void *)&calls[0]),
		0);
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "b", (void *)&calls[1]),
		0);
	free_irq(TEST_IRQ, (void *)&calls[0]);
	lapic_send_self_ipi(APIC_TEST_VECTOR);
	KTEST_EXPECT_EQ(t, wait_count(&calls[1], 1), 1U);
	KTEST_EXPECT_EQ(t, calls[0], 0U);
}

static void legacy_pics_fully_masked(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, inb(0x21), 0xff);
	KTEST_EXPECT_EQ(t, inb(0xa1), 0xff);
}

static void ioapic_line_masked_until_requested(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, ioapic_irq_to_gsi(ISA_KEYBOARD), ISA_KEYBOARD);
	KTEST_EXPECT_TRUE(t, ioapic_irq_masked(ISA_KEYBOARD));
	KTEST_ASSERT_EQ(t,
			request_irq(ISA_KEYBOARD, count_handler, "kbd",
				    (void *)&calls[0]),
			0);
	KTEST_EXPECT_FALSE(t, ioapic_irq_masked(ISA_KEYBOARD));
	free_irq(ISA_KEYBOARD, (void *)&calls[0]);
	KTEST_EXPECT_TRUE(t, ioapic_irq_masked(ISA_KEYBOARD));
}

/* Find the MADT override for isa_irq, or NULL. */
static const struct acpi_override *override_of(unsigned int isa_irq)
{
	const struct acpi_madt_info *m = acpi_madt();

	for (unsigned int i = 0; i < m->nr_overrides; i++)
		if (m->overrides[i].isa_irq == isa_irq)
			return &m->overrides[i];
	return NULL;
}

static void isa_irq0_served_by_its_override_gsi(struct ktest *t)
{
	const struct acpi_override *o = override_of(0);

	if (!o || o->gsi == 0) {
		ktest_skip(t, "no IRQ0 override on this machine");
		return;
	}
	KTEST_EXPECT_EQ(t, ioapic_irq_to_gsi(0), (int)o->gsi);
	/* the GSI's own number is not a second way to the same pin */
	KTEST_EXPECT_EQ(t, ioapic_irq_to_gsi(o->gsi), -ENODEV);
	KTEST_EXPECT_FALSE(t, ioapic_irq_level(0));
}

static void override_trigger_mode_programmed(struct ktest *t)
{
	const struct acpi_madt_info *m = acpi_madt();
	unsigned int checked = 0;

	for (unsigned int i = 0; i < m->nr_overrides; i++) {
		const struct acpi_override *o = &m->overrides[i];
		u16 trig = o->flags & ACPI_TRIGGER_MASK;

		if (trig == ACPI_TRIGGER_CONFORMS)
			continue;
		KTEST_EXPECT_EQ(t, ioapic_irq_level(o->isa_irq),
				trig == ACPI_TRIGGER_LEVEL);
		checked++;
	}
	if (!checked)
		ktest_skip(t, "no override with an explicit trigger mode");
}

static struct ktest_case apic_cases[] = {
	KTEST_CASE(lapic_enabled_with_spurious_ff),
	KTEST_CASE(self_ipi_runs_both_shared_handlers),
	KTEST_CASE(self_ipi_waits_for_sti),
	KTEST_CASE(ipi_after_free_irq_is_unhandled),
	KTEST_CASE(legacy_pics_fully_masked),
	KTEST_CASE(ioapic_line_masked_until_requested),
	KTEST_CASE(isa_irq0_served_by_its_override_gsi),
	KTEST_CASE(override_trigger_mode_programmed),
	{}
};
KTEST_SUITE(apic, apic_cases, .init = apic_test_init, .exit = apic_test_exit);
