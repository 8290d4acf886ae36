// SPDX-License-Identifier: MIT
/*
 * irq_test_line.c - the software-triggered IRQ line for tests (see
 * keel/irq.h). The architecture names the line and raises it
 * (arch_irq_test_line*: a LAPIC self-IPI on x86); this file attaches its
 * controller and waits for the handlers.
 */
#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/time.h>

unsigned int irq_test_line_get(void)
{
	const struct irq_chip *chip;
	unsigned int irq = arch_irq_test_line(&chip);

	irq_set_chip(irq, chip);
	return irq;
}

void irq_test_line_put(void)
{
	const struct irq_chip *chip;

	irq_set_chip(arch_irq_test_line(&chip), NULL);
}

int irq_test_line_raise(void)
{
	const struct irq_chip *chip;
	unsigned int irq = arch_irq_test_line(&chip);
	u64 before = irq_count(irq), t0;

	if (irqs_disabled())
		return -EINVAL;
	arch_irq_test_line_send();
	t0 = ktime_get_ns();
	while (irq_count(irq) == before) {
		if (ktime_get_ns() - t0 > NSEC_PER_SEC)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}
