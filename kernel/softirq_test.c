// SPDX-License-Identifier: MIT
/*
 * softirq_test.c - softirqs run after the hard-IRQ handler, with
 * interrupts on and outside in_irq(); local_bh_disable() holds them off;
 * tasklets run once per schedule and can be killed.
 */
#include <asm/cpu.h>
#include <keel/cpumask.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/softirq.h>
#include <keel/time.h>

static struct {
	unsigned int handler_runs, tasklet_runs;
	bool tasklet_in_irq, tasklet_irqs_off, tasklet_in_softirq;
	bool handler_done_first;
} seen;

static void note_tasklet(struct tasklet *t)
{
	seen.tasklet_runs++;
	seen.tasklet_in_irq = in_irq();
	seen.tasklet_irqs_off = irqs_disabled();
	seen.tasklet_in_softirq = in_serving_softirq();
	seen.handler_done_first = seen.handler_runs > 0;
}

static struct tasklet test_tasklet = TASKLET_INIT(note_tasklet);

static enum irqreturn schedule_handler(unsigned int irq, void *cookie)
{
	tasklet_schedule(&test_tasklet);
	tasklet_schedule(&test_tasklet); /* twice: still one run */
	seen.handler_runs++;
	return IRQ_HANDLED;
}

static int softirq_test_init(struct ktest *t)
{
	seen = (typeof(seen)){ 0 };
	return 0;
}

static void tasklet_runs_after_handler(struct ktest *t)
{
	unsigned int irq = irq_test_line_get();

	KTEST_ASSERT_EQ(
		t, request_irq(irq, schedule_handler, "softirq-test", &seen),
		0);
	KTEST_EXPECT_EQ(t, irq_test_line_raise(), 0);
	free_irq(irq, &seen);
	irq_test_line_put();
	KTEST_EXPECT_EQ(t, seen.tasklet_runs, 1U);
	KTEST_EXPECT_TRUE(t, seen.handler_done_first);
	KTEST_EXPECT_FALSE(t, seen.tasklet_in_irq);
	KTEST_EXPECT_FALSE(t, seen.tasklet_irqs_off);
	KTEST_EXPECT_TRUE(t, seen.tasklet_in_softirq);
}

static void bh_disable_defers(struct ktest *t)
{
	local_bh_disable();
	KTEST_EXPECT_TRUE(t, in_softirq());
	tasklet_schedule(&test_tasklet);
	KTEST_EXPECT_EQ(t, seen.tasklet_runs, 0U);
	local_bh_enable(); /* runs it now */
	KTEST_EXPECT_EQ(t, seen.tasklet_runs, 1U);
	KTEST_EXPECT_FALSE(t, in_softirq());
}

static void killed_tasklet_does_not_run(struct ktest *t)
{
	local_bh_disable();
	tasklet_schedule(&test_tasklet);
	tasklet_kill(&test_tasklet);
	local_bh_enable();
	KTEST_EXPECT_EQ(t, seen.tasklet_runs, 0U);
}

static unsigned int runs_a, runs_b, runs_c;
static struct tasklet tasklet_a, tasklet_b, tasklet_c;

static void count_a(struct tasklet *t)
{
	runs_a++;
}

static void count_b(struct tasklet *t)
{
	runs_b++;
}

static void kill_b(struct tasklet *t)
{
	runs_c++;
	tasklet_kill(&tasklet_b);
}

/*
 * One tasklet kills another scheduled in the same round: the killed one
 * must not run, and the rest of the round must. (Regression: the action
 * took the whole list as a private batch, so the killed tasklet ran
 * anyway and the one after it was lost, "scheduled" for ever.)
 */
static void kill_from_tasklet_in_same_round(struct ktest *t)
{
	tasklet_a = (struct tasklet)TASKLET_INIT(count_a);
	tasklet_b = (struct tasklet)TASKLET_INIT(count_b);
	tasklet_c = (struct tasklet)TASKLET_INIT(kill_b);
	runs_a = runs_b = runs_c = 0;
	local_bh_disable();
	tasklet_schedule(&tasklet_a);
	tasklet_schedule(&tasklet_b);
	tasklet_schedule(&tasklet_c); /* runs first: the list is LIFO */
	local_bh_enable();
	KTEST_EXPECT_EQ(t, runs_c, 1U);
	KTEST_EXPECT_EQ(t, runs_b, 0U);
	KTEST_EXPECT_EQ(t, runs_a, 1U);
	KTEST_EXPECT_FALSE(t, tasklet_a.scheduled);
	tasklet_kill(&tasklet_a);
	tasklet_kill(&tasklet_b);
}

/*
 * SMP: bottom halves are global. A CPU entering local_bh_disable() while
 * another CPU runs softirq actions waits for them to finish (regression:
 * with a per-CPU view, the network code's bh-off sections ran at the same
 * time as its receive softirq on another CPU).
 */
#define SLOW_TASKLET_NS (200 * NSEC_PER_MSEC)

static volatile bool in_slow_tasklet, slow_tasklet_done, overlapped;

static void slow_tasklet_fn(struct tasklet *t)
{
	u64 t0 = ktime_get_ns();

	WRITE_ONCE(in_slow_tasklet, true);
	while (ktime_get_ns() - t0 < SLOW_TASKLET_NS)
		cpu_relax();
	WRITE_ONCE(in_slow_tasklet, false);
	WRITE_ONCE(slow_tasklet_done, true);
}

static struct tasklet slow_tasklet = TASKLET_INIT(slow_tasklet_fn);

/* On CPU 1: once the tasklet runs on CPU 0, turn bottom halves off. */
static int bh_disabler(void *data)
{
	u64 t0 = ktime_get_ns();

	while (!READ_ONCE(in_slow_tasklet) && !READ_ONCE(slow_tasklet_done) &&
	       ktime_get_ns() - t0 < 5 * NSEC_PER_SEC)
		cpu_relax();
	local_bh_disable();
	overlapped = READ_ONCE(in_slow_tasklet);
	local_bh_enable();
	return 0;
}

static enum irqreturn noop_handler(unsigned int irq, void *cookie)
{
	return IRQ_HANDLED;
}

static void bh_disable_waits_for_other_cpu(struct ktest *t)
{
	unsigned int irq;
	struct task *p;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	in_slow_tasklet = slow_tasklet_done = overlapped = false;
	p = kthread_run_on_cpu(bh_disabler, NULL, 1, "bh-disabler");
	KTEST_ASSERT_FALSE(t, IS_ERR_OR_NULL(p));
	irq = irq_test_line_get();
	KTEST_EXPECT_EQ(t, request_irq(irq, noop_handler, "softirq-smp", &p),
			0);
	tasklet_schedule(&slow_tasklet);
	/* the softirq runs the tasklet here, on interrupt exit */
	KTEST_EXPECT_EQ(t, irq_test_line_raise(), 0);
	free_irq(irq, &p);
	irq_test_line_put();
	KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
	KTEST_EXPECT_TRUE(t, slow_tasklet_done);
	KTEST_EXPECT_FALSE(t, overlapped);
}

static struct ktest_case softirq_cases[] = {
	KTEST_CASE(tasklet_runs_after_handler),
	KTEST_CASE(bh_disable_defers),
	KTEST_CASE(killed_tasklet_does_not_run),
	KTEST_CASE(kill_from_tasklet_in_same_round),
	KTEST_CASE(bh_disable_waits_for_other_cpu),
	{}
};
KTEST_SUITE(softirq, softirq_cases, .init = softirq_test_init);
