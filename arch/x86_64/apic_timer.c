// SPDX-License-Identifier: MIT
/*
 * apic_timer.c - the periodic tick: the local APIC timer, or the PIT.
 *
 * The LAPIC timer is the default: every CPU has its own (the SMP and
 * scheduler work need a per-CPU tick), it never passes through the
 * IOAPIC, and its periodic mode needs no reprogramming. Its rate (the
 * bus clock / 16) is not architectural, so it is measured against the
 * already calibrated TSC clock (ktime_get_ns()). If that fails, or with
 * "timer=pit" on the command line, PIT channel 0 ticks on ISA IRQ 0
 * (through the IOAPIC, GSI 2 on QEMU) instead.
 *
 * Every application processor starts its own LAPIC timer with the boot
 * CPU's measured count (lapic_timer_start_ap); under timer=pit they
 * have no tick, only CPU 0 does.
 *
 * Locking: none; arch_tick_start() runs once on the boot CPU, and each
 * AP programs only its own LAPIC.
 */
#define pr_fmt(fmt) "tick: " fmt

#include <asm/apic.h>
#include <asm/time.h>
#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/printk.h>
#include <keel/string.h>
#include <keel/time.h>

#define APIC_DIV_16  0x3
#define CALIBRATE_NS (20 * NSEC_PER_MSEC)

static bool use_pit;
static u64 lapic_timer_hz;
static u32 lapic_tick_count; /* timer counts per tick, 0: no LAPIC tick */

static int parse_timer(const char *val)
{
	if (val && !strcmp(val, "pit"))
		use_pit = true;
	else if (val && !strcmp(val, "lapic"))
		use_pit = false;
	else
		return -EINVAL;
	return 0;
}
cmdline_param("timer", parse_timer);

static enum irqreturn tick_irq(unsigned int irq, void *cookie)
{
	tick_periodic();
	return IRQ_HANDLED;
}

/* Read the timer count and the clock together, clock at the midpoint. */
static u32 lapic_count_at(u64 *ns)
{
	u64 t0 = ktime_get_ns();
	u32 count = lapic_read(APIC_TIMER_CUR);

	*ns = t0 + (ktime_get_ns() - t0) / 2;
	return count;
}

/* LAPIC timer input rate in Hz (after the /16 divider), 0 if unknown. */
static u64 lapic_timer_measure(void)
{
	u64 t0, t1;
	u32 c0, c1;

	lapic_write(APIC_TIMER_DIV, APIC_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, 0xffffffff);
	c0 = lapic_count_at(&t0);
	while (ktime_get_ns() - t0 < CALIBRATE_NS)
		cpu_relax();
	c1 = lapic_count_at(&t1);
	lapic_write(APIC_TIMER_INIT, 0);
	if (c1 >= c0 || t1 <= t0)
		return 0;
	return (u64)(c0 - c1) * NSEC_PER_SEC / (t1 - t0);
}

static int lapic_tick_start(unsigned int hz)
{
	u64 count;
	int err;

	lapic_timer_hz = lapic_timer_measure();
	count = lapic_timer_hz / hz;
	if (!count || count > 0xffffffff) {
		pr_warn("LAPIC timer rate %llu Hz unusable for HZ=%u\n",
			lapic_timer_hz, hz);
		return -ERANGE;
	}
	lapic_write(APIC_LVT_TIMER,
		    APIC_LVT_MASKED | APIC_LVT_PERIODIC | LAPIC_TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, count);
	err = request_irq(VECTOR_TO_IRQ(LAPIC_TIMER_VECTOR), tick_irq, "timer",
			  NULL);
	if (err)
		return err;
	lapic_tick_count = count;
	pr_info("LAPIC timer at %llu kHz, %llu counts per tick, HZ=%u\n",
		lapic_timer_hz / 1000, count, hz);
	pit_stop();
	return 0;
}

int lapic_timer_start_ap(void)
{
	if (!lapic_tick_count)
		return -ENODEV;
	lapic_write(APIC_TIMER_DIV, APIC_DIV_16);
	lapic_write(APIC_LVT_TIMER, APIC_LVT_PERIODIC | LAPIC_TIMER_VECTOR);
	lapic_write(APIC_TIMER_INIT, lapic_tick_count);
	return 0;
}

static int pit_tick_start(unsigned int hz)
{
	int err;

	pit_start_periodic(hz);
	err = request_irq(0, tick_irq, "timer", NULL);
	if (err) {
		pit_stop();
		return err;
	}
	pr_info("PIT channel 0 on IRQ 0 (GSI %d), HZ=%u\n",
		ioapic_irq_to_gsi(0), hz);
	return 0;
}

int arch_tick_start(unsigned int hz, const char **source)
{
	int err;

	if (!use_pit) {
		err = lapic_tick_start(hz);
		if (!err) {
			*source = "lapic-timer";
			return 0;
		}
		pr_warn("LAPIC timer failed (%s); falling back to the PIT\n",
			errname(err));
	}
	err = pit_tick_start(hz);
	if (!err)
		*source = "pit";
	return err;
}
