// SPDX-License-Identifier: MIT
/*
 * watchdog_test.c - a misbehaving policy is ejected and the system keeps
 * running (kernel/sched/watchdog.c).
 *
 * Each case starts a few CPU hogs and sleepers, switches live to a bad
 * policy, and waits for the watchdog to put fair back: test_starve
 * (watchdog_test_starve.rs) never runs a nice-19 task next to a
 * busy one, test_panic (watchdog_test_panic.rs) panics in pick_next, and
 * test_invalid (below) answers every pick with NULL. Then every thread
 * must finish (kthread_stop gives back its exit code), the ejection must
 * be counted, and the listing must say why. The panicking policy's
 * memory is abandoned on purpose: the case measures it and declares it
 * to the final leak check. guard_call_and_unwind checks the trampoline
 * (arch/x86_64/policy_guard.S) on its own.
 */
#include <keel/cmdline.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/vmalloc.h>
#include <keel/timer.h>

#include "sched.h"
#include "watchdog.h"

#define EJECT_DEADLINE_MS 30000
#define TEST_WATCHDOG_MS  300
#define TEST_ERRORS	  20
#define NR_HOGS		  3
#define NR_SLEEPERS	  3
#define SLEEP_ROUNDS	  50
#define HOG_EXIT	  40 /* hog i returns HOG_EXIT + i */
#define SLEEPER_EXIT	  60 /* sleeper i returns SLEEPER_EXIT + i */

struct worker {
	struct task *task;
	int index;
	u64 progress; /* loops (hog) or rounds (sleeper) */
};

struct load {
	struct worker hog[NR_HOGS], sleeper[NR_SLEEPERS];
};

static int hog_fn(void *arg)
{
	struct worker *w = arg;

	while (!kthread_should_stop())
		WRITE_ONCE(w->progress, w->progress + 1);
	return HOG_EXIT + w->index;
}

static int sleeper_fn(void *arg)
{
	struct worker *w = arg;

	for (int r = 0; r < SLEEP_ROUNDS; r++) {
		msleep(2);
		WRITE_ONCE(w->progress, r + 1);
	}
	while (!kthread_should_stop())
		msleep(5);
	return SLEEPER_EXIT + w->index;
}

/* Hogs spread over the CPUs (the last pinned where the victim goes). */
static void start_load(struct ktest *t, struct load *l)
{
	unsigned int ncpu = num_online_cpus();

	for (int i = 0; i < NR_HOGS; i++) {
		/* NOLINTNEXTLINE(clang-analyzer-core.DivideZero): ncpu >= 1 */
		unsigned int cpu = (ncpu - 1 + i) % ncpu;

		l->hog[i].index = i;
		l->hog[i].task = kthread_run_on_cpu(hog_fn, &l->hog[i], cpu,
						    "hog/%d", i);
		KTEST_EXPECT_FALSE(t, IS_ERR(l->hog[i].task));
	}
	for (int i = 0; i < NR_SLEEPERS; i++) {
		l->sleeper[i].index = i;
		l->sleeper[i].task = kthread_run(sleeper_fn, &l->sleeper[i],
						 "sleeper/%d", i);
		KTEST_EXPECT_FALSE(t, IS_ERR(l->sleeper[i].task));
	}
}

/* Every thread made progress, finishes, and returns its exit code. */
static void stop_load(struct ktest *t, struct load *l)
{
	for (int ms = 0; ms < EJECT_DEADLINE_MS; ms += 20) {
		int done = 0;

		for (int i = 0; i < NR_SLEEPERS; i++)
			done += READ_ONCE(l->sleeper[i].progress) ==
				SLEEP_ROUNDS;
		if (done == NR_SLEEPERS)
			break;
		msleep(20);
	}
	for (int i = 0; i < NR_SLEEPERS; i++) {
		if (IS_ERR(l->sleeper[i].task))
			continue;
		KTEST_EXPECT_EQ(t, l->sleeper[i].progress, (u64)SLEEP_ROUNDS);
		KTEST_EXPECT_EQ(t, kthread_stop(l->sleeper[i].task),
				SLEEPER_EXIT + i);
	}
	for (int i = 0; i < NR_HOGS; i++) {
		if (IS_ERR(l->hog[i].task))
			continue;
		KTEST_EXPECT_GT(t, l->hog[i].progress, 0ULL);
		KTEST_EXPECT_EQ(t, kthread_stop(l->hog[i].task), HOG_EXIT + i);
	}
}

/* Wait until fair is back and the ejection finished; true if so. */
static bool wait_for_fair(void)
{
	for (int ms = 0; ms < EJECT_DEADLINE_MS; ms += 10) {
		if (!strcmp(sched_policy_name(), "fair") && !watchdog_busy())
			return true;
		msleep(10);
	}
	return false;
}

static void expect_note(struct ktest *t, const char *policy, const char *want)
{
	const char *note = watchdog_policy_note(sched_policy_find(policy));

	KTEST_EXPECT_NOT_NULL(t, note);
	if (note)
		KTEST_EXPECT_NOT_NULL(t, strstr(note, want));
}

static int victim_fn(void *arg)
{
	u64 *loops = arg;

	while (!kthread_should_stop())
		WRITE_ONCE(*loops, *loops + 1);
	return 7;
}

static void starving_policy_is_ejected(struct ktest *t)
{
	struct sched_policy_stats before, after;
	unsigned int old_ms = sched_watchdog_ms();
	struct load l = {};
	struct task *victim;
	u64 victim_loops = 0;

	KTEST_ASSERT_NOT_NULL(t, sched_policy_find("test_starve"));
	victim = kthread_create(victim_fn, &victim_loops, "victim");
	KTEST_ASSERT_FALSE(t, IS_ERR(victim));
	kthread_bind(victim, num_online_cpus() - 1); /* next to hog/0 */
	sched_set_nice(victim, NICE_MAX);
	start_load(t, &l);
	sched_policy_stats(&before);
	sched_set_watchdog_ms(TEST_WATCHDOG_MS);
	KTEST_EXPECT_EQ(t, sched_policy_switch_to("test_starve"), 0);
	wake_up_process(victim);
	KTEST_EXPECT_TRUE(t, wait_for_fair());
	sched_set_watchdog_ms(old_ms);
	sched_policy_stats(&after);
	KTEST_EXPECT_GT(t, after.starved, before.starved);
	KTEST_EXPECT_EQ(t, after.ejected, before.ejected + 1);
	expect_note(t, "test_starve", "starvation");
	stop_load(t, &l);
	KTEST_EXPECT_GT(t, victim_loops, 0ULL);
	KTEST_EXPECT_EQ(t, kthread_stop(victim), 7);
	/* exit() ran: it may be chosen again, and given up again */
	KTEST_EXPECT_EQ(t, sched_policy_switch_to("test_starve"), 0);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&fair_policy), 0);
}

static void panicking_policy_is_ejected(struct ktest *t)
{
	struct sched_policy_stats before, after;
	struct mm_usage mm_before, mm_after;
	unsigned int parked = policy_stacks_parked();
	long objects, pages;
	struct load l = {};

	ktest_failslab_exempt(t, "an ejected policy is abandoned for good");
	KTEST_ASSERT_NOT_NULL(t, sched_policy_find("test_panic"));
	KTEST_ASSERT_EQ(t, policy_stacks_refill(), 0);
	mm_usage_get(&mm_before);
	start_load(t, &l);
	sched_policy_stats(&before);
	KTEST_EXPECT_EQ(t, sched_policy_switch_to("test_panic"), 0);
	KTEST_EXPECT_TRUE(t, wait_for_fair());
	sched_policy_stats(&after);
	KTEST_EXPECT_EQ(t, after.ejected, before.ejected + 1);
	expect_note(t, "test_panic", "abandoned");
	KTEST_EXPECT_EQ(t, sched_policy_switch_to("test_panic"), -EBUSY);
	stop_load(t, &l);
	/*
	 * its per-CPU queues (one allocation per CPU at most) stay, and
	 * each CPU that panicked in it parked its policy stack and got a
	 * new spare (a stack and its vmalloc area)
	 */
	parked = policy_stacks_parked() - parked;
	KTEST_EXPECT_GE(t, parked, 1U);
	mm_usage_get(&mm_after);
	objects = (long)mm_after.slab_objects - (long)mm_before.slab_objects;
	pages = (long)mm_before.free_pages - (long)mm_after.free_pages;
	KTEST_EXPECT_GE(t, objects, 0L);
	KTEST_EXPECT_LE(t, objects, (long)(num_online_cpus() + 2 * parked));
	KTEST_EXPECT_GE(t, pages, 0L);
	KTEST_EXPECT_LE(t, pages,
			objects +
				(long)(parked * (KSTACK_SIZE / PAGE_SIZE + 2)));
	ktest_leak_allow(
		t, objects, pages,
		"queues of the abandoned policy test_panic, spare policy stacks");
}

/* --- test_invalid: books kept right, every pick answered with NULL --- */

#define queued_on se.data[1] /* CPU + 1 while on an invalid_rq list */

static struct list_head invalid_rq[NR_CPUS];

static int invalid_init(void)
{
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		INIT_LIST_HEAD(&invalid_rq[cpu]);
	return 0;
}

static int invalid_task_new(struct task *p)
{
	INIT_LIST_HEAD(&p->se.node);
	p->queued_on = 0;
	return 0;
}

static bool invalid_task_wakeup(struct rq *rq, struct task *p,
				unsigned int flags)
{
	list_add_tail(&p->se.node, &invalid_rq[rq->cpu]);
	p->queued_on = rq->cpu + 1;
	return false;
}

static void invalid_task_dequeue(struct rq *rq, struct task *p)
{
	if (p->queued_on == rq->cpu + 1) {
		list_del_init(&p->se.node);
		p->queued_on = 0;
	}
}

static bool invalid_task_tick(struct rq *rq, struct task *p)
{
	return rq->nr_queued > 0;
}

static struct task *invalid_pick_next(struct rq *rq)
{
	return NULL;
}

static const struct sched_policy_ops invalid_policy = {
	.name = "test_invalid",
	.init = invalid_init,
	.task_new = invalid_task_new,
	.task_wakeup = invalid_task_wakeup,
	.task_dequeue = invalid_task_dequeue,
	.task_tick = invalid_task_tick,
	.pick_next = invalid_pick_next,
};

static void invalid_policy_is_ejected(struct ktest *t)
{
	struct sched_policy_stats before, after;
	unsigned int old_limit = sched_watchdog_errors();
	struct load l = {};

	start_load(t, &l);
	sched_policy_stats(&before);
	sched_set_watchdog_errors(TEST_ERRORS);
	KTEST_EXPECT_EQ(t, sched_policy_switch(&invalid_policy), 0);
	KTEST_EXPECT_TRUE(t, wait_for_fair());
	sched_set_watchdog_errors(old_limit);
	sched_policy_stats(&after);
	KTEST_EXPECT_GT(t, after.pick_lost, before.pick_lost + TEST_ERRORS);
	KTEST_EXPECT_EQ(t, after.ejected, before.ejected + 1);
	KTEST_EXPECT_STREQ(t, watchdog_policy_note(&invalid_policy),
			   "ejected: repeated invalid answers");
	stop_load(t, &l);
}

/* --- the trampoline alone --- */

static unsigned long add4(unsigned long a, unsigned long b, unsigned long c,
			  unsigned long d)
{
	return a + b + c + d;
}

/* What the panic hook does, after trashing the callee-saved registers. */
static unsigned long unwinds(unsigned long a, unsigned long b, unsigned long c)
{
	asm volatile("mov $-1, %%rbx; mov $-1, %%r12; mov $-1, %%r13;"
		     "mov $-1, %%r14; mov $-1, %%r15" ::
			     : "rbx", "r12", "r13", "r14", "r15");
	policy_guard_unwind(this_cpu_read(policy_guard));
}

static const struct sched_policy_ops guard_test_policy = {
	.name = "test_guard",
};

static void guard_call_and_unwind(struct ktest *t)
{
	unsigned long flags = local_irq_save();
	u64 base = ktime_get_ns(); /* live across the calls: must survive */
	u64 v1 = base * 3, v2 = base ^ 0x5555, v3 = base + 7;
	struct guard_ret r;

	r = policy_guarded(&guard_test_policy, (void (*)(void))add4, 1, 20, 300,
			   4000);
	KTEST_EXPECT_EQ(t, r.val, 4321UL);
	KTEST_EXPECT_EQ(t, r.failed, 0UL);
	r = policy_guarded(&guard_test_policy, (void (*)(void))unwinds, v1, v2,
			   v3, 0);
	KTEST_EXPECT_NULL(t, this_cpu_read(policy_guard));
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, r.val, 0UL);
	KTEST_EXPECT_EQ(t, r.failed, 1UL);
	KTEST_EXPECT_EQ(t, v1, base * 3);
	KTEST_EXPECT_EQ(t, v2, base ^ 0x5555);
	KTEST_EXPECT_EQ(t, v3, base + 7);
}

/* --- the panic hook: unwinds a guarded policy, but never fair --- */

/*
 * A case that parked policy stacks (sched_policy_panic_hook) leaves the
 * spares that replaced them allocated: declare what it left, at most a
 * stack (and its vmalloc area) per parked stack.
 */
void allow_parked(struct ktest *t, const struct mm_usage *before,
		  unsigned int parked_before)
{
	unsigned int parked = policy_stacks_parked() - parked_before;
	struct mm_usage after;
	long objects, pages;

	mm_usage_get(&after);
	objects = (long)after.slab_objects - (long)before->slab_objects;
	pages = (long)before->free_pages - (long)after.free_pages;
	KTEST_EXPECT_GE(t, objects, 0L);
	KTEST_EXPECT_LE(t, objects, (long)(2 * parked));
	KTEST_EXPECT_GE(t, pages, 0L);
	KTEST_EXPECT_LE(t, pages,
			(long)(parked * (KSTACK_SIZE / PAGE_SIZE + 2)));
	ktest_leak_allow(t, objects, pages,
			 "spare policy stacks for the parked ones");
}

static const struct sched_policy_ops dummy_policy = { .name = "test_dummy" };
static DEFINE_SPINLOCK(abandoned_lock);

static unsigned long panics(unsigned long a, unsigned long b, unsigned long c)
{
	spin_lock(&abandoned_lock); /* held when it "panics": never freed */
	sched_policy_panic_hook("deliberate, from watchdog_test");
	spin_unlock(&abandoned_lock);
	return 99;
}

static void panic_hook_unwinds_all_but_fair(struct ktest *t)
{
	const struct sched_policy_ops *was_broken = READ_ONCE(policy_broken);
	const struct sched_policy_ops *broken;
	unsigned long flags;
	int count;
	unsigned int locks = this_cpu_read(locks_held);
	unsigned int parked = policy_stacks_parked();
	struct guard_ret fair, other;
	struct mm_usage mm;

	mm_usage_get(&mm);
	flags = local_irq_save();
	count = preempt_count();
	/* fair: the hook returns (panic() would go on and panic) */
	fair = policy_guarded(&fair_policy, (void (*)(void))panics, 0, 0, 0, 0);
	other = policy_guarded(&dummy_policy, (void (*)(void))panics, 0, 0, 0,
			       0);
	broken = READ_ONCE(policy_broken);
	WRITE_ONCE(policy_broken, was_broken);
	KTEST_EXPECT_EQ(t, preempt_count(), count);
	KTEST_EXPECT_EQ(t, this_cpu_read(locks_held), locks);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, policy_stacks_refill(), 0);
	/* parked with the policy's frames: its lock stays taken */
	KTEST_EXPECT_TRUE(t, spin_is_locked(&abandoned_lock));
	KTEST_EXPECT_EQ(t, fair.val, 99UL);
	KTEST_EXPECT_EQ(t, fair.failed, 0UL);
	KTEST_EXPECT_EQ(t, other.val, 0UL);
	KTEST_EXPECT_EQ(t, other.failed, 1UL);
	KTEST_EXPECT_TRUE(t, broken == &dummy_policy);
	/* the ejection it asked for finds dummy not active: nothing done */
	for (int ms = 0; ms < EJECT_DEADLINE_MS && watchdog_busy(); ms += 10)
		msleep(10);
	KTEST_EXPECT_FALSE(t, watchdog_busy());
	KTEST_EXPECT_STREQ(t, sched_policy_name(), "fair");
	/* but it did panic: it may never come back */
	KTEST_EXPECT_TRUE(t, watchdog_policy_note(&dummy_policy) &&
				     strstr(watchdog_policy_note(&dummy_policy),
					    "abandoned"));
	allow_parked(t, &mm, parked);
}

/*
 * The frames of a callback that panicked are parked with its policy
 * stack, not unwound over: their memory is never reused, so whatever
 * they held (a lock, a borrowed or pinned stack object, a TaskToken)
 * is leaked, never overwritten while still "held". The callback puts a
 * pattern in a local array and takes a lock, then panics; afterwards the
 * caller runs a deep call of its own, and the array must be intact. With
 * a longjmp over frames on the caller's stack (the callback run there)
 * the deep call overwrites it.
 */
#define SENTINEL 0x5afe5afe5afe5afeULL
static const struct sched_policy_ops park_policy = { .name = "test_park" };
static DEFINE_SPINLOCK(park_lock);
static volatile u64 *park_sentinel;

static unsigned long panics_holding(unsigned long a, unsigned long b,
				    unsigned long c)
{
	volatile u64 local[8];

	for (int i = 0; i < 8; i++)
		local[i] = SENTINEL;
	park_sentinel = local;
	spin_lock(&park_lock); /* held by the parked frame forever */
	sched_policy_panic_hook("deliberate, from watchdog_test");
	spin_unlock(&park_lock);
	return local[0];
}

static noinline void scribble(void)
{
	volatile u8 deep[2048];

	for (size_t i = 0; i < sizeof(deep); i++)
		deep[i] = 0;
}

static void panic_frames_are_parked(struct ktest *t)
{
	const struct sched_policy_ops *was_broken = READ_ONCE(policy_broken);
	unsigned int parked = policy_stacks_parked();
	struct mm_usage mm;
	unsigned long flags;
	struct guard_ret r;
	bool intact = true;

	mm_usage_get(&mm);
	flags = local_irq_save();
	r = policy_guarded(&park_policy, (void (*)(void))panics_holding, 0, 0,
			   0, 0);
	scribble();
	for (int i = 0; i < 8; i++)
		intact &= park_sentinel[i] == SENTINEL;
	WRITE_ONCE(policy_broken, was_broken);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, r.failed, 1UL);
	KTEST_EXPECT_TRUE(t, intact);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&park_lock));
	KTEST_EXPECT_EQ(t, policy_stacks_parked(), parked + 1);
	KTEST_EXPECT_EQ(t, policy_stacks_refill(), 0);
	for (int ms = 0; ms < EJECT_DEADLINE_MS && watchdog_busy(); ms += 10)
		msleep(10);
	allow_parked(t, &mm, parked);
}

/*
 * A policy abandoned many times (several CPUs panicking in it at once)
 * takes one slot of the abandoned table: a policy abandoned after it is
 * still remembered (the table has EJECTED_REMEMBERED slots).
 */
static const struct sched_policy_ops often_policy = { .name = "test_often" };
static const struct sched_policy_ops later_policy = { .name = "test_later" };

static void abandoning_twice_takes_one_slot(struct ktest *t)
{
	for (int i = 0; i < 2 * EJECTED_REMEMBERED; i++)
		watchdog_abandon(&often_policy, "test: abandoned again");
	watchdog_abandon(&later_policy, "test: abandoned after");
	KTEST_EXPECT_TRUE(t, watchdog_abandoned(&often_policy));
	KTEST_EXPECT_TRUE(t, watchdog_abandoned(&later_policy));
}

/*
 * Two panics before the thread runs: the first (a policy that is not
 * active) takes the one ejection slot, the second (the active policy)
 * is refused it. Handling the first must notice the second.
 */
static const struct sched_policy_ops second_policy = {
	.name = "test_second",
	.init = invalid_init,
	.task_new = invalid_task_new,
	.task_wakeup = invalid_task_wakeup,
	.task_dequeue = invalid_task_dequeue,
	.pick_next = invalid_pick_next,
};
static const struct sched_policy_ops first_policy = { .name = "test_first" };

static unsigned long just_panics(unsigned long a, unsigned long b,
				 unsigned long c)
{
	sched_policy_panic_hook("deliberate, from watchdog_test");
	return 99;
}

/*
 * watchdog_tick() checks for a request without the lock, so it can set
 * the kick just after the thread finished the last request and cleared
 * it (seen once on -smp 4: the thread then read the empty request and
 * dereferenced its NULL policy). The thread must take such a kick back.
 */
static void stale_kick_is_taken_back(struct ktest *t)
{
	KTEST_ASSERT_FALSE(t, watchdog_busy());
	watchdog_kick_stale();
	msleep(50); /* the thread runs on its kick */
	KTEST_EXPECT_FALSE(t, watchdog_busy());
	watchdog_kick_stale(); /* and again: it went back to sleep */
	msleep(50);
	KTEST_EXPECT_FALSE(t, watchdog_busy());
}

static void second_panic_is_not_lost(struct ktest *t)
{
	struct sched_policy_stats before, after;
	unsigned int parked = policy_stacks_parked();
	struct mm_usage mm;
	unsigned long flags;

	sched_policy_stats(&before);
	KTEST_ASSERT_EQ(t, sched_policy_switch(&second_policy), 0);
	mm_usage_get(&mm);
	flags = local_irq_save();
	policy_guarded(&first_policy, (void (*)(void))just_panics, 0, 0, 0, 0);
	local_irq_restore(flags);
	/* the first panic parked this CPU's policy stack: a new spare */
	KTEST_EXPECT_EQ(t, policy_stacks_refill(), 0);
	flags = local_irq_save();
	policy_guarded(&second_policy, (void (*)(void))just_panics, 0, 0, 0, 0);
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, policy_stacks_refill(), 0);
	KTEST_EXPECT_TRUE(t, wait_for_fair());
	sched_policy_stats(&after);
	KTEST_EXPECT_EQ(t, after.ejected, before.ejected + 1);
	KTEST_EXPECT_TRUE(t, watchdog_abandoned(&first_policy));
	KTEST_EXPECT_TRUE(t, watchdog_abandoned(&second_policy));
	KTEST_EXPECT_EQ(t, sched_policy_switch(&second_policy), -EBUSY);
	allow_parked(t, &mm, parked);
}

/* --- the boot parameters --- */

extern const struct cmdline_param __cmdline_params_start[];
extern const struct cmdline_param __cmdline_params_end[];

/* Apply line with every registered handler; returns options ignored. */
static int apply(const char *line)
{
	return cmdline_apply(line, __cmdline_params_start,
			     __cmdline_params_end - __cmdline_params_start);
}

static void params_are_validated(struct ktest *t)
{
	unsigned int old_ms = sched_watchdog_ms();
	unsigned int old_errors = sched_watchdog_errors();

	KTEST_EXPECT_EQ(t, apply("sched.watchdog_ms=1234"), 0);
	KTEST_EXPECT_EQ(t, sched_watchdog_ms(), 1234U);
	KTEST_EXPECT_EQ(t,
			apply("sched.watchdog_ms=5 sched.watchdog_ms=x "
			      "sched.watchdog_ms=3600001 sched.watchdog_ms"),
			4);
	KTEST_EXPECT_EQ(t, sched_watchdog_ms(), 1234U);
	KTEST_EXPECT_EQ(t, apply("sched.watchdog_errors=7"), 0);
	KTEST_EXPECT_EQ(t, sched_watchdog_errors(), 7U);
	KTEST_EXPECT_EQ(t, apply("sched.watchdog_errors=-1"), 1);
	KTEST_EXPECT_EQ(t, apply("sched.watchdog_errors=0"), 0);
	KTEST_EXPECT_EQ(t, sched_watchdog_errors(), 0U);
	sched_set_watchdog_ms(old_ms);
	sched_set_watchdog_errors(old_errors);
}

static void restore(struct ktest *t)
{
	if (strcmp(sched_policy_name(), "fair"))
		sched_policy_switch(&fair_policy);
}

static struct ktest_case watchdog_cases[] = {
	KTEST_CASE(guard_call_and_unwind),
	KTEST_CASE(panic_hook_unwinds_all_but_fair),
	KTEST_CASE(second_panic_is_not_lost),
	KTEST_CASE(stale_kick_is_taken_back),
	KTEST_CASE(abandoning_twice_takes_one_slot),
	KTEST_CASE(params_are_validated),
	KTEST_CASE(starving_policy_is_ejected),
	KTEST_CASE(invalid_policy_is_ejected),
	KTEST_CASE(panicking_policy_is_ejected),
	KTEST_CASE(panic_frames_are_parked),
	{}
};
KTEST_SUITE(sched_watchdog, watchdog_cases, .exit = restore);
