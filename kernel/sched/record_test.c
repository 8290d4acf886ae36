// SPDX-License-Identifier: MIT
/*
 * record_test.c - recording policy calls (kernel/sched/record.c).
 *
 * A trace taken across a live switch starts at the policy's init and
 * holds every call in order with its answer; a full ring stops the
 * recording and marks it truncated; a switch away from the recorded
 * policy ends it; a second start and a dump while recording are
 * refused (-EBUSY); a failed ring allocation (failslab) is -ENOMEM and
 * leaves nothing recording. The case's exit frees the ring and brings
 * the fair policy back.
 */
#include <keel/errno.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/printk.h>
#include <keel/sched_record.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/timer.h>

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

	KTEST_ASSERT_EQ(t, record_fair_switched_in(t, 4096), 0);
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
	struct sched_record_status st;
	unsigned int n;

	KTEST_ASSERT_EQ(t, record_fair_switched_in(t, 4096), 0);
	sched_record_status(&st);
	KTEST_ASSERT_TRUE(t, st.recording);
	KTEST_ASSERT_EQ(t, sched_policy_switch_to("rr"), 0);
	sched_record_status(&st);
	KTEST_EXPECT_FALSE(t, st.recording);
	KTEST_EXPECT_TRUE(t, st.switched_away);
	n = st.records;
	run_threads(t); /* under rr: nothing more is recorded */
	sched_record_status(&st);
	KTEST_EXPECT_EQ(t, st.records, n);
}

static void busy_while_recording(struct ktest *t)
{
	char tail[128];
	size_t n;

	KTEST_ASSERT_EQ(t, sched_record_start(&fair_policy, 64), 0);
	KTEST_EXPECT_EQ(t, sched_record_start(&fair_policy, 64), -EBUSY);
	/* refused before it switches anything (a switch would end it) */
	KTEST_EXPECT_EQ(t, sched_record_start_policy(NULL), -EBUSY);
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	KTEST_EXPECT_EQ(t, sched_record_dump(), -EBUSY);
	sched_record_stop();
	KTEST_EXPECT_EQ(t, sched_record_dump(), 0);
	n = log_buf_tail(tail, sizeof(tail) - 1);
	tail[n] = '\0';
	KTEST_EXPECT_NOT_NULL(t, strstr(tail, "sched-record end records="));
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
	{},
};
KTEST_SUITE(sched_record, record_cases, .exit = clean_up);
