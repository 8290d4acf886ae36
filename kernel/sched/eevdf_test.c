// SPDX-License-Identifier: MIT
/*
 * eevdf_test.c - eevdf's wake-up preemption: a task that wakes others
 * while it works keeps the CPU for the first quantum after it woke.
 *
 * On the last CPU a sender sleeps (msleep) until eight receivers are
 * asleep, then, just woken, wakes the eight one after another within
 * about 20 us of CPU time and notes whether any of them ran before it
 * finished. All are nice 0 with short bursts, so every receiver rejoins
 * eligible, and its deadline may well be earlier than the sender's.
 *
 * The regression: eevdf counted the running task's request as used up
 * whenever less of it was left than the woken task asked for, which
 * with equal requests is always, so each wake-up switched (messaging
 * on one CPU: 68,795 switches for 40,000 messages against C fair's
 * 5,228, 4.9x its time): receivers ran early in 50 rounds of 50. Now
 * a wake-up in the first quantum (0.25 ms) after the running task woke
 * does not preempt it (0-2 of 50 seen: a host stall inside a burst
 * stretches it past the quantum under TCG). The test asserts at most
 * one round in four and prints fair's count for contrast. It runs on
 * one CPU too (the test thread only waits).
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/smp.h>
#include <keel/timer.h>

#define ROUNDS	   50
#define RECEIVERS  8
#define PER_WAKEUP 2500 /* ns of work after each wake-up */

struct burst_run {
	struct task *rcv[RECEIVERS];
	int asleep[RECEIVERS]; /* blocked, waiting for the next round */
	int in_burst;	       /* the sender is between its wake-ups */
	int early;	       /* receiver runs inside a burst, this round */
	int early_rounds;      /* rounds with at least one */
	int runs;	       /* receiver runs in all */
	int stop;
};

struct receiver_arg {
	struct burst_run *r;
	int me;
};

static void burn(u64 ns)
{
	u64 end = ktime_get_ns() + ns;

	while (ktime_get_ns() < end)
		cpu_relax();
}

static int receiver_fn(void *data)
{
	struct receiver_arg *a = data;
	struct burst_run *r = a->r;

	for (;;) {
		set_current_state(TASK_BLOCKED);
		WRITE_ONCE(r->asleep[a->me], 1);
		if (READ_ONCE(r->stop)) {
			set_current_state(TASK_RUNNING);
			return 0;
		}
		schedule();
		/* all run on one CPU: plain increments do not race */
		if (READ_ONCE(r->in_burst))
			r->early++;
		r->runs++;
	}
}

static bool all_asleep(struct burst_run *r)
{
	for (int i = 0; i < RECEIVERS; i++)
		if (!READ_ONCE(r->asleep[i]) ||
		    task_state(r->rcv[i]) != TS_BLOCKED)
			return false;
	return true;
}

static int sender_fn(void *data)
{
	struct burst_run *r = data;

	for (int round = 0; round < ROUNDS; round++) {
		do
			msleep(1); /* each burst starts with a wake-up */
		while (!all_asleep(r));
		r->early = 0;
		WRITE_ONCE(r->in_burst, 1);
		for (int i = 0; i < RECEIVERS; i++) {
			WRITE_ONCE(r->asleep[i], 0);
			wake_up_process(r->rcv[i]);
			burn(PER_WAKEUP);
		}
		WRITE_ONCE(r->in_burst, 0);
		r->early_rounds += r->early > 0;
	}
	return 0;
}

/* The rounds under policy; *early: rounds with an early receiver. */
static int run_bursts(const char *policy, int *early, int *runs)
{
	struct burst_run *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct receiver_arg arg[RECEIVERS];
	unsigned int cpu = num_online_cpus() - 1;
	struct task *sender;
	int err, made = 0;

	if (!r)
		return -ENOMEM;
	err = sched_policy_switch_to(policy);
	if (err)
		goto out_free;
	for (; made < RECEIVERS; made++) {
		arg[made] = (struct receiver_arg){ r, made };
		r->rcv[made] = kthread_run_on_cpu(receiver_fn, &arg[made], cpu,
						  "burst-rcv/%d", made);
		if (IS_ERR(r->rcv[made])) {
			err = PTR_ERR(r->rcv[made]);
			goto out_stop;
		}
	}
	sender = kthread_run_on_cpu(sender_fn, r, cpu, "burst-snd");
	if (IS_ERR(sender)) {
		err = PTR_ERR(sender);
		goto out_stop;
	}
	kthread_stop(sender); /* returns once all rounds ran */
	/*
	 * The last round's receivers were woken but may not have run yet:
	 * count their runs once each is asleep again (the sender waits for
	 * that at the start of a round, but there is no round after the
	 * last).
	 */
	while (!all_asleep(r))
		msleep(1);
	*early = r->early_rounds;
	*runs = r->runs;
out_stop:
	WRITE_ONCE(r->stop, 1);
	while (made--) {
		wake_up_process(r->rcv[made]);
		kthread_stop(r->rcv[made]);
	}
	sched_policy_switch(&fair_policy);
out_free:
	kfree(r);
	return err;
}

static void burst_keeps_cpu_against_wakeups(struct ktest *t)
{
	int fair_early = 0, eevdf_early = 0, fair_runs = 0, eevdf_runs = 0;

	KTEST_EXPECT_EQ(t, run_bursts("fair", &fair_early, &fair_runs), 0);
	KTEST_EXPECT_EQ(t, run_bursts("eevdf", &eevdf_early, &eevdf_runs), 0);
	pr_info("    # receivers ran inside the sender's burst in %d/%d rounds under fair, %d/%d under eevdf\n",
		fair_early, ROUNDS, eevdf_early, ROUNDS);
	/* every receiver ran once per round, after the burst at the latest */
	KTEST_EXPECT_GE(t, eevdf_runs, ROUNDS * RECEIVERS);
	/*
	 * The burst is a quantum of CPU time; on the KASAN kernel every
	 * access is a call, so the wake-up path eats much of it and the
	 * share of early rounds says nothing about the policy (seen: 1-48
	 * of 50). Measured on the plain kernels only.
	 */
	if (!KEEL_KASAN)
		KTEST_EXPECT_LE(t, eevdf_early * 4, ROUNDS);
}

static struct ktest_case eevdf_cases[] = {
	KTEST_CASE(burst_keeps_cpu_against_wakeups),
	{}
};
KTEST_SUITE(sched_eevdf_wakeup, eevdf_cases);
