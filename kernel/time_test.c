// SPDX-License-Identifier: MIT
/*
 * time_test.c - tests of the clock, delays and the tick (kernel/time.c).
 *
 * Time is only bounded from below: QEMU shares the machine, so a case
 * may always take longer than asked. Waits for the tick end after a
 * generous deadline so that a dead timer fails instead of hanging.
 */
#include <asm/cpu.h>
#include <keel/ktest.h>
#include <keel/percpu.h>
#include <keel/sched.h>
#include <keel/time.h>

#define TICK_DEADLINE_NS (5 * NSEC_PER_SEC)

static void ktime_monotonic_over_many_reads(struct ktest *t)
{
	u64 prev = ktime_get_ns(), now;
	unsigned long backwards = 0;

	for (int i = 0; i < 200000; i++) {
		now = ktime_get_ns();
		if (now < prev)
			backwards++;
		prev = now;
	}
	KTEST_EXPECT_EQ(t, backwards, 0UL);
}

static void clock_is_calibrated_and_running(struct ktest *t)
{
	u64 a, b;

	KTEST_ASSERT_GT(t, tsc_khz_get(), 0ULL);
	a = ktime_get_ns();
	udelay(10);
	b = ktime_get_ns();
	KTEST_EXPECT_GT(t, a, 0ULL);
	KTEST_EXPECT_GT(t, b, a);
}

static void udelay_1000_advances_ktime_1ms(struct ktest *t)
{
	u64 start = ktime_get_ns();

	udelay(1000);
	KTEST_EXPECT_GE(t, ktime_get_ns() - start, NSEC_PER_MSEC);
}

static void mdelay_advances_ktime(struct ktest *t)
{
	u64 start = ktime_get_ns();

	mdelay(7);
	KTEST_EXPECT_GE(t, ktime_get_ns() - start, 7 * NSEC_PER_MSEC);
}

/* Wait until jiffies reaches target or the deadline; returns jiffies. */
static u64 wait_jiffies(u64 target, u64 start_ns)
{
	while (READ_ONCE(jiffies) < target &&
	       ktime_get_ns() - start_ns < TICK_DEADLINE_NS)
		halt(); /* the tick itself wakes us */
	return READ_ONCE(jiffies);
}

static void jiffies_advance_with_interrupts_on(struct ktest *t)
{
	u64 j0 = READ_ONCE(jiffies);

	KTEST_ASSERT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_GE(t, wait_jiffies(j0 + 3, ktime_get_ns()), j0 + 3);
}

/*
 * This CPU's tick (and jiffies, if it is CPU 0, the one that advances
 * them) stands still while its interrupts are off; other CPUs tick on.
 */
static void tick_stands_still_with_interrupts_off(struct ktest *t)
{
	unsigned long flags = local_irq_save();
	u64 j0 = READ_ONCE(jiffies), j1, n0 = this_cpu()->ticks, n1;
	bool cpu0 = smp_processor_id() == 0;

	mdelay(3 * 1000 / HZ);
	j1 = READ_ONCE(jiffies);
	n1 = this_cpu()->ticks;
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, n1, n0);
	if (cpu0)
		KTEST_EXPECT_EQ(t, j1, j0);
}

/*
 * n jiffies never take less than n/HZ s of the clock: jiffies are whole
 * periods of ktime (kernel/time.c), not a count of tick interrupts that
 * can come bunched. Sampled for 0.3 s with interrupts on.
 */
static void jiffies_never_run_ahead_of_the_clock(struct ktest *t)
{
	u64 start = ktime_get_ns(), bad = 0, j, now;

	do {
		j = READ_ONCE(jiffies);
		now = ktime_get_ns();
		if (j > now / TICK_NSEC)
			bad++;
	} while (now - start < 300 * NSEC_PER_MSEC);
	KTEST_EXPECT_EQ(t, bad, 0ULL);
}

/*
 * Ticks that come back to back (late timers firing at once) add no
 * jiffy. Only CPU 0's tick moves jiffies (its update is not atomic), so
 * the case needs to run there, where its interrupts-off section keeps
 * the real tick out.
 */
static void bunched_ticks_do_not_advance_jiffies(struct ktest *t)
{
	unsigned long flags = local_irq_save();
	u64 j0 = READ_ONCE(jiffies), j1;
	bool cpu0 = smp_processor_id() == 0;

	for (int i = 0; cpu0 && i < 5; i++)
		tick_update_jiffies();
	j1 = READ_ONCE(jiffies);
	local_irq_restore(flags);
	if (!cpu0) {
		ktest_skip(t, "runs on CPU 0, whose tick moves jiffies");
		return;
	}
	KTEST_EXPECT_LE(t, j1 - j0, 1ULL); /* a period may just have ended */
}

/*
 * HZ/5 ticks (0.2 s at any HZ) must take at least 3/4 of their nominal
 * time (a tick may come late, never early beyond calibration error) and
 * arrive within the deadline: roughly HZ, measured by ktime.
 */
static void tick_rate_is_roughly_hz(struct ktest *t)
{
	u64 ticks = HZ / 5 ? HZ / 5 : 1;
	u64 j0, t0, got, elapsed;

	j0 = wait_jiffies(READ_ONCE(jiffies) + 1, ktime_get_ns());
	t0 = ktime_get_ns();
	got = wait_jiffies(j0 + ticks, t0) - j0;
	elapsed = ktime_get_ns() - t0;
	KTEST_ASSERT_GE(t, got, ticks);
	KTEST_EXPECT_GE(t, elapsed, ticks * NSEC_PER_SEC / HZ * 3 / 4);
}

static void cycles_to_ns_is_exact_and_wide(struct ktest *t)
{
	u64 mult2g = clock_mult_for_khz(2000000); /* 2 GHz */
	u64 mult3g = clock_mult_for_khz(3000000); /* 3 GHz */
	u64 ten_days_ns = 10ULL * 86400 * NSEC_PER_SEC;
	u64 ns;

	KTEST_EXPECT_EQ(t, clock_cycles_to_ns(2000000000ULL, mult2g),
			NSEC_PER_SEC);
	KTEST_EXPECT_EQ(t, clock_cycles_to_ns(0, mult3g), 0ULL);
	/* ten days at 3 GHz: 2.6e15 cycles; 64-bit cycles*mult overflows */
	ns = clock_cycles_to_ns(ten_days_ns * 3, mult3g);
	KTEST_EXPECT_LE(t, ns, ten_days_ns);
	KTEST_EXPECT_GE(t, ns, ten_days_ns - ten_days_ns / 1000000);
	/* 2^63 cycles at 4 GHz is 2^61 ns, not a wrapped small value */
	ns = clock_cycles_to_ns(1ULL << 63, clock_mult_for_khz(4000000));
	KTEST_EXPECT_EQ(t, ns >> 50, (1ULL << 61) >> 50);
	KTEST_EXPECT_EQ(t, clock_mult_for_khz(0), 0ULL);
}

/*
 * The running slice measured against an exec_start from a clock a
 * little ahead (another CPU's: update_curr of a remote runqueue) must
 * not wrap into a huge CPU time, nor make the clock go back.
 */
static void cputime_clock_survives_exec_start_ahead(struct ktest *t)
{
	unsigned long flags = local_irq_save();
	u64 saved = current->exec_start;
	u64 before = task_cpu_time_now(), during;

	current->exec_start = ktime_get_ns() + NSEC_PER_MSEC;
	during = task_cpu_time_now();
	current->exec_start = saved;
	local_irq_restore(flags);
	KTEST_EXPECT_GE(t, during, before);
	KTEST_EXPECT_LT(t, during, before + NSEC_PER_SEC);
	KTEST_EXPECT_GE(t, task_cpu_time_now(), during);
}

static struct ktest_case time_cases[] = {
	KTEST_CASE(ktime_monotonic_over_many_reads),
	KTEST_CASE(clock_is_calibrated_and_running),
	KTEST_CASE(udelay_1000_advances_ktime_1ms),
	KTEST_CASE(mdelay_advances_ktime),
	KTEST_CASE(jiffies_advance_with_interrupts_on),
	KTEST_CASE(tick_stands_still_with_interrupts_off),
	KTEST_CASE(tick_rate_is_roughly_hz),
	KTEST_CASE(jiffies_never_run_ahead_of_the_clock),
	KTEST_CASE(bunched_ticks_do_not_advance_jiffies),
	KTEST_CASE(cycles_to_ns_is_exact_and_wide),
	KTEST_CASE(cputime_clock_survives_exec_start_ahead),
	{}
};
KTEST_SUITE(time, time_cases);
