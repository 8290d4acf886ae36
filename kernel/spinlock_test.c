// SPDX-License-Identifier: MIT
/*
 * spinlock_test.c - tests of spinlocks (keel/spinlock.h): contention
 * from every CPU ends with an exact count, the _irqsave variants
 * restore the interrupt state (also when nested ones end out of order),
 * recursion (also from an interrupt handler) and sleeping or a
 * GFP_KERNEL allocation with a lock held panic on every build, and the
 * debug checks report unlocking an unheld lock.
 */
#include <keel/irq.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/lockdep.h>
#include <keel/smp.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/timer.h>

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
	while (__atomic_load_n(&c->ready, __ATOMIC_ACQUIRE) <
	       __atomic_load_n(&c->nthreads, __ATOMIC_ACQUIRE))
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
	int want = num_online_cpus() * THREADS_PER_CPU;

	c.nthreads = want;
	for_each_online_cpu(cpu) {
		for (int i = 0; i < THREADS_PER_CPU; i++) {
			p[n] = kthread_run_on_cpu(hammer, &c, cpu, "hammer/%u",
						  cpu);
			if (IS_ERR(p[n])) {
				/* release the n started: they wait for all */
				__atomic_store_n(&c.nthreads, (int)n,
						 __ATOMIC_RELEASE);
				goto stop;
			}
			n++;
		}
	}
stop:
	/* the threads use c, on this stack: stop them before any return */
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kthread_stop(p[i]), 0);
	KTEST_ASSERT_EQ(t, (int)n, want);
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

/* U1: used to WARN and skip the inner acquisition (DEBUG=1). */
static void recursion_panics(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	ktest_expect_panic(t, "spinlock recursion");
	spin_lock(&l);
	ktest_fail(t, __FILE__, __LINE__,
		   "spin_lock returned without the lock");
}

/* The same through spin_lock_irqsave (the IRQ-safe path). */
static void irqsave_recursion_panics(struct ktest *t)
{
	unsigned long f1, f2;
	DEFINE_SPINLOCK(l);

	spin_lock_irqsave(&l, f1);
	ktest_expect_panic(t, "spinlock recursion");
	spin_lock_irqsave(&l, f2);
	ktest_fail(t, __FILE__, __LINE__,
		   "spin_lock_irqsave returned without the lock (%lx %lx)", f1,
		   f2);
}

static enum irqreturn lock_in_handler(unsigned int irq, void *cookie)
{
	free_irq(irq, cookie); /* once: this call does not return */
	spin_lock(cookie);
	spin_unlock(cookie);
	return IRQ_HANDLED;
}

/*
 * U1: an interrupt handler taking a lock its CPU's interrupted task
 * holds (the task should have used spin_lock_irqsave). It used to get
 * the lock a second time; now the handler panics, and ktest ends the
 * handler (EOI, running counts) and the case.
 */
static void recursion_from_irq_panics(struct ktest *t)
{
	unsigned int irq = irq_test_line_get();
	DEFINE_SPINLOCK(l);

	KTEST_ASSERT_EQ(t, request_irq(irq, lock_in_handler, "spin_test", &l),
			0);
	spin_lock(&l);
	ktest_expect_panic(t, "spinlock recursion");
	irq_test_line_raise();
	ktest_fail(t, __FILE__, __LINE__, "the handler took a held lock");
}

/* Unlocking a lock that is not held is reported, not performed. */
static void bad_unlock_is_reported(struct ktest *t)
{
	struct spin_debug_counts before, after;
	DEFINE_SPINLOCK(l);

	if (debug_init(t))
		return;
	spin_debug_counts(&before);
	ktest_expect_warn(t, true);
	spin_lock(&l);
	spin_unlock(&l);
	preempt_disable(); /* for the refused unlock's preempt_enable */
	spin_unlock(&l);
	ktest_expect_warn(t, false);
	spin_debug_counts(&after);
	KTEST_EXPECT_EQ(t, after.bad_unlock - before.bad_unlock, 1UL);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_EQ(t, this_cpu_read(locks_held), 0U);
}

/* K4: schedule() with a lock held used to WARN and return. */
static void sleeping_with_lock_held_panics(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	ktest_expect_panic(t, "sleeping function called from invalid context");
	set_current_state(TASK_BLOCKED);
	schedule(); /* would never return if it slept: nobody wakes us */
	ktest_fail(t, __FILE__, __LINE__, "schedule() returned");
}

/* K4: msleep() under a spinlock, before it arms a timer. */
static void msleep_with_lock_held_panics(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	ktest_expect_panic(t, "sleeping function called from invalid context");
	msleep(1);
	ktest_fail(t, __FILE__, __LINE__, "msleep() returned");
}

/* K4: GFP_KERNEL may sleep; GFP_ATOMIC is fine under a lock. */
static void gfp_kernel_with_lock_held_panics(struct ktest *t)
{
	DEFINE_SPINLOCK(l);
	unsigned long flags;
	void *p;

	spin_lock_irqsave(&l, flags);
	p = kmalloc(32, GFP_ATOMIC);
	KTEST_EXPECT_NOT_NULL(t, p);
	kfree(p);
	p = alloc_pages(GFP_ATOMIC, 0);
	KTEST_EXPECT_NOT_NULL(t, p);
	free_pages(p, 0);
	ktest_expect_panic(t, "sleeping function called from invalid context");
	p = kmalloc(32, GFP_KERNEL);
	ktest_fail(t, __FILE__, __LINE__, "kmalloc(GFP_KERNEL) returned %p", p);
	spin_unlock_irqrestore(&l, flags);
}

static void gfp_kernel_pages_with_preempt_off_panics(struct ktest *t)
{
	void *p;

	preempt_disable();
	ktest_expect_panic(t, "sleeping function called from invalid context");
	p = alloc_pages(GFP_KERNEL, 0);
	ktest_fail(t, __FILE__, __LINE__, "alloc_pages(GFP_KERNEL) returned %p",
		   p);
}

/* The holder's CPU is recorded in every build. */
static void lock_records_holder_cpu(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	KTEST_EXPECT_EQ(t, l.owner, smp_processor_id() + 1);
	if (KEEL_DEBUG)
		KTEST_EXPECT_GE(t, this_cpu_read(locks_held), 1U);
	spin_unlock(&l);
	KTEST_EXPECT_EQ(t, l.owner, 0U);
}

/* Nested interrupt disabling ends in any order with the right flag. */
static void interrupt_disable_nests_in_any_order(struct ktest *t)
{
	DEFINE_SPINLOCK(a);
	DEFINE_SPINLOCK(b);

	KTEST_ASSERT_FALSE(t, irqs_disabled());
	spin_lock_irq_nested(&a);
	spin_lock_irq_nested(&b);
	spin_unlock_irq_nested(&a);
	KTEST_EXPECT_TRUE(t, irqs_disabled());
	spin_unlock_irq_nested(&b);
	KTEST_EXPECT_FALSE(t, irqs_disabled());
	KTEST_EXPECT_EQ(t, this_cpu_read(irq_disable_depth), 0U);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

/* lockdep_assert_held(): quiet while this CPU holds the lock. */
static void assert_held_quiet_when_held(struct ktest *t)
{
	unsigned long before = lockdep_assert_failures();
	unsigned long flags;
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	lockdep_assert_held(&l);
	spin_unlock(&l);
	spin_lock_irqsave(&l, flags);
	lockdep_assert_held(&l);
	spin_unlock_irqrestore(&l, flags);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures(), before);
	KTEST_EXPECT_EQ(t, t->warns, 0U);
}

/*
 * lockdep_assert_held() WARNs when the lock is free, and when another
 * CPU holds it (the owner mark is another CPU's: only the mark counts).
 */
static void assert_held_warns_when_not_held(struct ktest *t)
{
	unsigned long before = lockdep_assert_failures();
	DEFINE_SPINLOCK(l);

	if (debug_init(t))
		return;
	ktest_expect_warn(t, true);
	lockdep_assert_held(&l);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures() - before, 1UL);
	KTEST_EXPECT_EQ(t, t->warns, 1U);
	preempt_disable();
	l.locked = 1;
	l.owner = spin_owner_mark() + 1; /* "held by the next CPU" */
	lockdep_assert_held(&l);
	l.owner = 0;
	l.locked = 0;
	preempt_enable();
	ktest_expect_warn(t, false);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures() - before, 2UL);
	KTEST_EXPECT_EQ(t, t->warns, 2U);
}

static struct ktest_case spinlock_cases[] = {
	KTEST_CASE(contention_from_all_cpus_is_exact),
	KTEST_CASE(irqsave_contention_is_exact),
	KTEST_CASE(irqsave_restores_interrupt_state),
	KTEST_CASE(trylock_fails_when_held),
	KTEST_CASE(recursion_panics),
	KTEST_CASE(irqsave_recursion_panics),
	KTEST_CASE(recursion_from_irq_panics),
	KTEST_CASE(bad_unlock_is_reported),
	KTEST_CASE(sleeping_with_lock_held_panics),
	KTEST_CASE(msleep_with_lock_held_panics),
	KTEST_CASE(gfp_kernel_with_lock_held_panics),
	KTEST_CASE(gfp_kernel_pages_with_preempt_off_panics),
	KTEST_CASE(lock_records_holder_cpu),
	KTEST_CASE(interrupt_disable_nests_in_any_order),
	KTEST_CASE(assert_held_quiet_when_held),
	KTEST_CASE(assert_held_warns_when_not_held),
	{}
};
KTEST_SUITE(spinlock, spinlock_cases);
