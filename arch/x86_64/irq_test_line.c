// SPDX-License-Identifier: MIT
/*
 * irq_test_line.c - the software-triggered IRQ line for tests (see
 * keel/irq.h): vector APIC_TEST_VECTOR raised by a LAPIC self-IPI.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/time.h>

#define TEST_LINE VECTOR_TO_IRQ(APIC_TEST_VECTOR)

unsigned int irq_test_line_get(void)
{
	irq_set_chip(TEST_LINE, &lapic_chip);
	return TEST_LINE;
}

void irq_test_line_put(void)
{
	irq_set_chip(TEST_LINE, NULL);
}

int irq_test_line_raise(void)
{
	u64 before = irq_count(TEST_LINE), t0;

	if (irqs_disabled())
		return -EINVAL;
	lapic_send_self_ipi(APIC_TEST_VECTOR);
	t0 = ktime_get_ns();
	while (irq_count(TEST_LINE) == before) {
		if (ktime_get_ns() - t0 > NSEC_PER_SEC)
			return -ETIMEDOUT;
		cpu_relax();
	}
	return 0;
}
