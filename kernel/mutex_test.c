// SPDX-License-Identifier: MIT
/*
 * mutex_test.c - tests of the sleeping mutex (kernel/mutex.c): a
 * contended mutex keeps a count exact across CPUs, waiters sleep, the
 * unlock hands the mutex to the oldest waiter (no barging), recursion,
 * use from an interrupt handler and locking in atomic context panic,
 * and an unlock by a non-owner is refused.
 */
#include <keel/irq.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/smp.h>
#include <keel/timer.h>

#define DEADLINE_MS 20000
#define ITERS	    500

static bool wait_blocked(struct task *p)
{
	for (int ms = 0; ms < DEADLINE_MS; ms++) {
		if (task_state(p) == TS_BLOCKED)
			return true;
		msleep(1);
	}
	return false;
}

struct shared {
	struct mutex m;
	u64 count;
	int order[8];
	int next;
};

static int count_under_mutex(void *data)
{
	struct shared *s = data;

	for (int i = 0; i < ITERS; i++) {
		mutex_lock(&s->m);
		s->count++;
		if (i % 100 == 0)
			msleep(1); /* sleep holding it: others must wait */
		mutex_unlock(&s->m);
	}
	return 0;
}

static void contention_is_exact(struct ktest *t)
{
	struct shared s = {};
	struct task *p[NR_CPUS * 2];
	unsigned int cpu, n = 0;

	mutex_init(&s.m, "test");
	for_each_online_cpu(cpu) {
		for (int i = 0; i < 2; i++) {
			p[n] = kthread_run_on_cpu(count_under_mutex, &s, cpu,
						  "mtx/%u", cpu);
			if (IS_ERR(p[n]))
				goto stop;
			n++;
		}
	}
stop:
	/* the threads use s, on this stack: stop them before any return */
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(p[i]), 0);
	KTEST_ASSERT_EQ(t, n, num_online_cpus() * 2);
	KTEST_EXPECT_EQ(t, s.count, (u64)n * ITERS);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&s.m));
}

struct waiter {
	struct shared *s;
	int id;
	struct task *owner_seen;
};

static int take_and_note(void *data)
{
	struct waiter *w = data;

	mutex_lock(&w->s->m);
	w->owner_seen = mutex_owner(&w->s->m);
	w->s->order[w->s->next++] = w->id;
	mutex_unlock(&w->s->m);
	return 0;
}

/* Move the current task onto a CPU of mask. */
static void run_on(cpumask_t mask)
{
	sched_setaffinity(current, mask);
	while (!cpumask_test(mask, smp_processor_id()))
		sched_yield();
}

/*
 * Unlock gives the mutex to the waiter before it even runs again. The
 * waiter shares our CPU, so with preemption off it cannot run (and
 * release the mutex) before we look.
 */
static void unlock_hands_off_to_waiter(struct ktest *t)
{
	struct shared s = {};
	struct waiter w = { .s = &s, .id = 1 };
	struct task *p;

	run_on(cpumask_of(0));
	mutex_lock(&s.m);
	p = kthread_run_on_cpu(take_and_note, &w, 0, "handoff");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_TRUE(t, wait_blocked(p));
	preempt_disable(); /* p may not run before we look */
	mutex_unlock(&s.m);
	KTEST_EXPECT_TRUE(t, mutex_owner(&s.m) == p);
	KTEST_EXPECT_FALSE(t, mutex_trylock(&s.m)); /* no barging */
	preempt_enable();
	KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
	KTEST_EXPECT_TRUE(t, w.owner_seen == p);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&s.m));
	run_on(CPU_MASK_ALL);
}

static void waiters_get_it_in_arrival_order(struct ktest *t)
{
	struct waiter w[4];
	struct task *p[4];
	struct shared s = {};

	mutex_lock(&s.m);
	for (int i = 0; i < 4; i++) {
		w[i] = (struct waiter){ .s = &s, .id = i + 1 };
		p[i] = kthread_run(take_and_note, &w[i], "fifo/%d", i);
		KTEST_ASSERT_FALSE(t, IS_ERR(p[i]));
		KTEST_EXPECT_TRUE(t, wait_blocked(p[i]));
	}
	mutex_unlock(&s.m);
	for (int i = 0; i < 4; i++)
		kthread_stop(p[i]);
	KTEST_EXPECT_EQ(t, s.next, 4);
	for (int i = 0; i < 4; i++)
		KTEST_EXPECT_EQ(t, s.order[i], i + 1);
}

static void trylock_and_owner(struct ktest *t)
{
	DEFINE_MUTEX(m);

	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == NULL);
	KTEST_EXPECT_TRUE(t, mutex_trylock(&m));
	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == current);
	KTEST_EXPECT_FALSE(t, mutex_trylock(&m));
	mutex_unlock(&m);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
}

static void zeroed_mutex_works(struct ktest *t)
{
	struct mutex m = {};

	mutex_lock(&m);
	KTEST_EXPECT_TRUE(t, mutex_is_locked(&m));
	mutex_unlock(&m);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
}

static int unlock_foreign(void *data)
{
	mutex_unlock(data);
	return 0;
}

/* An unlock by another task is refused (WARN); the mutex stays held. */
static void foreign_unlock_is_refused(struct ktest *t)
{
	DEFINE_MUTEX(m);
	struct task *p;

	ktest_expect_warn(t, true);
	mutex_lock(&m);
	p = kthread_run(unlock_foreign, &m, "foreign");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	kthread_stop(p); /* its unlock is refused */
	KTEST_EXPECT_TRUE(t, mutex_owner(&m) == current);
	mutex_unlock(&m);
	ktest_expect_warn(t, false);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
}

/* U2: used to WARN and return without the mutex. */
static void recursion_panics(struct ktest *t)
{
	DEFINE_MUTEX(m);

	mutex_lock(&m);
	ktest_expect_panic(t, "recursive locking");
	mutex_lock(&m);
	ktest_fail(t, __FILE__, __LINE__, "mutex_lock returned");
}

static enum irqreturn lock_in_handler(unsigned int irq, void *cookie)
{
	free_irq(irq, cookie); /* once: this call does not return */
	mutex_lock(cookie);
	mutex_unlock(cookie);
	return IRQ_HANDLED;
}

static enum irqreturn trylock_in_handler(unsigned int irq, void *cookie)
{
	free_irq(irq, cookie);
	if (mutex_trylock(cookie))
		mutex_unlock(cookie);
	return IRQ_HANDLED;
}

static void raise_with(struct ktest *t, irq_handler_t h, struct mutex *m)
{
	unsigned int irq = irq_test_line_get();

	KTEST_ASSERT_EQ(t, request_irq(irq, h, "mutex_test", m), 0);
	ktest_expect_panic(t, "from interrupt context");
	irq_test_line_raise();
	ktest_fail(t, __FILE__, __LINE__, "the handler returned");
}

/*
 * U2: from an interrupt handler (which runs as the interrupted task)
 * mutex_lock used to WARN and take the mutex in the task's name.
 */
static void lock_in_irq_panics(struct ktest *t)
{
	DEFINE_MUTEX(m);

	raise_with(t, lock_in_handler, &m);
}

static void trylock_in_irq_panics(struct ktest *t)
{
	DEFINE_MUTEX(m);

	raise_with(t, trylock_in_handler, &m);
}

/* K4: mutex_lock with preemption off (a spinlock held) used to WARN. */
static void lock_in_atomic_panics(struct ktest *t)
{
	DEFINE_MUTEX(m);

	preempt_disable();
	ktest_expect_panic(t, "sleeping function called from invalid context");
	mutex_lock(&m);
	ktest_fail(t, __FILE__, __LINE__, "mutex_lock returned");
}

/* lockdep_assert_held(): quiet while the current task owns the mutex. */
static void assert_held_quiet_when_owner(struct ktest *t)
{
	unsigned long before = lockdep_assert_failures();
	DEFINE_MUTEX(m);

	mutex_lock(&m);
	lockdep_assert_held(&m);
	mutex_unlock(&m);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures(), before);
	KTEST_EXPECT_EQ(t, t->warns, 0U);
}

static int assert_foreign(void *data)
{
	lockdep_assert_held((struct mutex *)data);
	while (!kthread_should_stop())
		msleep(1);
	return 0;
}

/*
 * lockdep_assert_held() WARNs when the mutex is free, and in a task
 * that is not its owner (the case holds it; a thread asserts).
 */
static void assert_held_warns_when_not_owner(struct ktest *t)
{
	unsigned long before = lockdep_assert_failures();
	DEFINE_MUTEX(m);
	struct task *p;

	if (!KEEL_DEBUG) {
		ktest_skip(t, "built with DEBUG=0");
		return;
	}
	ktest_expect_warn(t, true);
	lockdep_assert_held(&m);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures() - before, 1UL);
	mutex_lock(&m);
	p = kthread_run(assert_foreign, &m, "assert");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	for (int ms = 0; ms < DEADLINE_MS && t->warns < 2; ms++)
		msleep(1);
	KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
	mutex_unlock(&m);
	ktest_expect_warn(t, false);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures() - before, 2UL);
	KTEST_EXPECT_EQ(t, t->warns, 2U);
}

static struct ktest_case mutex_cases[] = {
	KTEST_CASE(contention_is_exact),
	KTEST_CASE(unlock_hands_off_to_waiter),
	KTEST_CASE(waiters_get_it_in_arrival_order),
	KTEST_CASE(trylock_and_owner),
	KTEST_CASE(zeroed_mutex_works),
	KTEST_CASE(foreign_unlock_is_refused),
	KTEST_CASE(recursion_panics),
	KTEST_CASE(lock_in_irq_panics),
	KTEST_CASE(trylock_in_irq_panics),
	KTEST_CASE(lock_in_atomic_panics),
	KTEST_CASE(assert_held_quiet_when_owner),
	KTEST_CASE(assert_held_warns_when_not_owner),
	{}
};
KTEST_SUITE(mutex, mutex_cases);
