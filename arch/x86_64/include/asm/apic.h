/* SPDX-License-Identifier: MIT */
/*
 * asm/apic.h - the local APIC, the IOAPICs, the legacy 8259 and PIT.
 *
 * Vector plan (IRQ number = vector - 32, keel/irq.h):
 *   0x20..0xdf  IRQ 0..191: IOAPIC lines; GSI g is IRQ g, except that an
 *               ISA IRQ moved by an ACPI override keeps its ISA number
 *               (QEMU: ISA IRQ 0 -> GSI 2 is IRQ 0)
 *   0xe0..0xfe  LAPIC-local sources: test IPI, timer, the SMP IPIs
 *               (reschedule, call-function, TLB shootdown), error
 *   0xff        LAPIC spurious vector (never acknowledged)
 */
#ifndef _ASM_APIC_H
#define _ASM_APIC_H

#include <asm/desc.h>
#include <keel/irq.h>

#define APIC_TEST_VECTOR   0xe0 /* free for tests' self-IPIs */
#define LAPIC_TIMER_VECTOR 0xef
#define RESCHEDULE_VECTOR  0xf1
#define CALL_FUNC_VECTOR   0xf2
#define TLB_FLUSH_VECTOR   0xf3
#define LAPIC_ERROR_VECTOR 0xfe
#define SPURIOUS_VECTOR	   0xff
#define LAPIC_FIRST_VECTOR 0xe0

#define VECTOR_TO_IRQ(v) ((v)-FIRST_EXTERNAL_VECTOR)
#define IOAPIC_NR_IRQS	 VECTOR_TO_IRQ(LAPIC_FIRST_VECTOR)

/* Local APIC register offsets (xAPIC MMIO). */
#define APIC_ID		0x020
#define APIC_VERSION	0x030
#define APIC_TPR	0x080
#define APIC_EOI	0x0b0
#define APIC_SVR	0x0f0
#define APIC_ESR	0x280
#define APIC_ICR_LOW	0x300
#define APIC_ICR_HIGH	0x310
#define APIC_LVT_TIMER	0x320
#define APIC_LVT_LINT0	0x350
#define APIC_LVT_LINT1	0x360
#define APIC_LVT_ERROR	0x370
#define APIC_TIMER_INIT 0x380
#define APIC_TIMER_CUR	0x390
#define APIC_TIMER_DIV	0x3e0

#define APIC_SVR_ENABLE	  0x100
#define APIC_LVT_MASKED	  (1U << 16)
#define APIC_LVT_PERIODIC (1U << 17)
#define APIC_DM_NMI	  0x400
#define APIC_ICR_BUSY	  (1U << 12)
#define APIC_DEST_SELF	  (1U << 18)
#define APIC_DEST_ALLBUT  (3U << 18)
#define APIC_DM_INIT	  0x500
#define APIC_DM_STARTUP	  0x600
#define APIC_LEVEL_ASSERT (1U << 14)

/* Local APIC (arch/x86_64/apic.c). Valid after irq_init(). */
u32 lapic_read(u32 reg);
void lapic_write(u32 reg, u32 val);
u32 lapic_id(void);
void lapic_eoi(void);
/* Send vector to the calling CPU. Requires: irq_init() done. */
void lapic_send_self_ipi(u8 vector);
/* Send vector to the CPU with APIC ID dest. Any context. */
void lapic_send_ipi(u32 dest, u8 vector);
/* Raw ICR write (INIT, STARTUP, NMI ...): dest, low word. */
void lapic_send_icr(u32 dest, u32 low);
/* Enable the calling AP's LAPIC like the boot CPU's. Interrupts off. */
void lapic_init_ap(void);
/* Start the calling AP's periodic tick at the boot CPU's rate. */
int lapic_timer_start_ap(void);
/* The chip of LAPIC-local lines; mask/unmask act on the timer/error LVT. */
extern const struct irq_chip lapic_chip;

/* Register the IPI lines (arch/x86_64/ipi.c); from irq_init(). */
void ipi_init(void);

/* IOAPICs (arch/x86_64/ioapic.c). */
struct acpi_madt_info;
int ioapic_init(const struct acpi_madt_info *madt, u32 dest_apic_id);
/* The GSI behind IRQ irq, or -ENODEV if no IOAPIC pin serves it. */
int ioapic_irq_to_gsi(unsigned int irq);
/* True if irq's redirection entry is masked (or irq is not routed). */
bool ioapic_irq_masked(unsigned int irq);
/* True if irq's redirection entry is level-triggered. */
bool ioapic_irq_level(unsigned int irq);

/* The 8259 pair (arch/x86_64/i8259.c): remap to 0x20.. and mask all. */
void pic_disable(void);

/* The 8254 PIT (arch/x86_64/pit.c). */
#define PIT_HZ 1193182U
/*
 * Count TSC cycles over one window of ms milliseconds timed by PIT
 * channel 2. Returns the count, or 0 if the PIT never finished; *error
 * gets the width in cycles of the interval in which the window ended.
 */
u64 pit_measure_tsc(unsigned int ms, u64 *error);
/* Channel 0 as a periodic rate generator at hz (IRQ 0). */
void pit_start_periodic(unsigned int hz);
/* Channel 0 one-shot and silent (the BIOS leaves it running). */
void pit_stop(void);

#endif
