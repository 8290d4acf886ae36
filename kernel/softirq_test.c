// SPDX-License-Identifier: MIT
/*
 * softirq_test.c - softirqs run after the hard-IRQ handler, with
 * interrupts on and outside in_irq(); local_bh_disable() holds them off;
 * tasklets run once per schedule and can be killed.
 */
#include <asm/cpu.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/softirq.h>

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

static struct ktest_case softirq_cases[] = {
	KTEST_CASE(tasklet_runs_after_handler),
	KTEST_CASE(bh_disable_defers),
	KTEST_CASE(killed_tasklet_does_not_run),
	{}
};
KTEST_SUITE(softirq, softirq_cases, .init = softirq_test_init);
