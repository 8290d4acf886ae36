/* SPDX-License-Identifier: MIT */
/*
 * asm/time.h - what kernel/time.c needs from the architecture: a cycle
 * counter (the TSC), its calibration, a periodic tick and a crude delay
 * for before calibration.
 */
#ifndef _ASM_TIME_H
#define _ASM_TIME_H

#include <asm/cpu.h>
#include <asm/io.h>

static inline u64 arch_cycles(void)
{
	return rdtsc();
}

/* About a microsecond: an ISA-bus write to the POST port. */
static inline void arch_io_delay(void)
{
	outb(0x80, 0);
}

/*
 * Measure the cycle counter's rate (arch/x86_64/tsc.c). Returns kHz, or
 * 0 if it could not be measured. Requires: one CPU, interrupts off.
 */
u64 arch_cycles_calibrate(void);
/* Print the counter's features (monitor "uptime"). */
void arch_cycles_show(void);

/*
 * Start a periodic interrupt at hz that calls tick_periodic()
 * (arch/x86_64/apic_timer.c). Returns 0 or -Exxx; *source names the
 * timer used. Requires: irq_init() and clock calibration done.
 */
int arch_tick_start(unsigned int hz, const char **source);

#endif
