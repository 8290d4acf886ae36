// SPDX-License-Identifier: MIT
/*
 * spinlock_test.c - tests of spinlocks (keel/spinlock.h): contention
 * from every CPU ends with an exact count, the _irqsave variants
 * restore the interrupt state, and the debug checks catch recursion,
 * unlocking an unheld lock and sleeping with a lock held.
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/smp.h>
#include <keel/spinlock.h>

#define THREADS_PER_CPU 2
#define ITERS		20000

struct contended {
	spinlock_t lock;
	u64 count;
	int ready; /* threads at the start line */
	int nthreads;
	bool irqsave;
};

/* The increment is a separate read and write: it needs the lock. */
static void increment(struct contended *c)
{
	u64 v = READ_ONCE(c->count);

	cpu_relax();
	WRITE_ONCE(c->count, v + 1);
}

static int hammer(void *data)
{
	struct contended *c = data;
	unsigned long flags;

	__atomic_fetch_add(&c->ready, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE) < c->nthreads)
		sched_yield();
	for (int i = 0; i < ITERS; i++) {
		if (c->irqsave) {
			spin_lock_irqsave(&c->lock, flags);
			increment(c);
			spin_unlock_irqrestore(&c->lock, flags);
		} else {
			spin_lock(&c->lock);
			increment(c);
			spin_unlock(&c->lock);
		}
	}
	return 0;
}

static void run_contention(struct ktest *t, bool irqsave)
{
	struct task *p[NR_CPUS * THREADS_PER_CPU];
	struct contended c = { .irqsave = irqsave };
	unsigned int cpu, n = 0;

	c.nthreads = num_online_cpus() * THREADS_PER_CPU;
	for_each_online_cpu(cpu) {
		for (int i = 0; i < THREADS_PER_CPU; i++) {
			p[n] = kthread_run_on_cpu(hammer, &c, cpu, "hammer/%u",
						  cpu);
			KTEST_ASSERT_FALSE(t, IS_ERR(p[n]));
			n++;
		}
	}
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(p[i]), 0);
	KTEST_EXPECT_EQ(t, c.count, (u64)n * ITERS);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&c.lock));
}

static void contention_from_all_cpus_is_exact(struct ktest *t)
{
	run_contention(t, false);
}

static void irqsave_contention_is_exact(struct ktest *t)
{
	run_contention(t, true);
}

static void irqsave_restores_interrupt_state(struct ktest *t)
{
	DEFINE_SPINLOCK(l);
	unsigned long flags;

	KTEST_ASSERT_FALSE(t, irqs_disabled());
	spin_lock_irqsave(&l, flags);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, preempt_count(), 1);
	spin_unlock_irqrestore(&l, flags);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	local_irq_disable();
	spin_lock_irqsave(&l, flags);
	spin_unlock_irqrestore(&l, flags);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	local_irq_enable();
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

static void trylock_fails_when_held(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	KTEST_EXPECT_TRUE(t, spin_trylock(&l));
	KTEST_EXPECT_FALSE(t, spin_trylock(&l));
	spin_unlock(&l);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

static int debug_init(struct ktest *t)
{
	if (!KEEL_DEBUG) {
		ktest_skip(t, "built with DEBUG=0");
		return -1;
	}
	return 0;
}

static void recursion_is_caught(struct ktest *t)
{
	struct spin_debug_counts before, after;
	DEFINE_SPINLOCK(l);

	if (debug_init(t))
		return;
	spin_debug_counts(&before);
	ktest_expect_warn(t, true);
	spin_lock(&l);
	spin_lock(&l); /* reported and skipped: no deadlock */
	spin_unlock(&l);
	spin_unlock(&l); /* the lock is not held any more: reported */
	ktest_expect_warn(t, false);
	spin_debug_counts(&after);
	KTEST_EXPECT_EQ(t, after.recursion - before.recursion, 1UL);
	KTEST_EXPECT_EQ(t, after.bad_unlock - before.bad_unlock, 1UL);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_EQ(t, this_cpu_read(locks_held), 0U);
}

static void sleeping_with_lock_held_is_refused(struct ktest *t)
{
	struct spin_debug_counts before, after;
	DEFINE_SPINLOCK(l);

	if (debug_init(t))
		return;
	spin_debug_counts(&before);
	ktest_expect_warn(t, true);
	spin_lock(&l);
	set_current_state(TASK_BLOCKED);
	schedule(); /* would never return if it slept: nobody wakes us */
	KTEST_EXPECT_EQ(t, READ_ONCE(current->state), TASK_RUNNING);
	spin_unlock(&l);
	ktest_expect_warn(t, false);
	spin_debug_counts(&after);
	KTEST_EXPECT_EQ(t, after.sleep_locked - before.sleep_locked, 1UL);
}

static void lock_records_holder_cpu(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	if (debug_init(t))
		return;
	spin_lock(&l);
	KTEST_EXPECT_EQ(t, l.owner, smp_processor_id() + 1);
	KTEST_EXPECT_GE(t, this_cpu_read(locks_held), 1U);
	spin_unlock(&l);
	KTEST_EXPECT_EQ(t, l.owner, 0U);
}

static struct ktest_case spinlock_cases[] = {
	KTEST_CASE(contention_from_all_cpus_is_exact),
	KTEST_CASE(irqsave_contention_is_exact),
	KTEST_CASE(irqsave_restores_interrupt_state),
	KTEST_CASE(trylock_fails_when_held),
	KTEST_CASE(recursion_is_caught),
	KTEST_CASE(sleeping_with_lock_held_is_refused),
	KTEST_CASE(lock_records_holder_cpu),
	{}
};
KTEST_SUITE(spinlock, spinlock_cases);
