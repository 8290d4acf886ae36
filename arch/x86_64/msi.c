// SPDX-License-Identifier: MIT
/*
 * msi.c - message-signalled interrupts on x86: a device raises vector v
 * on the CPU with APIC ID d by writing v (edge, fixed delivery) to
 * 0xfee00000 | d << 12 (Intel SDM vol. 3, 11.11). IRQ numbers come from
 * irq_alloc(); the EOI goes to the local APIC. Masking is the device's
 * business (MSI enable bit), so the chip has no mask/unmask.
 */
#include <asm/apic.h>
#include <keel/irq.h>

#define MSI_ADDR_BASE	    0xfee00000ULL
#define MSI_ADDR_DEST_SHIFT 12

static void msi_eoi(unsigned int irq)
{
	(void)irq;
	lapic_eoi();
}

const struct irq_chip msi_irq_chip = {
	.name = "msi",
	.eoi = msi_eoi,
};

void arch_msi_compose(unsigned int irq, u64 *addr, u32 *data)
{
	*addr = MSI_ADDR_BASE | (u64)lapic_id() << MSI_ADDR_DEST_SHIFT;
	*data = FIRST_EXTERNAL_VECTOR + irq;
}
