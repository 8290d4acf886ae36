// SPDX-License-Identifier: MIT
/*
 * fair_test.c - tests of the scheduling policies through the scheduler
 * core: the C weighted-fair policy (fair.c) and the Rust ones beside it
 * (fair_rs.rs, eevdf.rs), each in its own suite running the same cases.
 *
 * The fairness case measures CPU time (task_runtime_ns, charged at every
 * tick and switch), not wall time, over a few seconds: under TCG the
 * host may stall the virtual CPU at any moment, and a stall is charged
 * to whichever thread ran, which the policy then balances out like any
 * other CPU time. The liveness cases wait for progress with a generous
 * deadline so that a starving policy fails instead of hanging.
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/timer.h>

#define MEASURE_MS    3000
#define DEADLINE_MS   30000
#define TOLERANCE_PCT 10

/* Linux's weights of the nice values used below. */
#define W_NICE0	 1024
#define W_NICE5	 335
#define W_NICE10 110

struct hog {
	int stop;
	u64 loops;
};

static int hog_fn(void *data)
{
	struct hog *h = data;

	while (!READ_ONCE(h->stop)) {
		WRITE_ONCE(h->loops, h->loops + 1);
		cpu_relax();
	}
	return 0;
}

static struct task *start_hog(struct hog *h, unsigned int cpu, int nice)
{
	struct task *p = kthread_create(hog_fn, h, "hog/n%d", nice);

	if (IS_ERR(p))
		return p;
	sched_set_nice(p, nice);
	kthread_bind(p, cpu);
	wake_up_process(p);
	return p;
}

static void stop_hogs(struct hog *h, struct task **p, int n)
{
	for (int i = 0; i < n; i++)
		WRITE_ONCE(h[i].stop, 1);
	for (int i = 0; i < n; i++)
		if (!IS_ERR_OR_NULL(p[i]))
			kthread_stop(p[i]);
}

/* The last CPU: idle but for the hogs on SMP; CPU 0 on one CPU. */
static unsigned int hog_cpu(void)
{
	return num_online_cpus() - 1;
}

/*
 * Run three CPU-bound threads at nice[] on one CPU for MEASURE_MS; they
 * start together (same vruntime) and their whole lives are measured:
 * CPU time in used[], turns on the CPU in turns[]. Returns false if they
 * could not be created.
 */
static bool run_three_hogs(struct ktest *t, const int nice[3], u64 used[3],
			   u64 turns[3])
{
	struct task *p[3] = {};
	struct hog h[3] = {};

	for (int i = 0; i < 3; i++) {
		p[i] = kthread_create(hog_fn, &h[i], "hog/n%d", nice[i]);
		if (IS_ERR(p[i])) {
			stop_hogs(h, p, i);
			KTEST_EXPECT_FALSE(t, IS_ERR(p[i]));
			return false;
		}
		sched_set_nice(p[i], nice[i]);
		kthread_bind(p[i], hog_cpu());
	}
	preempt_disable(); /* start all three before any runs here */
	for (int i = 0; i < 3; i++)
		wake_up_process(p[i]);
	preempt_enable();
	msleep(MEASURE_MS);
	for (int i = 0; i < 3; i++)
		WRITE_ONCE(h[i].stop, 1);
	for (int i = 0; i < 3; i++) {
		/* its CPU time is final once it switched away for good */
		wait_for_completion(&p[i]->exited);
		while (READ_ONCE(p[i]->on_cpu))
			sched_yield();
		used[i] = task_runtime_ns(p[i]);
		turns[i] = READ_ONCE(p[i]->nr_switches);
		kthread_stop(p[i]);
	}
	return true;
}

/*
 * The three hogs share the CPU in proportion to weight[], each within
 * TOLERANCE_PCT: only the last quantum before the stop is unaccounted
 * for, about one tick of the smallest share.
 */
static void cpu_time_shares(struct ktest *t, const int nice[3],
			    const u64 weight[3])
{
	u64 used[3], turns[3], total = 0;
	u64 wsum = weight[0] + weight[1] + weight[2];

	if (!run_three_hogs(t, nice, used, turns))
		return;
	for (int i = 0; i < 3; i++)
		total += used[i];
	KTEST_ASSERT_GT(t, total, 0ULL);
	for (int i = 0; i < 3; i++) {
		u64 got = used[i] * wsum, want = total * weight[i];
		u64 diff = got > want ? got - want : want - got;

		pr_info("    # nice %d: %llu.%02llu%% of the CPU time, expected %llu.%02llu%%\n",
			nice[i], got * 100 / total / wsum,
			got * 10000 / total / wsum % 100,
			weight[i] * 100 / wsum, weight[i] * 10000 / wsum % 100);
		KTEST_EXPECT_LE(t, diff * 100, want * TOLERANCE_PCT);
	}
}

/* Weighted-fair policies: shares follow the nice weights. */
static void cpu_time_follows_nice_weights(struct ktest *t)
{
	static const int nice[3] = { 0, 5, 10 };
	static const u64 weight[3] = { W_NICE0, W_NICE5, W_NICE10 };

	cpu_time_shares(t, nice, weight);
}

/*
 * Round robin: nice is ignored and every busy thread gets the CPU in
 * turn, so the three hogs' turns differ by at most one (the round cut
 * by the stop) plus one for a hog that started or ended a round early.
 * Turns, not nanoseconds: a slice is SLICE_TICKS ticks, and what a tick
 * is worth in TSC time depends on how much the host let QEMU run (under
 * a loaded host the nanosecond shares of equal turns were seen 28/33/39%).
 */
static void round_robin_shares_equally(struct ktest *t)
{
	static const int nice[3] = { 0, 5, 10 };
	u64 used[3], turns[3], lo = U64_MAX, hi = 0;

	if (!run_three_hogs(t, nice, used, turns))
		return;
	for (int i = 0; i < 3; i++) {
		pr_info("    # nice %d: %llu turns, %llu ms\n", nice[i],
			turns[i], used[i] / NSEC_PER_MSEC);
		lo = min(lo, turns[i]);
		hi = max(hi, turns[i]);
	}
	/* 3 s of 2-tick slices: about 50 turns each */
	KTEST_EXPECT_GE(t, lo, 20ULL);
	KTEST_EXPECT_LE(t, hi - lo, 2ULL);
}

struct ticker {
	int rounds;
	struct completion done;
};

static int tick_and_sleep(void *data)
{
	struct ticker *tk = data;

	for (int i = 0; i < 20; i++) {
		msleep(2);
		WRITE_ONCE(tk->rounds, i + 1);
	}
	complete(&tk->done);
	return 0;
}

/*
 * Next to three busy threads, a thread that keeps sleeping and waking
 * gets to run every time, and a nice-19 busy thread gets CPU time too.
 */
static void no_thread_starves_among_hogs(struct ktest *t)
{
	struct hog h[4] = {};
	struct task *p[4] = {}, *tp;
	struct ticker tk = {};
	long left;

	init_completion(&tk.done);
	for (int i = 0; i < 4; i++) {
		p[i] = start_hog(&h[i], hog_cpu(), i < 3 ? 0 : NICE_MAX);
		if (IS_ERR(p[i])) {
			stop_hogs(h, p, i);
			KTEST_ASSERT_FALSE(t, IS_ERR(p[i]));
		}
	}
	tp = kthread_create(tick_and_sleep, &tk, "ticker");
	if (!IS_ERR(tp)) {
		kthread_bind(tp, hog_cpu());
		wake_up_process(tp);
	}
	left = IS_ERR(tp) ? 0 :
			    wait_for_completion_timeout(
				    &tk.done, msecs_to_jiffies(DEADLINE_MS));
	for (int ms = 0; ms < DEADLINE_MS && !READ_ONCE(h[3].loops); ms++)
		msleep(1);
	stop_hogs(h, p, 4);
	KTEST_EXPECT_FALSE(t, IS_ERR(tp));
	if (!IS_ERR(tp))
		kthread_stop(tp);
	KTEST_EXPECT_GT(t, left, 0L);
	KTEST_EXPECT_EQ(t, tk.rounds, 20);
	for (int i = 0; i < 4; i++)
		KTEST_EXPECT_GT(t, h[i].loops, 0ULL);
}

struct pingpong {
	struct wait_queue_head wq;
	int turn; /* even: side 0 plays, odd: side 1 */
	int rounds;
};

struct side {
	struct pingpong *pp;
	int me;
};

static int play(void *data)
{
	struct side *s = data;
	struct pingpong *pp = s->pp;

	/* rounds drops to 0 when the other side could not be started */
	for (int i = 0; i < READ_ONCE(pp->rounds); i++) {
		wait_event(pp->wq, READ_ONCE(pp->turn) % 2 == s->me ||
					   !READ_ONCE(pp->rounds));
		if (!READ_ONCE(pp->rounds))
			break;
		WRITE_ONCE(pp->turn, pp->turn + 1);
		wake_up(&pp->wq);
	}
	return 0;
}

/* Two threads handing a turn back and forth, on one CPU and on two. */
static void wakeups_alternate_two_threads(struct ktest *t)
{
	for (int split = 0; split < 2; split++) {
		struct pingpong pp = { .rounds = 500 };
		struct side s[2] = { { &pp, 0 }, { &pp, 1 } };
		unsigned int cpu1 = split ? hog_cpu() : 0;
		struct task *a, *b;

		a = kthread_run_on_cpu(play, &s[0], 0, "ping");
		KTEST_ASSERT_FALSE(t, IS_ERR(a));
		b = kthread_run_on_cpu(play, &s[1], cpu1, "pong");
		KTEST_EXPECT_FALSE(t, IS_ERR(b));
		if (!IS_ERR(b))
			KTEST_EXPECT_EQ(t, kthread_stop(b), 0);
		else { /* let a finish, even mid-game */
			WRITE_ONCE(pp.rounds, 0);
			wake_up(&pp.wq);
		}
		KTEST_EXPECT_EQ(t, kthread_stop(a), 0);
		KTEST_EXPECT_EQ(t, pp.turn, 2 * pp.rounds);
	}
}

/*
 * Two busy threads on CPU 0 (one waits in its queue) are set free to run
 * anywhere: an idle CPU pulls the waiting one at its next tick.
 */
static void idle_cpu_pulls_queued_work(struct ktest *t)
{
	struct hog h[2] = {};
	struct task *p[2] = {};
	bool moved = false;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	for (int i = 0; i < 2; i++) {
		p[i] = start_hog(&h[i], 0, 0);
		if (IS_ERR(p[i])) {
			stop_hogs(h, p, i);
			KTEST_ASSERT_FALSE(t, IS_ERR(p[i]));
		}
	}
	msleep(30);
	for (int i = 0; i < 2; i++)
		sched_setaffinity(p[i], CPU_MASK_ALL);
	for (int ms = 0; ms < DEADLINE_MS && !moved; ms++) {
		msleep(1);
		moved = READ_ONCE(p[0]->cpu) != READ_ONCE(p[1]->cpu);
	}
	stop_hogs(h, p, 2);
	KTEST_EXPECT_TRUE(t, moved);
}

/*
 * Every policy runs the same cases through the core: one suite per
 * policy, whose per-case init switches to it live (and exit back to the
 * C fair policy). A policy that is not registered skips its suite; the
 * sched_policies suite fails then.
 */
static struct sched_policy_stats stats_before;

static int use_policy(const char *name)
{
	sched_policy_stats(&stats_before);
	return sched_policy_switch_to(name) ||
	       strcmp(sched_policy_name(), name);
}

/* The policy under test gave no answer the core had to reject. */
static void back_to_fair(struct ktest *t)
{
	struct sched_policy_stats now;

	sched_policy_stats(&now);
	KTEST_EXPECT_EQ(t, now.pick_invalid, stats_before.pick_invalid);
	KTEST_EXPECT_EQ(t, now.pick_lost, stats_before.pick_lost);
	KTEST_EXPECT_EQ(t, now.select_invalid, stats_before.select_invalid);
	KTEST_EXPECT_EQ(t, now.balance_invalid, stats_before.balance_invalid);
	KTEST_EXPECT_EQ(t, now.starved, stats_before.starved);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
}

#define SHARED_CASES                                       \
	KTEST_CASE(no_thread_starves_among_hogs),          \
		KTEST_CASE(wakeups_alternate_two_threads), \
		KTEST_CASE(idle_cpu_pulls_queued_work)

static int use_fair(struct ktest *t)
{
	return use_policy("fair");
}

static struct ktest_case fair_cases[] = {
	KTEST_CASE(cpu_time_follows_nice_weights),
	SHARED_CASES,
	{}
};
KTEST_SUITE(sched_fair, fair_cases, .init = use_fair, .exit = back_to_fair);

static int use_fair_rs(struct ktest *t)
{
	return use_policy("fair_rs");
}

static struct ktest_case fair_rs_cases[] = {
	KTEST_CASE(cpu_time_follows_nice_weights),
	SHARED_CASES,
	{}
};
KTEST_SUITE(sched_fair_rs, fair_rs_cases, .init = use_fair_rs,
	    .exit = back_to_fair);

static int use_eevdf(struct ktest *t)
{
	return use_policy("eevdf");
}

static struct ktest_case eevdf_cases[] = {
	KTEST_CASE(cpu_time_follows_nice_weights),
	SHARED_CASES,
	{}
};
KTEST_SUITE(sched_eevdf, eevdf_cases, .init = use_eevdf, .exit = back_to_fair);

static int use_rr(struct ktest *t)
{
	return use_policy("rr");
}

static struct ktest_case rr_cases[] = { KTEST_CASE(round_robin_shares_equally),
					SHARED_CASES,
					{} };
KTEST_SUITE(sched_rr, rr_cases, .init = use_rr, .exit = back_to_fair);

#define SWITCH_HOGS	4
#define SWITCH_SLEEPERS 4
#define SWITCH_ROUNDS	3

struct sleeper {
	int stop;
	u64 rounds;
};

static int sleep_loop(void *data)
{
	struct sleeper *sl = data;

	while (!READ_ONCE(sl->stop)) {
		msleep(1);
		WRITE_ONCE(sl->rounds, sl->rounds + 1);
	}
	return 0;
}

/* Wait until every counter moved past seen[]; false at the deadline. */
static bool all_progress(u64 *const cnt[], u64 seen[], int n)
{
	for (int ms = 0; ms < DEADLINE_MS; ms++) {
		bool all = true;

		for (int i = 0; i < n; i++)
			all &= READ_ONCE(*cnt[i]) > seen[i];
		if (all) {
			for (int i = 0; i < n; i++)
				seen[i] = READ_ONCE(*cnt[i]);
			return true;
		}
		msleep(1);
	}
	return false;
}

static u64 slab_objects(void)
{
	struct mm_usage u;

	mm_usage_get(&u);
	return u.slab_objects;
}

/*
 * Busy and sleeping threads, free to run anywhere, keep running while
 * the policy is switched live C fair -> Rust fair -> Rust EEVDF -> Rust
 * RR -> C fair, three times: after each switch every thread makes
 * progress, at the end every thread exits normally, and the policies'
 * queues are freed (slab objects back to the count before, once the
 * threads are reaped).
 */
static void live_switch_under_load(struct ktest *t)
{
	static const char *const order[] = { "fair_rs", "eevdf", "rr", "fair" };
	enum { NR_ORDER = ARRAY_SIZE(order) };
	enum { N = SWITCH_HOGS + SWITCH_SLEEPERS };
	struct hog h[SWITCH_HOGS] = {};
	struct sleeper sl[SWITCH_SLEEPERS] = {};
	struct task *p[N] = {};
	u64 *cnt[N], seen[N] = {}, before;
	bool progress = true;
	int started = 0, codes = 0;

	/* the policies' first queue allocations are not leaks */
	for (int i = 0; i < NR_ORDER; i++)
		KTEST_ASSERT_EQ(t, sched_policy_switch_to(order[i]), 0);
	before = slab_objects();
	for (int i = 0; i < N; i++) {
		bool hog = i < SWITCH_HOGS;

		if (hog) {
			cnt[i] = &h[i].loops;
			p[i] = kthread_create(hog_fn, &h[i], "swhog/%d", i);
		} else {
			cnt[i] = &sl[i - SWITCH_HOGS].rounds;
			p[i] = kthread_create(sleep_loop, &sl[i - SWITCH_HOGS],
					      "swsleep/%d", i);
		}
		if (IS_ERR(p[i]))
			break;
		sched_set_nice(p[i], i % 3 * 5);
		wake_up_process(p[i]);
		started++;
	}
	KTEST_EXPECT_EQ(t, started, N);
	for (int r = 0; r < SWITCH_ROUNDS * NR_ORDER && started == N; r++) {
		KTEST_EXPECT_EQ(t, sched_policy_switch_to(order[r % NR_ORDER]),
				0);
		KTEST_EXPECT_STREQ(t, sched_policy_name(), order[r % NR_ORDER]);
		progress &= all_progress(cnt, seen, N);
	}
	KTEST_EXPECT_TRUE(t, progress);
	for (int i = 0; i < SWITCH_HOGS; i++)
		WRITE_ONCE(h[i].stop, 1);
	for (int i = 0; i < SWITCH_SLEEPERS; i++)
		WRITE_ONCE(sl[i].stop, 1);
	for (int i = 0; i < started; i++)
		codes += kthread_stop(p[i]) == 0;
	KTEST_EXPECT_EQ(t, codes, started);
	for (int ms = 0; ms < DEADLINE_MS && slab_objects() != before; ms++)
		msleep(1);
	KTEST_EXPECT_EQ(t, slab_objects(), before);
}

static struct ktest_case switch_cases[] = { KTEST_CASE(live_switch_under_load),
					    {} };
static int snapshot_stats(struct ktest *t)
{
	sched_policy_stats(&stats_before);
	return 0;
}

KTEST_SUITE(sched_switch, switch_cases, .init = snapshot_stats,
	    .exit = back_to_fair);

/* The Rust policies are built in and registered at boot. */
static void rust_policies_registered(struct ktest *t)
{
	KTEST_EXPECT_NOT_NULL(t, sched_policy_find("rr"));
	KTEST_EXPECT_NOT_NULL(t, sched_policy_find("fair_rs"));
	KTEST_EXPECT_NOT_NULL(t, sched_policy_find("eevdf"));
	KTEST_EXPECT_NOT_NULL(t, sched_policy_find("fair"));
	KTEST_EXPECT_NULL(t, sched_policy_find("no-such-policy"));
	KTEST_EXPECT_EQ(t, sched_policy_switch_to("no-such-policy"), -ENOENT);
	KTEST_EXPECT_EQ(t, sched_policy_register(&fair_policy), -EEXIST);
}

static struct ktest_case registry_cases[] = { KTEST_CASE(
						      rust_policies_registered),
					      {} };
KTEST_SUITE(sched_policies, registry_cases);
