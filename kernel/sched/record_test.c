// SPDX-License-Identifier: MIT
/*
 * record_test.c - recording policy calls (kernel/sched/record.c).
 *
 * A trace taken across a live switch starts at the policy's init and
 * holds every call in order with its answer; a full ring stops the
 * recording and marks it truncated; a switch away from the recorded
 * policy ends it; a second start and a dump while recording are
 * refused (-EBUSY); a failed ring allocation (failslab) is -ENOMEM and
 * leaves nothing recording. The switch in is recorded as task_adopt
 * calls, a switch away as the old policy's task_export calls with what
 * they exported. A recorded callback that panics is unwound by the
 * guard inside record.c: it is recorded as failed, the record lock is
 * released and recording goes on; through the core, the policy is
 * ejected and the failed call is the trace's last record. The case's
 * exit frees the ring and brings
 * the fair policy back.
 */
#include <keel/errno.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/sched_record.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/timer.h>

#include "record.h"
#include "sched.h"

#define THREADS 4

static int sleeper(void *unused)
{
	for (int i = 0; i < 5; i++)
		msleep(5);
	return 0;
}

/* Some scheduling: THREADS threads that sleep a few times each. */
static void run_threads(struct ktest *t)
{
	struct task *p[THREADS];

	for (int i = 0; i < THREADS; i++)
		p[i] = kthread_run(sleeper, NULL, "rec/%d", i);
	for (int i = 0; i < THREADS; i++) {
		KTEST_EXPECT_FALSE(t, IS_ERR(p[i]));
		if (!IS_ERR(p[i]))
			KTEST_EXPECT_EQ(t, kthread_stop(p[i]), 0);
	}
}

/* Record fair in a ring of nr, switched in from rr; then run threads. */
static int record_fair_switched_in(struct ktest *t, unsigned int nr)
{
	int err = sched_policy_switch_to("rr");

	if (err)
		return err;
	err = sched_record_start(&fair_policy, nr);
	if (err)
		return err;
	err = sched_policy_switch(&fair_policy);
	if (err)
		return err;
	run_threads(t);
	return 0;
}

static void trace_starts_at_init_in_order(struct ktest *t)
{
	unsigned int kinds[SREC_NR_KINDS] = { 0 };
	struct sched_record_status st;
	struct sched_rec r;

	KTEST_ASSERT_EQ(t, record_fair_switched_in(t, 16384), 0);
	sched_record_stop();
	sched_record_status(&st);
	KTEST_EXPECT_FALSE(t, st.recording);
	KTEST_EXPECT_FALSE(t, st.truncated);
	KTEST_ASSERT_GT(t, st.records, 20U);
	KTEST_ASSERT_EQ(t, sched_record_get(0, &r), 0);
	KTEST_EXPECT_EQ(t, r.kind, SREC_INIT);
	for (unsigned int i = 0; i < st.records; i++) {
		KTEST_ASSERT_EQ(t, sched_record_get(i, &r), 0);
		KTEST_ASSERT_EQ(t, r.seq, i);
		KTEST_ASSERT_LT(t, r.kind, SREC_NR_KINDS);
		kinds[r.kind]++;
		if (r.kind == SREC_PICK_NEXT)
			KTEST_EXPECT_GT(t, r.result, 0LL); /* a pid */
		if (r.kind == SREC_TASK_NEW)
			KTEST_EXPECT_GT(t, r.pid, 0);
	}
	KTEST_EXPECT_EQ(t, kinds[SREC_INIT], 1U);
	/* every task at the switch, then the threads */
	KTEST_EXPECT_GE(t, kinds[SREC_TASK_NEW], THREADS + 1U);
	KTEST_EXPECT_GE(t, kinds[SREC_SELECT_CPU], (unsigned int)THREADS);
	KTEST_EXPECT_GE(t, kinds[SREC_TASK_WAKEUP], (unsigned int)THREADS);
	KTEST_EXPECT_GE(t, kinds[SREC_TASK_BLOCKED], (unsigned int)THREADS);
	KTEST_EXPECT_GE(t, kinds[SREC_PICK_NEXT], (unsigned int)THREADS);
	/* the switch in: fair adopts at least the task that switched */
	KTEST_EXPECT_GE(t, kinds[SREC_TASK_ADOPT], 1U);
	KTEST_EXPECT_EQ(t, kinds[SREC_TASK_EXPORT], 0U);
	KTEST_EXPECT_EQ(t, sched_record_get(st.records, &r), -ENOENT);
}

static void full_ring_stops_truncated(struct ktest *t)
{
	struct sched_record_status st;
	struct sched_rec r;

	KTEST_ASSERT_EQ(t, record_fair_switched_in(t, 8), 0);
	sched_record_status(&st);
	KTEST_EXPECT_FALSE(t, st.recording);
	KTEST_EXPECT_TRUE(t, st.truncated);
	KTEST_EXPECT_EQ(t, st.records, 8U);
	KTEST_EXPECT_EQ(t, st.capacity, 8U);
	KTEST_EXPECT_EQ(t, sched_record_get(7, &r), 0);
	KTEST_EXPECT_EQ(t, r.seq, 7U);
	KTEST_EXPECT_EQ(t, sched_record_get(8, &r), -ENOENT);
}

static void switch_away_ends_recording(struct ktest *t)
{
	unsigned int n, exports = 0, running = 0;
	struct sched_record_status st;
	struct sched_rec r;

	KTEST_ASSERT_EQ(t, record_fair_switched_in(t, 16384), 0);
	sched_record_status(&st);
	KTEST_ASSERT_TRUE(t, st.recording);
	KTEST_ASSERT_EQ(t, sched_policy_switch_to("rr"), 0);
	sched_record_status(&st);
	KTEST_EXPECT_FALSE(t, st.recording);
	KTEST_EXPECT_TRUE(t, st.switched_away);
	n = st.records;
	/* it ends with fair's task_export of each task, the running one too */
	KTEST_ASSERT_GT(t, n, 0U);
	KTEST_ASSERT_EQ(t, sched_record_get(n - 1, &r), 0);
	KTEST_EXPECT_EQ(t, r.kind, SREC_TASK_EXPORT);
	for (unsigned int i = n; i-- > 0 && !sched_record_get(i, &r) &&
				 r.kind == SREC_TASK_EXPORT;) {
		exports++;
		running += !!(r.flags & WF_RUNNING);
		KTEST_EXPECT_TRUE(t, r.flags & WF_SWITCH);
		KTEST_EXPECT_TRUE(t, r.h_valid & SH_LAG); /* fair exports lag */
	}
	KTEST_EXPECT_GE(t, exports, 1U);
	KTEST_EXPECT_GE(t, running, 1U);
	run_threads(t); /* under rr: nothing more is recorded */
	sched_record_status(&st);
	KTEST_EXPECT_EQ(t, st.records, n);
}

static void busy_while_recording(struct ktest *t)
{
	static char dump[65536]; /* 64 records, each under LINE_LEN */

	KTEST_ASSERT_EQ(t, sched_record_start(&fair_policy, 64), 0);
	KTEST_EXPECT_EQ(t, sched_record_start(&fair_policy, 64), -EBUSY);
	/* refused before it switches anything (a switch would end it) */
	KTEST_EXPECT_EQ(t, sched_record_start_policy(NULL), -EBUSY);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	KTEST_EXPECT_EQ(t, sched_record_dump(), -EBUSY);
	sched_record_stop();
	/* the dump is the monitor's answer: on the consoles, not logged */
	KTEST_EXPECT_EQ(t,
			monitor_exec_capture("sched record dump", dump,
					     sizeof(dump)),
			0);
	KTEST_EXPECT_NOT_NULL(t, strstr(dump, "sched-record end records="));
	sched_record_free();
	KTEST_EXPECT_EQ(t, sched_record_dump(), -ENOENT);
	KTEST_EXPECT_EQ(t, sched_record_start(NULL, 64), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_record_start_policy("no-such-policy"),
			-ENOENT);
}

static void ring_allocation_failure(struct ktest *t)
{
	struct failslab_config cfg = { .fail_nth = 1, .times = 1 };
	struct sched_record_status st;
	int err;

	failslab_set(&cfg);
	err = sched_record_start(&fair_policy, 1000);
	cfg = (struct failslab_config){ 0 };
	failslab_set(&cfg);
	KTEST_EXPECT_EQ(t, err, -ENOMEM);
	sched_record_status(&st);
	KTEST_EXPECT_FALSE(t, st.recording);
	KTEST_EXPECT_EQ(t, st.capacity, 0U);
}

/*
 * A recorded callback that panics: the guard sits inside the record
 * lock, so the unwind lands in record.c, which records the call as
 * failed and releases the lock; the next recorded call goes on.
 */
static const struct sched_policy_ops rec_panic_policy = {
	.name = "test_rec_panic",
};

static unsigned long rec_panics(unsigned long a, unsigned long b,
				unsigned long c)
{
	sched_policy_panic_hook("deliberate, from record_test");
	return 99;
}

static unsigned long rec_returns(unsigned long a, unsigned long b,
				 unsigned long c)
{
	return 7;
}

static void panic_in_recorded_call(struct ktest *t)
{
	const struct sched_policy_ops *was_broken = READ_ONCE(policy_broken);
	struct sched_record_status st;
	unsigned int parked = policy_stacks_parked();
	struct guard_ret bad, good;
	struct mm_usage mm;
	unsigned int locks;
	struct sched_rec r;
	unsigned long flags;
	int count;

	KTEST_ASSERT_EQ(t, sched_record_start(&rec_panic_policy, 16), 0);
	mm_usage_get(&mm);
	flags = local_irq_save();
	count = preempt_count();
	locks = this_cpu_read(locks_held);
	bad = policy_call(&rec_panic_policy, SREC_TASK_NEW,
			  (void (*)(void))rec_panics, (unsigned long)current, 0,
			  0, 0);
	KTEST_EXPECT_FALSE(t, record_lock_held());
	KTEST_EXPECT_EQ(t, preempt_count(), count);
	KTEST_EXPECT_EQ(t, this_cpu_read(locks_held), locks);
	good = policy_call(&rec_panic_policy, SREC_TASK_NEW,
			   (void (*)(void))rec_returns, (unsigned long)current,
			   0, 0, 0);
	local_irq_restore(flags);
	KTEST_EXPECT_TRUE(t, READ_ONCE(policy_broken) == &rec_panic_policy);
	WRITE_ONCE(policy_broken, was_broken);
	KTEST_EXPECT_EQ(t, bad.failed, 1UL);
	KTEST_EXPECT_EQ(t, good.failed, 0UL);
	KTEST_EXPECT_EQ(t, good.val, 7UL);
	sched_record_stop();
	sched_record_status(&st);
	KTEST_ASSERT_EQ(t, st.records, 2U);
	KTEST_ASSERT_EQ(t, sched_record_get(0, &r), 0);
	KTEST_EXPECT_EQ(t, r.kind, SREC_TASK_NEW);
	KTEST_EXPECT_EQ(t, r.failed, 1U);
	KTEST_EXPECT_EQ(t, r.result, 0LL); /* what the core got */
	KTEST_EXPECT_EQ(t, r.pid, current->pid);
	KTEST_ASSERT_EQ(t, sched_record_get(1, &r), 0);
	KTEST_EXPECT_EQ(t, r.failed, 0U);
	KTEST_EXPECT_EQ(t, r.result, 7LL);
	/* the ejection it asked for finds it not active: nothing done */
	for (int ms = 0; ms < 30000 && watchdog_busy(); ms += 10)
		msleep(10);
	KTEST_EXPECT_FALSE(t, watchdog_busy());
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	KTEST_EXPECT_EQ(t, policy_stacks_refill(), 0);
	allow_parked(t, &mm, parked);
}

/*
 * The same through the core: a recorded C FIFO policy whose task_tick
 * panic()s once armed. The policy must be ejected (fair back, threads
 * running), the failed call must be the last record (an abandoned
 * policy exports nothing) and the record lock free.
 */
#define fifo_queued se.data[1] /* CPU + 1 while on a fifo_rq list */

static struct list_head fifo_rq[NR_CPUS];
static bool fifo_armed;

static int fifo_init(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&fifo_rq[cpu]);
	return 0;
}

static int fifo_task_new(struct task *p)
{
	INIT_LIST_HEAD(&p->se.node);
	p->fifo_queued = 0;
	return 0;
}

static bool fifo_task_wakeup(struct rq *rq, struct task *p, unsigned int flags)
{
	list_add_tail(&p->se.node, &fifo_rq[rq->cpu]);
	p->fifo_queued = rq->cpu + 1;
	return false;
}

static void fifo_task_dequeue(struct rq *rq, struct task *p)
{
	if (p->fifo_queued == rq->cpu + 1) {
		list_del_init(&p->se.node);
		p->fifo_queued = 0;
	}
}

static bool fifo_task_tick(struct rq *rq, struct task *p)
{
	if (READ_ONCE(fifo_armed))
		panic("deliberate, from record_test's fifo policy");
	return rq->nr_queued > 0;
}

static struct task *fifo_pick_next(struct rq *rq)
{
	struct task *p;

	if (list_empty(&fifo_rq[rq->cpu]))
		return NULL;
	p = list_first_entry(&fifo_rq[rq->cpu], struct task, se.node);
	fifo_task_dequeue(rq, p);
	return p;
}

static const struct sched_policy_ops fifo_policy = {
	.name = "test_rec_fifo",
	.init = fifo_init,
	.task_new = fifo_task_new,
	.task_wakeup = fifo_task_wakeup,
	.task_dequeue = fifo_task_dequeue,
	.task_tick = fifo_task_tick,
	.pick_next = fifo_pick_next,
};

static int spinner(void *unused)
{
	while (!kthread_should_stop())
		cpu_relax();
	return 0;
}

static void recorded_policy_that_panics_is_ejected(struct ktest *t)
{
	unsigned int parked = policy_stacks_parked();
	struct sched_record_status st;
	struct mm_usage mm;
	const char *note;
	struct task *spin;
	struct sched_rec r;
	int ms;

	ktest_failslab_exempt(t, "an ejected policy is abandoned for good");
	KTEST_ASSERT_EQ(t, sched_record_start(&fifo_policy, 4096), 0);
	KTEST_ASSERT_EQ(t, sched_policy_switch(&fifo_policy), 0);
	mm_usage_get(&mm);
	run_threads(t);
	spin = kthread_run(spinner, NULL, "rec/spin"); /* a tick's task */
	KTEST_ASSERT_FALSE(t, IS_ERR(spin));
	WRITE_ONCE(fifo_armed, true);
	for (ms = 0; ms < 30000; ms += 10) {
		if (!strcmp(sched_policy_name(), "fair") && !watchdog_busy())
			break;
		msleep(10);
	}
	WRITE_ONCE(fifo_armed, false);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	KTEST_EXPECT_EQ(t, kthread_stop(spin), 0);
	run_threads(t); /* under fair again */
	KTEST_EXPECT_FALSE(t, record_lock_held());
	note = watchdog_policy_note(&fifo_policy);
	KTEST_EXPECT_TRUE(t, note && strstr(note, "abandoned"));
	sched_record_status(&st);
	KTEST_EXPECT_FALSE(t, st.recording);
	KTEST_EXPECT_TRUE(t, st.switched_away);
	KTEST_ASSERT_GT(t, st.records, 0U);
	KTEST_ASSERT_EQ(t, sched_record_get(st.records - 1, &r), 0);
	KTEST_EXPECT_EQ(t, r.kind, SREC_TASK_TICK);
	KTEST_EXPECT_EQ(t, r.failed, 1U);
	KTEST_EXPECT_EQ(t, r.result, 0LL);
	for (unsigned int i = 0; i + 1 < st.records; i++) {
		KTEST_ASSERT_EQ(t, sched_record_get(i, &r), 0);
		KTEST_EXPECT_EQ(t, r.failed, 0U);
	}
	allow_parked(t, &mm, parked);
}

static void clean_up(struct ktest *t)
{
	sched_record_free();
	sched_policy_switch(&fair_policy);
}

static struct ktest_case record_cases[] = {
	KTEST_CASE(trace_starts_at_init_in_order),
	KTEST_CASE(full_ring_stops_truncated),
	KTEST_CASE(switch_away_ends_recording),
	KTEST_CASE(busy_while_recording),
	KTEST_CASE(ring_allocation_failure),
	KTEST_CASE(panic_in_recorded_call),
	KTEST_CASE(recorded_policy_that_panics_is_ejected),
	{},
};
KTEST_SUITE(sched_record, record_cases, .exit = clean_up);
