// SPDX-License-Identifier: MIT
/*
 * policy_test.c - the core does not trust a policy (kernel/sched/policy.c).
 *
 * "broken" is a FIFO policy that keeps its own books straight but gives
 * wrong answers on purpose: pick_next names a task that is blocked, a
 * wild pointer, another CPU's idle task, or nothing while tasks wait;
 * select_cpu names CPUs that do not exist or are not allowed; balance
 * names a task that is not on the CPU it was asked about; and, in its
 * starving mode, it never picks one victim thread. With it switched in
 * live, work pinned to every CPU must still finish, each kind of bad
 * answer must be counted, the watchdog must run the victim (and eject
 * the policy: kernel/sched/watchdog_test.c tests that in depth), and
 * the switch back to the fair policy must leave a working system. The
 * rejection case turns the error-count ejection off, to see every kind
 * of bad answer counted.
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/timer.h>

#include "watchdog.h"

#define DEADLINE_MS 30000
#define WORK_ROUNDS 40

#define BAD_PICK    0x1
#define BAD_SELECT  0x2
#define BAD_BALANCE 0x4
#define STARVE	    0x8

#define queued_on se.data[1] /* CPU + 1 while on a broken_rq list */

static struct list_head broken_rq[NR_CPUS];
static unsigned int bad_mode;
static struct task *blocked_task, *victim;
static unsigned long calls;

static int broken_init(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&broken_rq[cpu]);
	return 0;
}

static int broken_task_new(struct task *p)
{
	INIT_LIST_HEAD(&p->se.node);
	p->queued_on = 0;
	return 0;
}

static void enqueue(struct rq *rq, struct task *p)
{
	list_add_tail(&p->se.node, &broken_rq[rq->cpu]);
	p->queued_on = rq->cpu + 1;
}

static bool broken_task_wakeup(struct rq *rq, struct task *p,
			       unsigned int flags)
{
	enqueue(rq, p);
	return false;
}

static void broken_task_dequeue(struct rq *rq, struct task *p)
{
	if (p->queued_on == rq->cpu + 1) {
		list_del_init(&p->se.node);
		p->queued_on = 0;
	}
}

static bool broken_task_tick(struct rq *rq, struct task *p)
{
	return true; /* round robin every tick */
}

/* The first queued task, passing over the victim if others wait. */
static struct task *take_first(struct rq *rq)
{
	struct list_head *q = &broken_rq[rq->cpu];
	bool several = q->next != q && q->next->next != q;
	struct task *p;

	list_for_each_entry(p, q, se.node) {
		if ((bad_mode & STARVE) && several && p == READ_ONCE(victim))
			continue;
		broken_task_dequeue(rq, p);
		return p;
	}
	return NULL;
}

static struct task *broken_pick_next(struct rq *rq)
{
	unsigned long n = ++calls;

	if (bad_mode & BAD_PICK) {
		switch (n % 8) {
		case 1: return READ_ONCE(blocked_task);
		case 3: return (struct task *)0xdead0000beef0000UL;
		case 5: return NULL;
		case 7: return cpu_of((rq->cpu + 1) % num_online_cpus())->idle;
		}
	}
	return take_first(rq);
}

static int broken_select_cpu(struct task *p, unsigned int prev,
			     unsigned int flags)
{
	unsigned long n = ++calls;

	if (!(bad_mode & BAD_SELECT) || n % 2)
		return prev;
	if (n % 4 == 0)
		return n % 8 ? 999 : -1;
	/* a CPU p may not use, if it is pinned */
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (!cpumask_test(p->allowed, cpu))
			return cpu;
	return NR_CPUS;
}

static struct task *broken_balance(struct rq *dst, struct rq *src)
{
	return (bad_mode & BAD_BALANCE) ? dst->curr : NULL;
}

static const struct sched_policy_ops broken_policy = {
	.name = "broken",
	.init = broken_init,
	.task_new = broken_task_new,
	.task_wakeup = broken_task_wakeup,
	.task_preempt = enqueue,
	.task_dequeue = broken_task_dequeue,
	.task_tick = broken_task_tick,
	.pick_next = broken_pick_next,
	.select_cpu = broken_select_cpu,
	.balance = broken_balance,
};

static int wait_forever(void *data)
{
	wait_for_completion(data);
	return 0;
}

struct worker {
	int rounds;
	struct completion done;
};

static int work(void *data)
{
	struct worker *w = data;

	for (int i = 0; i < WORK_ROUNDS; i++) {
		WRITE_ONCE(w->rounds, i + 1);
		if (i % 2)
			msleep(1);
		else
			sched_yield();
	}
	complete(&w->done);
	return 0;
}

struct spin {
	int stop;
	u64 loops;
};

static int spin_fn(void *data)
{
	struct spin *s = data;

	while (!READ_ONCE(s->stop))
		WRITE_ONCE(s->loops, s->loops + 1);
	return 0;
}

static void stop_all(struct task **p, int n)
{
	for (int i = 0; i < n; i++)
		if (!IS_ERR_OR_NULL(p[i]))
			kthread_stop(p[i]);
}

/* Pinned and free workers on every CPU must all finish. */
static void run_workers(struct ktest *t)
{
	struct worker w[2 * NR_CPUS] = {};
	struct task *p[2 * NR_CPUS] = {};
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu) {
		for (int free = 0; free < 2; free++, n++) {
			init_completion(&w[n].done);
			p[n] = free ? kthread_run(work, &w[n], "work/%u", cpu) :
				      kthread_run_on_cpu(work, &w[n], cpu,
							 "pinned/%u", cpu);
			KTEST_EXPECT_FALSE(t, IS_ERR(p[n]));
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		if (IS_ERR(p[i]))
			continue;
		KTEST_EXPECT_GT(t,
				wait_for_completion_timeout(
					&w[i].done,
					msecs_to_jiffies(DEADLINE_MS)),
				0L);
		KTEST_EXPECT_EQ(t, w[i].rounds, WORK_ROUNDS);
	}
	stop_all(p, n);
}

static void broken_answers_are_rejected_and_counted(struct ktest *t)
{
	struct sched_policy_stats before, after;
	struct spin s[2] = {};
	struct task *sp[2] = {}, *blocked;
	unsigned int old_limit = sched_watchdog_errors();
	DECLARE_COMPLETION(release);

	blocked = kthread_run(wait_forever, &release, "blocked");
	KTEST_ASSERT_FALSE(t, IS_ERR(blocked));
	WRITE_ONCE(blocked_task, blocked);
	for (int i = 0; i < 2; i++) /* CPU 0 always has one waiting */
		sp[i] = kthread_run_on_cpu(spin_fn, &s[i], 0, "spin/%d", i);
	sched_policy_stats(&before);
	bad_mode = BAD_PICK | BAD_SELECT | BAD_BALANCE;
	sched_set_watchdog_errors(0); /* count them all, never eject */
	KTEST_EXPECT_EQ(t, sched_policy_switch(&broken_policy), 0);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "broken");
	run_workers(t);
	msleep(50); /* idle CPUs' ticks try to balance from CPU 0 */
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "broken");
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
	sched_set_watchdog_errors(old_limit);
	sched_policy_stats(&after);
	for (int i = 0; i < 2; i++)
		WRITE_ONCE(s[i].stop, 1);
	stop_all(sp, 2);
	complete(&release);
	kthread_stop(blocked);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	KTEST_EXPECT_GT(t, after.pick_invalid, before.pick_invalid);
	KTEST_EXPECT_GT(t, after.pick_lost, before.pick_lost);
	KTEST_EXPECT_GT(t, after.select_invalid, before.select_invalid);
	if (num_online_cpus() > 1)
		KTEST_EXPECT_GT(t, after.balance_invalid,
				before.balance_invalid);
	for (int i = 0; i < 2; i++)
		KTEST_EXPECT_GT(t, s[i].loops, 0ULL);
	run_workers(t); /* and the fair policy took over cleanly */
}

/* fair is back and the ejection is finished */
static bool ejected(void)
{
	return !strcmp(sched_policy_name(), "fair") && !watchdog_busy();
}

static void watchdog_runs_a_starved_task(struct ktest *t)
{
	struct sched_policy_stats before, after;
	struct spin s[2] = {};
	struct task *sp[2] = {};
	unsigned int cpu = num_online_cpus() - 1;
	unsigned int old_ms = sched_watchdog_ms();
	u64 seen = 0;

	sched_policy_stats(&before);
	sp[0] = kthread_run_on_cpu(spin_fn, &s[0], cpu, "hog");
	sp[1] = kthread_create(spin_fn, &s[1], "victim");
	KTEST_ASSERT_FALSE(t, IS_ERR(sp[0]) || IS_ERR(sp[1]));
	kthread_bind(sp[1], cpu);
	WRITE_ONCE(victim, sp[1]);
	bad_mode = STARVE;
	sched_set_watchdog_ms(200);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&broken_policy), 0);
	wake_up_process(sp[1]);
	for (int ms = 0; ms < DEADLINE_MS && !seen; ms += 10) {
		msleep(10);
		seen = READ_ONCE(s[1].loops);
	}
	/* the starvation also ejects the policy */
	for (int ms = 0; ms < DEADLINE_MS && !ejected(); ms += 10)
		msleep(10);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	sched_set_watchdog_ms(old_ms);
	sched_policy_stats(&after);
	WRITE_ONCE(victim, NULL);
	for (int i = 0; i < 2; i++)
		WRITE_ONCE(s[i].stop, 1);
	stop_all(sp, 2);
	KTEST_EXPECT_GT(t, seen, 0ULL);
	KTEST_EXPECT_GT(t, after.starved, before.starved);
	KTEST_EXPECT_EQ(t, after.ejected, before.ejected + 1);
}

/* Only what is required, and task_new: the core fills in the rest. */
static const struct sched_policy_ops minimal_policy = {
	.name = "minimal",
	.init = broken_init,
	.task_new = broken_task_new,
	.task_wakeup = broken_task_wakeup,
	.task_dequeue = broken_task_dequeue,
	.pick_next = broken_pick_next,
};

static void minimal_policy_runs_on_defaults(struct ktest *t)
{
	struct sched_policy_stats before, after;

	bad_mode = 0;
	sched_policy_stats(&before);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&minimal_policy), 0);
	run_workers(t);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
	sched_policy_stats(&after);
	KTEST_EXPECT_EQ(t, after.pick_invalid, before.pick_invalid);
	KTEST_EXPECT_EQ(t, after.pick_lost, before.pick_lost);
	KTEST_EXPECT_EQ(t, after.select_invalid, before.select_invalid);
}

static int init_fails(void)
{
	return -ENOMEM;
}

static const struct sched_policy_ops no_pick = {
	.name = "no-pick",
	.task_wakeup = broken_task_wakeup,
};

static const struct sched_policy_ops failing_init = {
	.name = "failing-init",
	.init = init_fails,
	.task_wakeup = broken_task_wakeup,
	.task_dequeue = broken_task_dequeue,
	.pick_next = broken_pick_next,
};

static const struct sched_policy_ops no_dequeue = {
	.name = "no-dequeue",
	.task_wakeup = broken_task_wakeup,
	.pick_next = broken_pick_next,
};

static void switch_refuses_incomplete_policies(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, sched_policy_switch(NULL), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&no_pick), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&no_dequeue), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&failing_init), -ENOMEM);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
}

static void restore_policy(struct ktest *t)
{
	bad_mode = 0;
	if (strcmp(sched_policy_name(), "fair"))
		sched_policy_switch(&fair_policy);
}

/* Core dequeues of a task whose p->se no longer says it is queued here. */
static unsigned long dequeue_seen, dequeue_unowned;

static void probe_task_dequeue(struct rq *rq, struct task *p)
{
	__atomic_fetch_add(&dequeue_seen, 1, __ATOMIC_RELAXED);
	if (p->queued_on != rq->cpu + 1)
		__atomic_fetch_add(&dequeue_unowned, 1, __ATOMIC_RELAXED);
	broken_task_dequeue(rq, p);
}

/* "broken" answering correctly, and checking p->se at each dequeue. */
static const struct sched_policy_ops probe_policy = {
	.name = "probe",
	.init = broken_init,
	.task_new = broken_task_new,
	.task_wakeup = broken_task_wakeup,
	.task_preempt = enqueue,
	.task_dequeue = probe_task_dequeue,
	.task_tick = broken_task_tick,
	.pick_next = broken_pick_next,
};

/*
 * p->se is the old policy's until its task_dequeue gave p up: when a
 * switch tells the old policy to let go of its queued tasks, each
 * p->se must be the old policy's again, not what the new policy's
 * task_new (which resets p->se, and may relink se.node) made of it.
 */
static void switch_dequeue_sees_old_policy_data(struct ktest *t)
{
	struct task *p[2 * NR_CPUS + 1] = {};
	unsigned int n = 2 * num_online_cpus() + 1;
	struct spin s = {};

	bad_mode = 0;
	KTEST_ASSERT_EQ(t, sched_policy_switch(&probe_policy), 0);
	for (unsigned int i = 0; i < n; i++)
		p[i] = kthread_run(spin_fn, &s, "probe/%u", i);
	msleep(30); /* more spinners than CPUs: some are always queued */
	__atomic_store_n(&dequeue_seen, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&dequeue_unowned, 0, __ATOMIC_RELAXED);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
	KTEST_EXPECT_GT(t, __atomic_load_n(&dequeue_seen, __ATOMIC_RELAXED),
			0UL);
	KTEST_EXPECT_EQ(t, __atomic_load_n(&dequeue_unowned, __ATOMIC_RELAXED),
			0UL);
	WRITE_ONCE(s.stop, 1);
	stop_all(p, n);
}

static struct ktest_case policy_cases[] = {
	KTEST_CASE(switch_refuses_incomplete_policies),
	KTEST_CASE(switch_dequeue_sees_old_policy_data),
	KTEST_CASE(minimal_policy_runs_on_defaults),
	KTEST_CASE(broken_answers_are_rejected_and_counted),
	KTEST_CASE(watchdog_runs_a_starved_task),
	{}
};
KTEST_SUITE(sched_policy, policy_cases, .exit = restore_policy);
