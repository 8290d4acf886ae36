// SPDX-License-Identifier: MIT
/*
 * latency_test.c - what eevdf's virtual deadlines buy: a task that asks
 * for the CPU in short bursts gets it first, without getting more of it.
 *
 * On the last CPU a busy thread runs next to two sleepers: "short"
 * runs 0.5 ms per wake-up, "long" 5 ms. Every third tick a timer on
 * that CPU wakes both, long first, in the same interrupt, so the policy
 * sees both before it picks. The test records which of the two runs
 * first and how long short waited (from the timer to it running).
 *
 * Under fair, both come back with a vruntime clamped to min_vruntime -
 * 10 ms (each sleeps far longer than it runs), a tie, and the queue
 * keeps wake-up order: long runs its 5 ms first. Under eevdf both rejoin
 * at lag 0 (eligible), and the earliest virtual deadline, vruntime plus
 * the request (each one's usual burst, scaled by weight), is short's.
 * Both are decisions of one pick per round, not races, so the test
 * asserts eevdf's order in nine rounds out of ten (a host stall can
 * land a tick between the two wake-ups) and prints fair's for contrast.
 * Sleepers run on one CPU with the timer: no cross-CPU interrupt is
 * involved. Needs two CPUs (the test thread stays off that one).
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/timer.h>

#define ROUNDS	    100
#define WARMUP	    10
#define ROUND_TICKS 3
#define SHORT_BURST (NSEC_PER_MSEC / 2)
#define LONG_BURST  (5 * NSEC_PER_MSEC)
#define DEADLINE_MS 60000

enum { SHORT, LONG };

struct pair_run {
	unsigned int cpu;
	int stop;
	struct timer_list pacer;
	struct task *w[2];
	int asleep[2];	 /* blocked, waiting for the next round */
	int round;	 /* rounds started */
	int first;	 /* -1, or who ran first this round */
	u64 woken_ns;	 /* when the pacer woke them */
	int short_first; /* rounds (after WARMUP) short ran first */
	int counted;	 /* rounds after WARMUP */
	int waits;
	u64 wait[ROUNDS]; /* short's wait, per counted round */
};

struct sleeper_arg {
	struct pair_run *r;
	int me;
};

static void burn(u64 ns)
{
	u64 end = ktime_get_ns() + ns;

	while (ktime_get_ns() < end)
		cpu_relax();
}

/* Every ROUND_TICKS ticks on r->cpu: wake both sleepers, long first. */
static void pacer_fn(struct timer_list *tl)
{
	struct pair_run *r = container_of(tl, struct pair_run, pacer);

	if (READ_ONCE(r->stop))
		return;
	if (READ_ONCE(r->asleep[SHORT]) && READ_ONCE(r->asleep[LONG]) &&
	    task_state(r->w[SHORT]) == TS_BLOCKED &&
	    task_state(r->w[LONG]) == TS_BLOCKED) {
		r->first = -1;
		r->round++;
		r->woken_ns = ktime_get_ns();
		WRITE_ONCE(r->asleep[LONG], 0);
		WRITE_ONCE(r->asleep[SHORT], 0);
		wake_up_process(r->w[LONG]);
		wake_up_process(r->w[SHORT]);
	}
	mod_timer(&r->pacer, jiffies + ROUND_TICKS);
}

static void ran(struct pair_run *r, int me)
{
	unsigned long flags;

	flags = local_irq_save(); /* the pacer runs on this CPU */
	if (r->first < 0) {
		r->first = me;
		if (r->round > WARMUP && r->counted < ROUNDS) {
			r->short_first += me == SHORT;
			r->counted++;
		}
	}
	if (me == SHORT && r->round > WARMUP && r->waits < ROUNDS)
		r->wait[r->waits++] = ktime_get_ns() - r->woken_ns;
	local_irq_restore(flags);
}

static int sleeper_fn(void *data)
{
	struct sleeper_arg *a = data;
	struct pair_run *r = a->r;

	while (!READ_ONCE(r->stop)) {
		set_current_state(TASK_BLOCKED);
		WRITE_ONCE(r->asleep[a->me], 1);
		if (READ_ONCE(r->stop)) {
			set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
		ran(r, a->me);
		burn(a->me == SHORT ? SHORT_BURST : LONG_BURST);
	}
	return 0;
}

static int busy_fn(void *data)
{
	while (!READ_ONCE(*(int *)data))
		cpu_relax();
	return 0;
}

static void sort_u64(u64 *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			u64 tmp = v[j];

			v[j] = v[j - 1];
			v[j - 1] = tmp;
		}
}

/* The pacer must run on r->cpu: arm it from there. */
static int arm_pacer(void *data)
{
	struct pair_run *r = data;

	mod_timer(&r->pacer, jiffies + ROUND_TICKS);
	return 0;
}

/*
 * Run the rounds under policy; *short_first: rounds of ROUNDS in which
 * short ran first; *p50: short's median wait (ns). Returns 0 or -errno.
 */
static int run_pair(const char *policy, int *short_first, u64 *p50)
{
	struct pair_run *r = kzalloc(sizeof(*r), GFP_KERNEL);
	struct sleeper_arg arg[2];
	struct task *busy = NULL, *armer;
	int err, stop_busy = 0;

	if (!r)
		return -ENOMEM;
	err = sched_policy_switch_to(policy);
	if (err)
		goto out_free;
	r->cpu = num_online_cpus() - 1;
	timer_setup(&r->pacer, pacer_fn);
	sched_setaffinity(current, cpumask_of(0));
	busy = kthread_run_on_cpu(busy_fn, &stop_busy, r->cpu, "pairbusy");
	for (int i = 0; i < 2; i++) {
		arg[i] = (struct sleeper_arg){ r, i };
		r->w[i] = kthread_run_on_cpu(sleeper_fn, &arg[i], r->cpu,
					     i == SHORT ? "short" : "long");
	}
	armer = kthread_run_on_cpu(arm_pacer, r, r->cpu, "pacer");
	/*
	 * The pacer is armed once armer is done: wait for that on every
	 * path, or it would arm the timer of a freed r after out_stop's
	 * del_timer_sync (a use after free found by make check-failslab).
	 */
	if (!IS_ERR(armer))
		kthread_stop(armer);
	if (IS_ERR(busy) || IS_ERR(r->w[0]) || IS_ERR(r->w[1]) ||
	    IS_ERR(armer)) {
		err = -ENOMEM;
		goto out_stop;
	}
	for (int ms = 0; ms < DEADLINE_MS && READ_ONCE(r->counted) < ROUNDS;
	     ms += 10)
		msleep(10);
	err = r->counted < ROUNDS ? -ETIMEDOUT : 0;
	*short_first = r->short_first;
	sort_u64(r->wait, r->waits);
	*p50 = r->wait[r->waits / 2];
out_stop:
	WRITE_ONCE(r->stop, 1);
	del_timer_sync(&r->pacer);
	for (int i = 0; i < 2; i++) {
		if (IS_ERR_OR_NULL(r->w[i]))
			continue;
		wake_up_process(r->w[i]);
		kthread_stop(r->w[i]);
	}
	WRITE_ONCE(stop_busy, 1);
	if (!IS_ERR_OR_NULL(busy))
		kthread_stop(busy);
	sched_setaffinity(current, CPU_MASK_ALL);
	/* later cases expect fair: a failed switch back fails this one */
	stop_busy = sched_policy_switch(&fair_policy);
	if (!err)
		err = stop_busy;
out_free:
	kfree(r);
	return err;
}

static void short_request_runs_first(struct ktest *t)
{
	int fair_first = 0, eevdf_first = 0;
	u64 fair_p50 = 0, eevdf_p50 = 0;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	KTEST_EXPECT_EQ(t, run_pair("fair", &fair_first, &fair_p50), 0);
	KTEST_EXPECT_EQ(t, run_pair("eevdf", &eevdf_first, &eevdf_p50), 0);
	pr_info("    # short sleeper first in %d/%d rounds under fair, %d/%d under eevdf\n",
		fair_first, ROUNDS, eevdf_first, ROUNDS);
	pr_info("    # its median wait: %llu us under fair, %llu us under eevdf\n",
		fair_p50 / 1000, eevdf_p50 / 1000);
	KTEST_EXPECT_GE(t, eevdf_first * 10, ROUNDS * 9);
}

static struct ktest_case latency_cases[] = { KTEST_CASE(
						     short_request_runs_first),
					     {} };
KTEST_SUITE(sched_latency, latency_cases);
