// SPDX-License-Identifier: MIT
/*
 * tsc.c - calibrate the time-stamp counter against the PIT.
 *
 * The TSC is keel's clock (kernel/time.c turns cycles into nanoseconds);
 * its rate is measured over TSC_RUNS windows of TSC_WINDOW_MS timed by
 * PIT channel 2. Each run also reports how precisely it saw the window
 * end (the TSC interval between the last two PIT polls); the most
 * precise run wins, so a run whose vCPU the host preempted while polling
 * (QEMU under TCG shares the machine) does not skew the rate. A first,
 * discarded run warms up the code path: under TCG its first execution
 * includes translation between starting the PIT and reading the TSC.
 * CPUID tells whether the TSC is invariant (constant rate in all power
 * states); without that bit the rate may drift on real hardware, which
 * is reported but not acted on.
 */
#define pr_fmt(fmt) "tsc: " fmt

#include <asm/apic.h>
#include <asm/time.h>
#include <keel/monitor.h>
#include <keel/printk.h>

#define TSC_RUNS		5
#define TSC_WINDOW_MS		10
#define CPUID_APM		0x80000007
#define CPUID_APM_INVARIANT_TSC (1U << 8)

static bool tsc_invariant(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	if (a < CPUID_APM)
		return false;
	cpuid(CPUID_APM, 0, &a, &b, &c, &d);
	return d & CPUID_APM_INVARIANT_TSC;
}

static u64 cycles_to_khz(u64 cycles)
{
	u64 latch = PIT_HZ / 1000 * TSC_WINDOW_MS;

	return cycles * PIT_HZ / (latch * 1000);
}

u64 arch_cycles_calibrate(void)
{
	u64 best = 0, best_err = U64_MAX, lo = U64_MAX, hi = 0;

	for (unsigned int i = 0; i <= TSC_RUNS; i++) {
		u64 err, cycles = pit_measure_tsc(TSC_WINDOW_MS, &err);

		if (!cycles) {
			pr_err("PIT channel 2 did not count; no TSC rate\n");
			return 0;
		}
		if (i == 0)
			continue; /* warm-up */
		if (err < best_err) {
			best = cycles;
			best_err = err;
		}
		lo = min(lo, cycles);
		hi = max(hi, cycles);
	}
	pr_info("%llu.%03llu MHz by PIT (best of %u, +-%llu cycles, runs %llu-%llu kHz), %s\n",
		cycles_to_khz(best) / 1000, cycles_to_khz(best) % 1000,
		TSC_RUNS, best_err, cycles_to_khz(lo), cycles_to_khz(hi),
		tsc_invariant() ? "invariant" : "not invariant");
	return cycles_to_khz(best);
}

void arch_cycles_show(void)
{
	monitor_printf("TSC invariant: %s\n",
		       tsc_invariant() ? "yes" :
					 "no (CPUID 80000007:EDX[8] clear)");
}
