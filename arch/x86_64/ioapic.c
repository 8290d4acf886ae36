// SPDX-License-Identifier: MIT
/*
 * ioapic.c - route IOAPIC pins to vectors and drive them as irq_chips.
 *
 * Each pin serves GSI (gsi_base + pin) and is routed to the boot CPU at
 * vector 32 + irq. IRQ numbers follow GSIs, except for ISA interrupts
 * that an ACPI override moved: those keep their ISA number and the GSI's
 * own number is left unrouted. On QEMU, the PIT's ISA IRQ 0 arrives on
 * GSI 2, so request_irq(0, ...) drives pin 2 and IRQ 2 has no chip.
 * ISA lines default to edge/active-high and PCI lines (GSI >= 16) to
 * level/active-low; override flags win over both.
 *
 * Locking: ioapic_lock (irqsave) serialises the index/data register pair.
 * The line table is written once by ioapic_init() and read-only after.
 */
#define pr_fmt(fmt) "ioapic: " fmt

#include <asm/apic.h>
#include <asm/io.h>
#include <keel/acpi.h>
#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/vmalloc.h>
#include <keel/printk.h>
#include <keel/spinlock.h>

#define IOAPIC_REGSEL	    0x00
#define IOAPIC_WINDOW	    0x10
#define IOAPIC_MMIO_SIZE    0x20
#define IOAPIC_REG_VER	    0x01
#define IOAPIC_REG_RTE(pin) (0x10 + 2 * (pin))

#define RTE_POLARITY_LOW  (1U << 13)
#define RTE_TRIGGER_LEVEL (1U << 15)
#define RTE_MASKED	  (1U << 16)

#define NR_ISA_IRQS 16

struct ioapic {
	volatile u8 *base;
	u32 gsi_base;
	unsigned int nr_pins;
};

/* How one IRQ number reaches the CPU. */
struct ioapic_line {
	bool routed;
	u8 apic; /* index into ioapics[] */
	u8 pin;
	bool level;
	bool active_low;
	u32 gsi;
};

static struct ioapic ioapics[ACPI_MAX_IOAPICS];
static unsigned int nr_ioapics;
static struct ioapic_line lines[IOAPIC_NR_IRQS];
static DEFINE_SPINLOCK(ioapic_lock);

/* Register access (ioapic_lock is taken with interrupts off). */
static u32 ioapic_read(const struct ioapic *io, u32 reg)
{
	lockdep_assert_held(&ioapic_lock);

	mmio_write32(io->base + IOAPIC_REGSEL, reg);
	return mmio_read32(io->base + IOAPIC_WINDOW);
}

static void ioapic_write(const struct ioapic *io, u32 reg, u32 val)
{
	lockdep_assert_held(&ioapic_lock);

	mmio_write32(io->base + IOAPIC_REGSEL, reg);
	mmio_write32(io->base + IOAPIC_WINDOW, val);
}

/* Read-modify-write the low half of irq's redirection entry. */
static void rte_update(unsigned int irq, u32 clear, u32 set)
{
	const struct ioapic_line *l = &lines[irq];
	const struct ioapic *io = &ioapics[l->apic];
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&ioapic_lock, flags);
	v = ioapic_read(io, IOAPIC_REG_RTE(l->pin));
	ioapic_write(io, IOAPIC_REG_RTE(l->pin), (v & ~clear) | set);
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

static u32 rte_low(unsigned int irq)
{
	const struct ioapic_line *l = &lines[irq];
	unsigned long flags;
	u32 v;

	spin_lock_irqsave(&ioapic_lock, flags);
	v = ioapic_read(&ioapics[l->apic], IOAPIC_REG_RTE(l->pin));
	spin_unlock_irqrestore(&ioapic_lock, flags);
	return v;
}

static void ioapic_mask(unsigned int irq)
{
	rte_update(irq, 0, RTE_MASKED);
}

static void ioapic_unmask(unsigned int irq)
{
	rte_update(irq, RTE_MASKED, 0);
}

/* The LAPIC EOI also ends a level-triggered line (EOI broadcast). */
static void ioapic_eoi(unsigned int irq)
{
	(void)irq;
	lapic_eoi();
}

static const struct irq_chip ioapic_chip = {
	.name = "ioapic",
	.mask = ioapic_mask,
	.unmask = ioapic_unmask,
	.eoi = ioapic_eoi,
};

int ioapic_irq_to_gsi(unsigned int irq)
{
	if (irq >= IOAPIC_NR_IRQS || !lines[irq].routed)
		return -ENODEV;
	return lines[irq].gsi;
}

bool ioapic_irq_masked(unsigned int irq)
{
	if (irq >= IOAPIC_NR_IRQS || !lines[irq].routed)
		return true;
	return rte_low(irq) & RTE_MASKED;
}

bool ioapic_irq_level(unsigned int irq)
{
	if (irq >= IOAPIC_NR_IRQS || !lines[irq].routed)
		return false;
	return rte_low(irq) & RTE_TRIGGER_LEVEL;
}

/* Find the IOAPIC pin serving gsi; false if none does. */
static bool gsi_to_pin(u32 gsi, u8 *apic, u8 *pin)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		const struct ioapic *io = &ioapics[i];

		if (gsi >= io->gsi_base && gsi < io->gsi_base + io->nr_pins) {
			*apic = i;
			*pin = gsi - io->gsi_base;
			return true;
		}
	}
	return false;
}

/* Route irq to gsi with the given ACPI polarity/trigger flags. */
static void line_set(unsigned int irq, u32 gsi, u16 flags)
{
	struct ioapic_line *l = &lines[irq];
	bool isa = gsi < NR_ISA_IRQS;
	u16 pol = flags & ACPI_POLARITY_MASK;
	u16 trig = flags & ACPI_TRIGGER_MASK;

	if (irq >= IOAPIC_NR_IRQS || !gsi_to_pin(gsi, &l->apic, &l->pin))
		return;
	l->routed = true;
	l->gsi = gsi;
	l->active_low =
		pol == ACPI_POLARITY_CONFORMS ? !isa : pol == ACPI_POLARITY_LOW;
	l->level = trig == ACPI_TRIGGER_CONFORMS ? !isa :
						   trig == ACPI_TRIGGER_LEVEL;
}

/* Identity GSI -> IRQ for every pin, then the ISA overrides on top. */
static void lines_build(const struct acpi_madt_info *madt)
{
	for (unsigned int i = 0; i < nr_ioapics; i++)
		for (unsigned int p = 0; p < ioapics[i].nr_pins; p++)
			line_set(ioapics[i].gsi_base + p,
				 ioapics[i].gsi_base + p, 0);
	/* a GSI taken by another ISA IRQ is reachable only under that IRQ */
	for (unsigned int i = 0; i < madt->nr_overrides; i++) {
		const struct acpi_override *o = &madt->overrides[i];

		if (o->gsi != o->isa_irq && o->gsi < IOAPIC_NR_IRQS)
			lines[o->gsi].routed = false;
	}
	for (unsigned int i = 0; i < madt->nr_overrides; i++) {
		const struct acpi_override *o = &madt->overrides[i];

		if (o->isa_irq < NR_ISA_IRQS)
			line_set(o->isa_irq, o->gsi, o->flags);
	}
}

/* Write irq's entry, masked, destination dest; register the chip. */
static void line_program(unsigned int irq, u32 dest)
{
	const struct ioapic_line *l = &lines[irq];
	const struct ioapic *io = &ioapics[l->apic];
	u32 low = RTE_MASKED | (FIRST_EXTERNAL_VECTOR + irq);
	unsigned long flags;

	if (l->level)
		low |= RTE_TRIGGER_LEVEL;
	if (l->active_low)
		low |= RTE_POLARITY_LOW;
	spin_lock_irqsave(&ioapic_lock, flags);
	ioapic_write(io, IOAPIC_REG_RTE(l->pin), RTE_MASKED);
	ioapic_write(io, IOAPIC_REG_RTE(l->pin) + 1, dest << 24);
	ioapic_write(io, IOAPIC_REG_RTE(l->pin), low);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	irq_set_chip(irq, &ioapic_chip);
}

/* Map each IOAPIC, size it and mask all its pins. */
static void ioapics_probe(const struct acpi_madt_info *madt)
{
	for (unsigned int i = 0; i < madt->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];
		unsigned long flags;

		io->base = ioremap(madt->ioapics[i].phys, IOAPIC_MMIO_SIZE);
		io->gsi_base = madt->ioapics[i].gsi_base;
		spin_lock_irqsave(&ioapic_lock, flags);
		io->nr_pins =
			((ioapic_read(io, IOAPIC_REG_VER) >> 16) & 0xff) + 1;
		for (unsigned int p = 0; p < io->nr_pins; p++)
			ioapic_write(io, IOAPIC_REG_RTE(p), RTE_MASKED);
		spin_unlock_irqrestore(&ioapic_lock, flags);
		pr_info("id %u at %#x: GSI %u-%u\n", madt->ioapics[i].id,
			madt->ioapics[i].phys, io->gsi_base,
			io->gsi_base + io->nr_pins - 1);
		nr_ioapics++;
	}
}

/*
 * Route every pin to the CPU with APIC ID dest_apic_id, all masked.
 * Returns 0 or -ENODEV (no IOAPIC). Requires: called once, interrupts off.
 */
int ioapic_init(const struct acpi_madt_info *madt, u32 dest_apic_id)
{
	ioapics_probe(madt);
	if (!nr_ioapics)
		return -ENODEV;
	lines_build(madt);
	for (unsigned int irq = 0; irq < IOAPIC_NR_IRQS; irq++)
		if (lines[irq].routed)
			line_program(irq, dest_apic_id);
	return 0;
}
