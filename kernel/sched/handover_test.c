// SPDX-License-Identifier: MIT
/*
 * handover_test.c - the prepare/adopt hand-over of a live policy switch
 * (kernel/sched/policy.c, "The hand-over").
 *
 * The cases need tasks whose policy state stays still while the test
 * looks at it from another CPU. On the last CPU a nice -20 thread runs
 * next to three nice 14/16/18 threads: each of those runs once (a tick
 * or two, which puts it hundreds of ms of virtual time ahead), and then
 * waits, queued, for the -20 thread to catch up, which takes it over
 * 20 s. Meanwhile their vruntimes in p->se (absolute while queued, under
 * fair, fair_rs and eevdf alike) can be read under that CPU's runqueue
 * lock, and their CPU time shows that they did not run.
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/timer.h>

#include "sched.h"

#define DEADLINE_MS 30000
#define NR_FROZEN   3

struct frozen {
	unsigned int cpu;
	int stop;
	struct task *runner;	   /* nice -20, keeps the CPU */
	struct task *p[NR_FROZEN]; /* nice 14, 16, 18, queued */
	u64 runtime[NR_FROZEN];	   /* their CPU time when frozen */
};

/* What a snapshot sees of the frozen tasks. */
struct view {
	bool queued;
	s64 v[NR_FROZEN];
	struct sched_entity se[NR_FROZEN];
	u64 runtime[NR_FROZEN];
};

static int spin_fn(void *data)
{
	while (!READ_ONCE(*(int *)data))
		cpu_relax();
	return 0;
}

static struct task *start_on(struct frozen *f, int nice, const char *name)
{
	struct task *p = kthread_create(spin_fn, &f->stop, "%s/%d", name, nice);

	if (IS_ERR(p))
		return NULL;
	sched_set_nice(p, nice);
	kthread_bind(p, f->cpu);
	wake_up_process(p);
	return p;
}

static void unfreeze(struct frozen *f)
{
	WRITE_ONCE(f->stop, 1);
	for (int i = 0; i < NR_FROZEN; i++)
		if (f->p[i])
			kthread_stop(f->p[i]);
	if (f->runner)
		kthread_stop(f->runner);
	sched_setaffinity(current, CPU_MASK_ALL);
}

static void look(struct frozen *f, struct view *out)
{
	struct rq *rq = cpu_rq(f->cpu);
	unsigned long flags;

	out->queued = true;
	spin_lock_irqsave(&rq->lock, flags);
	for (int i = 0; i < NR_FROZEN; i++) {
		struct task *p = f->p[i];

		out->queued &= !list_empty(&p->rq_node);
		out->v[i] = p->se.vruntime;
		out->se[i] = p->se;
		out->runtime[i] = p->runtime_ns;
	}
	spin_unlock_irqrestore(&rq->lock, flags);
}

/*
 * Start the threads on the last CPU (this one stays on CPU 0) and wait
 * until each frozen one ran and then stopped running. Returns 0 or
 * -errno.
 */
static int freeze(struct frozen *f)
{
	static const int nice[NR_FROZEN] = { 14, 16, 18 };
	struct view a, b;

	f->cpu = num_online_cpus() - 1;
	sched_setaffinity(current, cpumask_of(0));
	f->runner = start_on(f, NICE_MIN, "runner");
	for (int i = 0; i < NR_FROZEN; i++)
		f->p[i] = start_on(f, nice[i], "frozen");
	for (int i = 0; i < NR_FROZEN; i++)
		if (!f->p[i] || !f->runner)
			return -ENOMEM;
	for (int ms = 0; ms < DEADLINE_MS; ms += 20) {
		msleep(20);
		look(f, &a);
		msleep(20);
		look(f, &b);
		if (a.queued &&
		    !memcmp(a.runtime, b.runtime, sizeof(a.runtime)) &&
		    a.runtime[0] && a.runtime[1] && a.runtime[2]) {
			memcpy(f->runtime, a.runtime, sizeof(f->runtime));
			return 0;
		}
	}
	return -ETIMEDOUT;
}

/* The frozen tasks are still queued and did not run. */
static void expect_still(struct ktest *t, struct frozen *f, struct view *w)
{
	look(f, w);
	KTEST_EXPECT_TRUE(t, w->queued);
	KTEST_EXPECT_MEMEQ(t, w->runtime, f->runtime, sizeof(f->runtime));
}

/*
 * Their lags survive fair -> eevdf -> fair -> fair_rs -> fair: the
 * differences between their vruntimes (ns of nice-0 virtual time) are
 * the same under each policy, so whoever was behind stays behind, by
 * as much.
 */
static void lag_survives_switches(struct ktest *t)
{
	static const char *const order[] = { "eevdf", "fair", "fair_rs",
					     "fair" };
	struct frozen f = {};
	struct view first, w;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	KTEST_ASSERT_EQ(t, sched_policy_switch(&fair_policy), 0);
	if (freeze(&f)) {
		unfreeze(&f);
		KTEST_ASSERT_TRUE(t, false);
	}
	look(&f, &first);
	/* they ran different amounts: distinct vruntimes */
	KTEST_EXPECT_NE(t, first.v[0], first.v[1]);
	KTEST_EXPECT_NE(t, first.v[1], first.v[2]);
	for (int i = 0; i < 4; i++) {
		KTEST_EXPECT_EQ(t, sched_policy_switch_to(order[i]), 0);
		expect_still(t, &f, &w);
		pr_info("    # %s: vruntime gaps %lld %lld ns\n", order[i],
			w.v[1] - w.v[0], w.v[2] - w.v[0]);
		KTEST_EXPECT_EQ(t, w.v[1] - w.v[0], first.v[1] - first.v[0]);
		KTEST_EXPECT_EQ(t, w.v[2] - w.v[0], first.v[2] - first.v[0]);
	}
	unfreeze(&f);
}

/* A policy that fails to start: its init says no. */
static int refuse_init(void)
{
	return -ENODEV;
}

static struct task *never_pick(struct rq *rq)
{
	return NULL;
}

static bool never_wakeup(struct rq *rq, struct task *p, unsigned int flags)
{
	return false;
}

static void never_dequeue(struct rq *rq, struct task *p)
{
}

static const struct sched_policy_ops refuse_policy = {
	.name = "refuse",
	.init = refuse_init,
	.pick_next = never_pick,
	.task_wakeup = never_wakeup,
	.task_dequeue = never_dequeue,
};

/*
 * A policy that adopts a few tasks and then fails: the core must give
 * each adopted queued task back (task_dequeue), forget every task
 * (task_dead) and exit it; it never becomes active.
 */
#define ADOPT_FAIL_AT 3

static struct {
	int inits, exits, news, deads, adopts, adopted_queued, dequeues;
} ff;

static int ff_init(void)
{
	ff.inits++;
	return 0;
}

static void ff_exit(void)
{
	ff.exits++;
}

static int ff_task_new(struct task *p)
{
	p->se.vruntime = 0x5ca1ab1e; /* scribble on p->se: must be undone */
	ff.news++;
	return 0;
}

static void ff_task_dead(struct task *p)
{
	ff.deads++;
}

static int ff_task_adopt(struct rq *rq, struct task *p,
			 const struct sched_handover *h, unsigned int flags)
{
	if (++ff.adopts == ADOPT_FAIL_AT)
		return -ENOMEM;
	if (!(flags & WF_RUNNING))
		ff.adopted_queued++;
	return 0;
}

static void ff_task_dequeue(struct rq *rq, struct task *p)
{
	ff.dequeues++;
}

static const struct sched_policy_ops fail_adopt_policy = {
	.name = "fail_adopt",
	.init = ff_init,
	.exit = ff_exit,
	.task_new = ff_task_new,
	.task_dead = ff_task_dead,
	.pick_next = never_pick,
	.task_wakeup = never_wakeup,
	.task_dequeue = ff_task_dequeue,
	.task_adopt = ff_task_adopt,
};

static u64 slab_objects(void)
{
	struct mm_usage u;

	mm_usage_get(&u);
	return u.slab_objects;
}

/*
 * Under eevdf (Rust), switches to a policy whose init fails and to one
 * whose third adoption fails are refused; eevdf stays, its per-task
 * state (p->se of the frozen tasks) is byte for byte what it was, no
 * memory is lost, and a later switch to fair still hands over the same
 * lags.
 */
static void failed_switch_keeps_old_policy(struct ktest *t)
{
	struct frozen f = {};
	struct view first, before, w;
	u64 slab;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	KTEST_ASSERT_EQ(t, sched_policy_switch(&fair_policy), 0);
	if (freeze(&f)) {
		unfreeze(&f);
		KTEST_ASSERT_TRUE(t, false);
	}
	look(&f, &first);
	KTEST_EXPECT_EQ(t, sched_policy_switch_to("eevdf"), 0);
	look(&f, &before);
	slab = slab_objects();

	KTEST_EXPECT_EQ(t, sched_policy_switch(&refuse_policy), -ENODEV);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "eevdf");
	expect_still(t, &f, &w);
	KTEST_EXPECT_MEMEQ(t, w.se, before.se, sizeof(w.se));

	memset(&ff, 0, sizeof(ff));
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fail_adopt_policy), -ENOMEM);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "eevdf");
	expect_still(t, &f, &w);
	KTEST_EXPECT_MEMEQ(t, w.se, before.se, sizeof(w.se));
	KTEST_EXPECT_EQ(t, ff.inits, 1);
	KTEST_EXPECT_EQ(t, ff.exits, 1);
	KTEST_EXPECT_EQ(t, ff.adopts, ADOPT_FAIL_AT);
	KTEST_EXPECT_GT(t, ff.news, NR_FROZEN);
	KTEST_EXPECT_EQ(t, ff.deads, ff.news);
	KTEST_EXPECT_EQ(t, ff.dequeues, ff.adopted_queued);
	KTEST_EXPECT_EQ(t, slab_objects(), slab);

	/* eevdf still holds the same lags and hands them on */
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
	expect_still(t, &f, &w);
	KTEST_EXPECT_EQ(t, w.v[1] - w.v[0], first.v[1] - first.v[0]);
	KTEST_EXPECT_EQ(t, w.v[2] - w.v[0], first.v[2] - first.v[0]);
	unfreeze(&f);
}

static struct ktest_case handover_cases[] = {
	KTEST_CASE(lag_survives_switches),
	KTEST_CASE(failed_switch_keeps_old_policy),
	{}
};

static int start_fair(struct ktest *t)
{
	return sched_policy_switch(&fair_policy);
}

static void end_fair(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
}

KTEST_SUITE(sched_handover, handover_cases, .init = start_fair,
	    .exit = end_fair);
