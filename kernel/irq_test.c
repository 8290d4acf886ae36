// SPDX-License-Identifier: MIT
/*
 * irq_test.c - tests of the generic IRQ layer (kernel/irq.c).
 *
 * The cases drive a line no hardware uses (TEST_IRQ) through a fake
 * irq_chip that counts mask/unmask/eoi calls, and "deliver" interrupts
 * by calling irq_dispatch() with interrupts off, as the trap code does.
 * Real delivery through the LAPIC is tested in arch/x86_64/apic_test.c.
 */
#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/timer.h>

#define TEST_IRQ   150 /* no controller routes it */
#define NOCHIP_IRQ 151

static struct {
	unsigned int mask, unmask, eoi;
	unsigned int calls[IRQ_MAX_ACTIONS + 1];
	bool saw_in_irq;
} fake;

struct hold_handler {
	int entered, freeing;
	int reuse_ret; /* request_irq() from inside, while free_irq waits */
};

/* static, so irq_test_exit() can free it whatever the case did */
static struct hold_handler held;

static void fake_mask(unsigned int irq)
{
	fake.mask++;
}

static void fake_unmask(unsigned int irq)
{
	fake.unmask++;
}

static void fake_eoi(unsigned int irq)
{
	fake.eoi++;
}

static const struct irq_chip fake_chip = {
	.name = "fake",
	.mask = fake_mask,
	.unmask = fake_unmask,
	.eoi = fake_eoi,
};

/* cookie points at a calls[] slot */
static enum irqreturn count_handler(unsigned int irq, void *cookie)
{
	(*(unsigned int *)cookie)++;
	fake.saw_in_irq = in_irq();
	return IRQ_HANDLED;
}

static void deliver(unsigned int irq)
{
	unsigned long flags = local_irq_save();

	irq_dispatch(irq + 32, NULL);
	local_irq_restore(flags);
}

static int irq_test_init(struct ktest *t)
{
	memset(&fake, 0, sizeof(fake));
	irq_set_chip(TEST_IRQ, &fake_chip);
	return 0;
}

/* The case's task's CPUs, when a case pinned it (restored on exit). */
static cpumask_t pinned_from;

static void irq_test_exit(struct ktest *t)
{
	if (pinned_from) {
		sched_setaffinity(current, pinned_from);
		pinned_from = 0;
	}
	for (int i = 0; i <= IRQ_MAX_ACTIONS; i++)
		free_irq(TEST_IRQ, &fake.calls[i]);
	free_irq(TEST_IRQ, &held);
	irq_set_chip(TEST_IRQ, NULL);
}

static void request_irq_rejects_bad_arguments(struct ktest *t)
{
	KTEST_EXPECT_EQ(
		t, request_irq(NR_IRQS, count_handler, "t", &fake.calls[0]),
		-EINVAL);
	KTEST_EXPECT_EQ(t, request_irq(TEST_IRQ, NULL, "t", &fake.calls[0]),
			-EINVAL);
	KTEST_EXPECT_EQ(t, fake.unmask, 0U);
}

static void request_irq_without_chip_is_enodev(struct ktest *t)
{
	KTEST_EXPECT_EQ(
		t, request_irq(NOCHIP_IRQ, count_handler, "t", &fake.calls[0]),
		-ENODEV);
}

static void request_irq_on_full_line_is_ebusy(struct ktest *t)
{
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++)
		KTEST_ASSERT_EQ(t,
				request_irq(TEST_IRQ, count_handler, "t",
					    &fake.calls[i]),
				0);
	KTEST_EXPECT_EQ(t,
			request_irq(TEST_IRQ, count_handler, "t",
				    &fake.calls[IRQ_MAX_ACTIONS]),
			-EBUSY);
	free_irq(TEST_IRQ, &fake.calls[0]);
	KTEST_EXPECT_EQ(t,
			request_irq(TEST_IRQ, count_handler, "t",
				    &fake.calls[IRQ_MAX_ACTIONS]),
			0);
}

static void first_request_unmasks_last_free_masks(struct ktest *t)
{
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "a", &fake.calls[0]),
		0);
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "b", &fake.calls[1]),
		0);
	KTEST_EXPECT_EQ(t, fake.unmask, 1U);
	free_irq(TEST_IRQ, &fake.calls[0]);
	KTEST_EXPECT_EQ(t, fake.mask, 0U);
	free_irq(TEST_IRQ, &fake.calls[1]);
	KTEST_EXPECT_EQ(t, fake.mask, 1U);
}

static void dispatch_runs_shared_handlers_then_eoi(struct ktest *t)
{
	u64 before = irq_count(TEST_IRQ);

	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "a", &fake.calls[0]),
		0);
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "b", &fake.calls[1]),
		0);
	deliver(TEST_IRQ);
	KTEST_EXPECT_EQ(t, fake.calls[0], 1U);
	KTEST_EXPECT_EQ(t, fake.calls[1], 1U);
	KTEST_EXPECT_EQ(t, fake.eoi, 1U);
	KTEST_EXPECT_EQ(t, irq_count(TEST_IRQ), before + 1);
	KTEST_EXPECT_TRUE(t, fake.saw_in_irq);
	KTEST_EXPECT_FALSE(t, in_irq());
}

static void free_irq_removes_only_its_handler(struct ktest *t)
{
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "a", &fake.calls[0]),
		0);
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "b", &fake.calls[1]),
		0);
	KTEST_ASSERT_EQ(
		t, request_irq(TEST_IRQ, count_handler, "c", &fake.calls[2]),
		0);
	free_irq(TEST_IRQ, &fake.calls[1]);
	deliver(TEST_IRQ);
	KTEST_EXPECT_EQ(t, fake.calls[0], 1U);
	KTEST_EXPECT_EQ(t, fake.calls[1], 0U);
	KTEST_EXPECT_EQ(t, fake.calls[2], 1U);
	free_irq(TEST_IRQ, &fake.calls[3]); /* never registered: no-op */
	deliver(TEST_IRQ);
	KTEST_EXPECT_EQ(t, fake.calls[0], 2U);
	KTEST_EXPECT_EQ(t, fake.calls[2], 2U);
}

struct slow_handler {
	int entered, finished;
};

/* A handler that takes a while: 50 ms, on whichever CPU runs it. */
static enum irqreturn slow_handler(unsigned int irq, void *cookie)
{
	struct slow_handler *sh = cookie;

	WRITE_ONCE(sh->entered, 1);
	mdelay(50);
	WRITE_ONCE(sh->finished, 1);
	return IRQ_HANDLED;
}

static int deliver_test_irq(void *unused)
{
	deliver(TEST_IRQ);
	return 0;
}

/*
 * Regression: free_irq() used to return while the handler still ran on
 * another CPU, so its cookie could be freed under it. Now it waits.
 */
static void free_irq_waits_for_handler_on_other_cpu(struct ktest *t)
{
	struct slow_handler sh = {};
	struct task *p;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	KTEST_ASSERT_EQ(t, request_irq(TEST_IRQ, slow_handler, "slow", &sh), 0);
	p = kthread_run_on_cpu(deliver_test_irq, NULL, num_online_cpus() - 1,
			       "irq-deliver");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	for (int ms = 0; ms < 20000 && !READ_ONCE(sh.entered); ms++)
		msleep(1);
	KTEST_EXPECT_TRUE(t, READ_ONCE(sh.entered));
	free_irq(TEST_IRQ, &sh);
	KTEST_EXPECT_TRUE(t, READ_ONCE(sh.finished));
	kthread_stop(p);
}

/*
 * Runs on another CPU while the test frees it: once free_irq() has
 * started, keeps trying for 200 ms to get a slot of the (full) line
 * with request_irq(), and records the last result.
 */
static enum irqreturn hold_handler(unsigned int irq, void *cookie)
{
	struct hold_handler *hh = cookie;

	WRITE_ONCE(hh->entered, 1);
	for (int ms = 0; ms < 20000 && !READ_ONCE(hh->freeing); ms++)
		mdelay(1);
	for (int ms = 0; ms < 200; ms++) {
		hh->reuse_ret = request_irq(TEST_IRQ, count_handler, "late",
					    &fake.calls[IRQ_MAX_ACTIONS]);
		if (!hh->reuse_ret)
			break;
		mdelay(1);
	}
	return IRQ_HANDLED;
}

/*
 * Regression (K3): free_irq() cleared the handler, then waited for the
 * handlers running on other CPUs, while request_irq() already handed
 * the cleared slot to a new (handler, cookie) pair; a dispatch that had
 * loaded the old handler then called it with the new cookie. A slot
 * being drained must not be handed out: on a full line, request_irq()
 * from inside the running handler gets -EBUSY until free_irq() returns.
 */
static void free_irq_keeps_draining_slot(struct ktest *t)
{
	struct hold_handler *hh = &held;

	memset(hh, 0, sizeof(*hh));
	struct task *p;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	/*
	 * The handler holds the last CPU with interrupts off until this
	 * task sets freeing: this task must not be waiting on that CPU.
	 */
	pinned_from = current->allowed;
	KTEST_ASSERT_EQ(t, sched_setaffinity(current, cpumask_of(0)), 0);
	while (smp_processor_id() != 0)
		schedule();
	KTEST_ASSERT_EQ(t, request_irq(TEST_IRQ, hold_handler, "hold", hh), 0);
	for (int i = 0; i < IRQ_MAX_ACTIONS - 1; i++)
		KTEST_ASSERT_EQ(t,
				request_irq(TEST_IRQ, count_handler, "t",
					    &fake.calls[i]),
				0);
	p = kthread_run_on_cpu(deliver_test_irq, NULL, num_online_cpus() - 1,
			       "irq-deliver");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	for (int ms = 0; ms < 20000 && !READ_ONCE(hh->entered); ms++)
		msleep(1);
	KTEST_EXPECT_TRUE(t, READ_ONCE(hh->entered));
	WRITE_ONCE(hh->freeing, 1);
	free_irq(TEST_IRQ, hh); /* returns after hold_handler did */
	KTEST_EXPECT_EQ(t, READ_ONCE(hh->reuse_ret), -EBUSY);
	/* drained: now the slot is free */
	KTEST_EXPECT_EQ(t,
			request_irq(TEST_IRQ, count_handler, "late",
				    &fake.calls[IRQ_MAX_ACTIONS]),
			0);
	kthread_stop(p);
}

static struct ktest_case irq_cases[] = {
	KTEST_CASE(request_irq_rejects_bad_arguments),
	KTEST_CASE(request_irq_without_chip_is_enodev),
	KTEST_CASE(request_irq_on_full_line_is_ebusy),
	KTEST_CASE(first_request_unmasks_last_free_masks),
	KTEST_CASE(dispatch_runs_shared_handlers_then_eoi),
	KTEST_CASE(free_irq_removes_only_its_handler),
	KTEST_CASE(free_irq_waits_for_handler_on_other_cpu),
	KTEST_CASE(free_irq_keeps_draining_slot),
	{}
};
KTEST_SUITE(irq, irq_cases, .init = irq_test_init, .exit = irq_test_exit);
