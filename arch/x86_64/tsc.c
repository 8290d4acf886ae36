// SPDX-License-Identifier: MIT
/*
 * tsc.c - calibrate the time-stamp counter against the PIT.
 *
 * The TSC is keel's clock (kernel/time.c turns cycles into nanoseconds);
 * its rate is measured over TSC_RUNS windows of TSC_WINDOW_MS timed by
 * PIT channel 2 and the median is kept, so one window stretched by the
 * host (QEMU under TCG shares the machine) does not skew the result.
 * CPUID tells whether the TSC is invariant (constant rate in all power
 * states); without that bit the rate may drift on real hardware, which
 * is reported but not acted on.
 */
#define pr_fmt(fmt) "tsc: " fmt

#include <asm/apic.h>
#include <asm/time.h>
#include <keel/printk.h>

#define TSC_RUNS		5
#define TSC_WINDOW_MS		10
#define CPUID_APM		0x80000007
#define CPUID_APM_INVARIANT_TSC	(1U << 8)

static bool tsc_invariant(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < CPUID_APM)
		return false;
	cpuid(CPUID_APM, 0, &a, &b, &c, &d);
	return d & CPUID_APM_INVARIANT_TSC;
}

static void sort_u64(u64 *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++)
		for (unsigned int j = i; j && v[j - 1] > v[j]; j--) {
			u64 t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

u64 arch_cycles_calibrate(void)
{
	u32 latch = PIT_HZ / 1000 * TSC_WINDOW_MS;
	u64 runs[TSC_RUNS], khz;

	for (unsigned int i = 0; i < TSC_RUNS; i++) {
		runs[i] = pit_measure_tsc(TSC_WINDOW_MS);
		if (!runs[i]) {
			pr_err("PIT channel 2 did not count; no TSC rate\n");
			return 0;
		}
	}
	sort_u64(runs, TSC_RUNS);
	khz = runs[TSC_RUNS / 2] * PIT_HZ / ((u64)latch * 1000);
	pr_info("%llu.%03llu MHz (PIT, median of %u; spread %llu-%llu kHz), %s\n",
		khz / 1000, khz % 1000, TSC_RUNS,
		runs[0] * PIT_HZ / ((u64)latch * 1000),
		runs[TSC_RUNS - 1] * PIT_HZ / ((u64)latch * 1000),
		tsc_invariant() ? "invariant" : "not invariant");
	return khz;
}

void arch_cycles_show(void)
{
	pr_info("tsc: %s\n", tsc_invariant() ? "invariant (CPUID)" :
		"not invariant (CPUID 80000007:EDX[8] clear)");
}
