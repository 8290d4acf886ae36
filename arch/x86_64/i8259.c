// SPDX-License-Identifier: MIT
/*
 * i8259.c - retire the legacy 8259A interrupt controller pair.
 *
 * keel routes device interrupts through the IOAPIC, so both PICs are
 * masked. They are first re-initialised with their vectors at 0x20..0x2f:
 * the BIOS leaves the master at 0x08..0x0f, where a spurious IRQ 7 (which
 * masking cannot stop) would look like a double fault.
 */
#include <asm/apic.h>
#include <asm/io.h>

#define PIC1_CMD       0x20
#define PIC1_DATA      0x21
#define PIC2_CMD       0xa0
#define PIC2_DATA      0xa1
#define ICW1_INIT_ICW4 0x11 /* edge, cascade, ICW4 follows */
#define ICW4_8086      0x01
#define PIC1_VECTOR    0x20
#define PIC2_VECTOR    0x28

/* Slow the sequence down for real 8259s: port 0x80 is a no-op write. */
static void pic_out(u16 port, u8 val)
{
	outb(port, val);
	outb(0x80, 0);
}

/* Requires: interrupts off; called once by irq_init(). */
void pic_disable(void)
{
	pic_out(PIC1_CMD, ICW1_INIT_ICW4);
	pic_out(PIC2_CMD, ICW1_INIT_ICW4);
	pic_out(PIC1_DATA, PIC1_VECTOR); /* ICW2: vector base */
	pic_out(PIC2_DATA, PIC2_VECTOR);
	pic_out(PIC1_DATA, 1 << 2); /* ICW3: slave on IRQ 2 */
	pic_out(PIC2_DATA, 2);	    /* ICW3: cascade identity */
	pic_out(PIC1_DATA, ICW4_8086);
	pic_out(PIC2_DATA, ICW4_8086);
	pic_out(PIC1_DATA, 0xff); /* OCW1: mask everything */
	pic_out(PIC2_DATA, 0xff);
}
