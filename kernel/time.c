// SPDX-License-Identifier: MIT
/*
 * time.c - keel's clock and tick: ktime_get_ns(), delays and jiffies.
 *
 * The clock is the architecture's cycle counter (the TSC on x86_64),
 * calibrated once by time_init(): ns = (cycles - boot_cycles) * mult >>
 * CLOCK_SHIFT, with the product taken in 128 bits so that no uptime
 * overflows it. ktime_get_ns() never returns less than a value it
 * returned before, even if counters of different CPUs disagree slightly:
 * a global high-water mark is advanced with compare-and-swap.
 *
 * The tick is the arch's periodic interrupt (asm/time.h) at HZ, on every
 * CPU; each tick runs tick_periodic(): on CPU 0 only, jiffies advance by
 * the whole periods of 1/HZ s the clock moved since the last jiffy (as
 * Linux's tick_do_update_jiffies64), then timer_tick(): this CPU's
 * expired timers and the scheduler's tick. Counting ticks instead let
 * jiffies run ahead of the clock when the tick interrupts came bunched
 * (under TCG, late timers fire back to back): msleep(20) returned after
 * 19.9 ms.
 *
 * Locking: the clock parameters are written once before interrupts are
 * enabled and read-only afterwards; jiffies is written only by CPU 0's
 * tick and read with READ_ONCE; the high-water mark is atomic.
 */
#define pr_fmt(fmt) "time: " fmt

#include <asm/time.h>
#include <keel/errno.h>
#include <keel/monitor.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/time.h>
#include <keel/timer.h>

volatile u64 jiffies;
static u64 last_jiffy_ns; /* ktime of the latest jiffy; CPU 0's tick */

static u64 boot_cycles;
static u64 clock_mult;
static u64 clock_khz;
static u64 clock_high_water;
static const char *tick_source = "none";

u64 clock_mult_for_khz(u64 khz)
{
	return khz ? (NSEC_PER_MSEC << CLOCK_SHIFT) / khz : 0;
}

u64 clock_cycles_to_ns(u64 cycles, u64 mult)
{
	return ((unsigned __int128)cycles * mult) >> CLOCK_SHIFT;
}

u64 ktime_get_ns(void)
{
	u64 mult = READ_ONCE(clock_mult);
	u64 now, old;
	s64 delta;

	if (!mult)
		return 0;
	delta = arch_cycles() - boot_cycles;
	now = clock_cycles_to_ns(delta > 0 ? delta : 0, mult);
	old = __atomic_load_n(&clock_high_water, __ATOMIC_RELAXED);
	do {
		if (now <= old)
			return old;
	} while (!__atomic_compare_exchange_n(&clock_high_water, &old, now,
					      false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return now;
}

u64 tsc_khz_get(void)
{
	return clock_khz;
}

/* Busy-wait usecs; requires nothing, but is crude before time_init(). */
void udelay(unsigned long usecs)
{
	u64 cycles, start;

	if (!clock_khz) {
		while (usecs--)
			arch_io_delay();
		return;
	}
	cycles = usecs / 1000 * clock_khz + usecs % 1000 * clock_khz / 1000;
	start = arch_cycles();
	while (arch_cycles() - start < cycles)
		cpu_relax();
}

void mdelay(unsigned long msecs)
{
	while (msecs--)
		udelay(1000);
}

void timer_tick(void)
{
	run_local_timers();
	sched_tick();
}

void tick_update_jiffies(void)
{
	u64 delta = ktime_get_ns() - last_jiffy_ns, n;

	if (delta < TICK_NSEC)
		return;
	n = delta / TICK_NSEC;
	last_jiffy_ns += n * TICK_NSEC;
	WRITE_ONCE(jiffies, jiffies + n);
}

void tick_periodic(void)
{
	if (smp_processor_id() == 0)
		tick_update_jiffies();
	timer_tick();
}

/*
 * Calibrate the clock, then start the tick. A clock that cannot be
 * calibrated leaves ktime_get_ns() at 0 and no tick: logged, not fatal.
 * Requires: irq_init() done, interrupts off, one CPU.
 */
void time_init(void)
{
	u64 khz = arch_cycles_calibrate();
	int err;

	if (!khz) {
		pr_err("no clock: timestamps stay 0, no tick\n");
		return;
	}
	boot_cycles = arch_cycles();
	clock_khz = khz;
	WRITE_ONCE(clock_mult, clock_mult_for_khz(khz));
	err = arch_tick_start(HZ, &tick_source);
	if (err)
		pr_err("no periodic tick (%s)\n", errname(err));
}

void time_show(void)
{
	u64 ns = ktime_get_ns();

	monitor_printf("uptime: %llu.%06llu s\n", ns / NSEC_PER_SEC,
		       (ns % NSEC_PER_SEC) / NSEC_PER_USEC);
	monitor_printf("clock: TSC at %llu kHz\n", clock_khz);
	arch_cycles_show();
	monitor_printf("tick: %s, HZ=%u, jiffies=%llu\n", tick_source, HZ,
		       READ_ONCE(jiffies));
}

static int cmd_uptime(int argc, char **argv)
{
	time_show();
	return 0;
}
MONITOR_CMD(uptime, NULL, "time since boot, clock source", 0, 0, cmd_uptime);
