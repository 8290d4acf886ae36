// SPDX-License-Identifier: MIT
/*
 * apic.c - the boot CPU's local APIC and irq_init(), the wiring of
 * keel's interrupt hardware.
 *
 * irq_init() reads the MADT summary (drivers/acpi/tables.c), silences the
 * legacy 8259 pair, enables the local APIC in xAPIC mode (spurious vector
 * 0xff, task priority 0, LINT0 masked, LINT1 as NMI), registers the
 * LAPIC-local lines (timer, error, test IPI, the SMP IPIs) and routes
 * the IOAPIC pins
 * (arch/x86_64/ioapic.c) to this CPU. Every line starts masked; a line is
 * unmasked by its first request_irq(). Application processors get the
 * same setup from lapic_init_ap(); device IRQs stay on the boot CPU.
 *
 * The LAPIC registers are reached through ioremap(). Register accesses
 * are single 32-bit MMIO operations and need no lock; each CPU has its
 * own registers behind the same address, and the two-word ICR sequence
 * (lapic_send_icr) runs with interrupts off.
 */
#define pr_fmt(fmt) "apic: " fmt

#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/io.h>
#include <keel/acpi.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/vmalloc.h>
#include <keel/printk.h>

#define APIC_BASE_ENABLE    (1ULL << 11)
#define APIC_BASE_ADDR_MASK 0xffffff000ULL
#define CPUID_1_EDX_APIC    (1U << 9)
#define LAPIC_MMIO_SIZE	    0x1000

static volatile u8 *lapic_base;

u32 lapic_read(u32 reg)
{
	return mmio_read32(lapic_base + reg);
}

void lapic_write(u32 reg, u32 val)
{
	mmio_write32(lapic_base + reg, val);
}

u32 lapic_id(void)
{
	return lapic_read(APIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(APIC_EOI, 0);
}

void lapic_send_self_ipi(u8 vector)
{
	unsigned long flags = local_irq_save();

	while (lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)
		cpu_relax();
	lapic_write(APIC_ICR_HIGH, 0);
	lapic_write(APIC_ICR_LOW, APIC_DEST_SELF | vector);
	local_irq_restore(flags);
}

/* The ICR is this CPU's own: interrupts off keeps the pair together. */
void lapic_send_icr(u32 dest, u32 low)
{
	unsigned long flags = local_irq_save();

	while (lapic_read(APIC_ICR_LOW) & APIC_ICR_BUSY)
		cpu_relax();
	lapic_write(APIC_ICR_HIGH, dest << 24);
	lapic_write(APIC_ICR_LOW, low);
	local_irq_restore(flags);
}

void lapic_send_ipi(u32 dest, u8 vector)
{
	lapic_send_icr(dest, vector);
}

/* The LVT register behind a LAPIC-local line, 0 for IPI vectors. */
static u32 lvt_of(unsigned int irq)
{
	switch (irq + FIRST_EXTERNAL_VECTOR) {
	case LAPIC_TIMER_VECTOR: return APIC_LVT_TIMER;
	case LAPIC_ERROR_VECTOR: return APIC_LVT_ERROR;
	default: return 0;
	}
}

static void lapic_line_mask(unsigned int irq)
{
	u32 lvt = lvt_of(irq);

	if (lvt)
		lapic_write(lvt, lapic_read(lvt) | APIC_LVT_MASKED);
}

static void lapic_line_unmask(unsigned int irq)
{
	u32 lvt = lvt_of(irq);

	if (lvt)
		lapic_write(lvt, lapic_read(lvt) & ~APIC_LVT_MASKED);
}

static void lapic_line_eoi(unsigned int irq)
{
	(void)irq;
	lapic_eoi();
}

const struct irq_chip lapic_chip = {
	.name = "lapic",
	.mask = lapic_line_mask,
	.unmask = lapic_line_unmask,
	.eoi = lapic_line_eoi,
};

/*
 * The test line of keel/irq.h on x86: vector APIC_TEST_VECTOR, raised by
 * a self-IPI through the local APIC.
 */
unsigned int arch_irq_test_line(const struct irq_chip **chip)
{
	*chip = &lapic_chip;
	return VECTOR_TO_IRQ(APIC_TEST_VECTOR);
}

void arch_irq_test_line_send(void)
{
	lapic_send_self_ipi(APIC_TEST_VECTOR);
}

/* An APIC error: report the error status (write, then read, per SDM). */
static enum irqreturn lapic_error(unsigned int irq, void *cookie)
{
	u32 esr;

	lapic_write(APIC_ESR, 0);
	esr = lapic_read(APIC_ESR);
	pr_warn("APIC error, ESR %#x\n", esr);
	return IRQ_HANDLED;
}

/* Program the calling CPU's LAPIC registers; lines start masked. */
static void lapic_setup(void)
{
	wrmsr(MSR_APIC_BASE, rdmsr(MSR_APIC_BASE) | APIC_BASE_ENABLE);
	lapic_write(APIC_TPR, 0);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(APIC_LVT_LINT0, APIC_LVT_MASKED);
	lapic_write(APIC_LVT_LINT1, APIC_DM_NMI);
	lapic_write(APIC_LVT_ERROR, APIC_LVT_MASKED | LAPIC_ERROR_VECTOR);
	lapic_write(APIC_SVR, APIC_SVR_ENABLE | SPURIOUS_VECTOR);
	lapic_write(APIC_ESR, 0);
	lapic_write(APIC_ESR, 0);
	lapic_eoi(); /* drop anything left in service */
}

/*
 * Enable the calling CPU's LAPIC at phys. Returns 0 or -ENODEV (the CPU
 * has no APIC). Requires: interrupts off.
 */
static int lapic_init(u64 phys)
{
	u32 a, b, c, d;
	u64 base;

	cpuid(1, 0, &a, &b, &c, &d);
	if (!(d & CPUID_1_EDX_APIC))
		return -ENODEV;
	base = rdmsr(MSR_APIC_BASE);
	if ((base & APIC_BASE_ADDR_MASK) != phys)
		pr_warn("MSR says LAPIC at %#llx, MADT says %#llx; using MSR\n",
			base & APIC_BASE_ADDR_MASK, phys);
	phys = base & APIC_BASE_ADDR_MASK;
	lapic_base = ioremap(phys, LAPIC_MMIO_SIZE);
	lapic_setup();
	pr_info("LAPIC id %u version %#x at %#llx\n", lapic_id(),
		lapic_read(APIC_VERSION) & 0xff, phys);
	return 0;
}

/*
 * An application processor's LAPIC: same setup as the boot CPU's (the
 * registers sit at the same address on every CPU), with the error line
 * unmasked as request_irq() did on the boot CPU.
 */
void lapic_init_ap(void)
{
	lapic_setup();
	lapic_write(APIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
}

/*
 * Bring up interrupt delivery on the boot CPU: ACPI must have been read
 * (acpi_init()). Panics if the CPU has no local APIC: keel needs one.
 * Requires: interrupts off; called once.
 */
void irq_init(void)
{
	const struct acpi_madt_info *madt = acpi_madt();
	int err;

	pic_disable();
	err = lapic_init(madt->lapic_phys);
	if (err)
		panic("no local APIC (%s)", errname(err));
	irq_set_chip(VECTOR_TO_IRQ(LAPIC_TIMER_VECTOR), &lapic_chip);
	irq_set_chip(VECTOR_TO_IRQ(LAPIC_ERROR_VECTOR), &lapic_chip);
	err = request_irq(VECTOR_TO_IRQ(LAPIC_ERROR_VECTOR), lapic_error,
			  "apic-error", NULL);
	WARN_ON(err);
	ipi_init();
	err = ioapic_init(madt, lapic_id());
	if (err)
		pr_err("no IOAPIC usable (%s): no device interrupts\n",
		       errname(err));
}
