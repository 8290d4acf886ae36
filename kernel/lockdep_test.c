// SPDX-License-Identifier: MIT
/*
 * lockdep_test.c - the lock validator (make LOCKDEP=1) catches the C
 * twins of what Rust's types cannot prevent either, on one CPU and
 * before anything deadlocks: two locks taken in both orders (spinlocks,
 * mutexes, a three-lock cycle), a lock taken in an interrupt handler and
 * with interrupts on elsewhere, a held lock freed. And it does not cry
 * wolf: one order taken many times, a class forgotten when the memory of
 * its lock is freed and reused. Without LOCKDEP every case is skipped.
 */
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/string.h>

static int lockdep_test_init(struct ktest *t)
{
	if (KEEL_LOCKDEP)
		return 0;
	ktest_skip(t, "built without LOCKDEP=1");
	return -EOPNOTSUPP;
}

/* Run fn, then check that exactly one report of this kind came out. */
#define EXPECT_ONE_REPORT(t, title, stmt)                                   \
	do {                                                                \
		unsigned long __before = lockdep_reports();                 \
		stmt;                                                       \
		KTEST_EXPECT_EQ(t, lockdep_reports(), __before + 1);        \
		KTEST_EXPECT_TRUE(t, lockdep_last_report() &&               \
					     !strcmp(lockdep_last_report(), \
						     title));               \
	} while (0)

static DEFINE_SPINLOCK(ab_a);
static DEFINE_SPINLOCK(ab_b);

static void take_two(spinlock_t *first, spinlock_t *second)
{
	spin_lock(first);
	spin_lock(second);
	spin_unlock(second);
	spin_unlock(first);
}

static void spinlock_abba_is_reported(struct ktest *t)
{
	unsigned long before = lockdep_reports();

	take_two(&ab_a, &ab_b);
	take_two(&ab_a, &ab_b); /* the same order again: nothing new */
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);
	EXPECT_ONE_REPORT(t, "possible circular locking dependency detected",
			  take_two(&ab_b, &ab_a));
	/* known now: the second time is not reported again */
	before = lockdep_reports();
	take_two(&ab_b, &ab_a);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);
}

static DEFINE_SPINLOCK(cy_a);
static DEFINE_SPINLOCK(cy_b);
static DEFINE_SPINLOCK(cy_c);

static void three_lock_cycle_is_reported(struct ktest *t)
{
	unsigned long before = lockdep_reports();

	take_two(&cy_a, &cy_b);
	take_two(&cy_b, &cy_c);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);
	EXPECT_ONE_REPORT(t, "possible circular locking dependency detected",
			  take_two(&cy_c, &cy_a));
}

static DEFINE_MUTEX(mx_a);
static DEFINE_MUTEX(mx_b);
static DEFINE_SPINLOCK(mx_s);

static void mutex_abba_is_reported(struct ktest *t)
{
	unsigned long before = lockdep_reports();

	mutex_lock(&mx_a);
	mutex_lock(&mx_b);
	spin_lock(&mx_s); /* a spinlock under a mutex: mx_b -> mx_s */
	spin_unlock(&mx_s);
	mutex_unlock(&mx_b);
	mutex_unlock(&mx_a);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);
	EXPECT_ONE_REPORT(t, "possible circular locking dependency detected", {
		mutex_lock(&mx_b);
		mutex_lock(&mx_a);
		mutex_unlock(&mx_a);
		mutex_unlock(&mx_b);
	});
}

static DEFINE_SPINLOCK(irq_lock);

static enum irqreturn take_irq_lock(unsigned int irq, void *cookie)
{
	spin_lock(&irq_lock);
	spin_unlock(&irq_lock);
	return IRQ_HANDLED;
}

static void irq_unsafe_lock_is_reported(struct ktest *t)
{
	unsigned int irq = irq_test_line_get();
	static int cookie;

	KTEST_ASSERT_EQ(t, request_irq(irq, take_irq_lock, "lockdep", &cookie),
			0);
	spin_lock(&irq_lock); /* interrupts on: the handler could spin */
	spin_unlock(&irq_lock);
	EXPECT_ONE_REPORT(t, "inconsistent lock state",
			  KTEST_EXPECT_EQ(t, irq_test_line_raise(), 0));
	free_irq(irq, &cookie);
	irq_test_line_put();
}

static DEFINE_SPINLOCK(irqsave_lock);

static enum irqreturn take_irqsave_lock(unsigned int irq, void *cookie)
{
	spin_lock(&irqsave_lock);
	spin_unlock(&irqsave_lock);
	return IRQ_HANDLED;
}

static void irqsave_lock_is_not_reported(struct ktest *t)
{
	unsigned int irq = irq_test_line_get();
	unsigned long before = lockdep_reports(), flags;
	static int cookie;

	KTEST_ASSERT_EQ(
		t, request_irq(irq, take_irqsave_lock, "lockdep", &cookie), 0);
	spin_lock_irqsave(&irqsave_lock, flags);
	spin_unlock_irqrestore(&irqsave_lock, flags);
	KTEST_EXPECT_EQ(t, irq_test_line_raise(), 0);
	free_irq(irq, &cookie);
	irq_test_line_put();
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);
}

struct locked_obj {
	spinlock_t lock; /* never initialised: keyed by its address */
	int payload;
};

static DEFINE_SPINLOCK(reuse_other);

/*
 * A class keyed by an object's address is forgotten when the object is
 * freed: the next object at that address (slab reuses the slot) is a
 * new lock, and its order against reuse_other is news, not a cycle.
 */
static void freed_lock_class_is_forgotten(struct ktest *t)
{
	struct locked_obj *o = kzalloc(sizeof(*o), GFP_KERNEL), *again;
	unsigned long before = lockdep_reports();

	KTEST_ASSERT_NOT_NULL(t, o);
	take_two(&o->lock, &reuse_other);
	kfree(o);
	again = kzalloc(sizeof(*again), GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, again);
	if (again != o) {
		kfree(again);
		ktest_skip(t, "the slab did not reuse the slot");
		return;
	}
	take_two(&reuse_other, &again->lock);
	kfree(again);
	KTEST_EXPECT_EQ(t, lockdep_reports(), before);
}

static void held_lock_freed_is_reported(struct ktest *t)
{
	struct locked_obj *o = kzalloc(sizeof(*o), GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, o);
	spin_lock(&o->lock);
	/* what kfree(o) would say first; the memory stays ours here */
	EXPECT_ONE_REPORT(t, "held lock freed",
			  lockdep_free_range(o, sizeof(*o)));
	spin_unlock(&o->lock);
	kfree(o);
}

static struct ktest_case lockdep_cases[] = {
	KTEST_CASE(spinlock_abba_is_reported),
	KTEST_CASE(three_lock_cycle_is_reported),
	KTEST_CASE(mutex_abba_is_reported),
	KTEST_CASE(irq_unsafe_lock_is_reported),
	KTEST_CASE(irqsave_lock_is_not_reported),
	KTEST_CASE(freed_lock_class_is_forgotten),
	KTEST_CASE(held_lock_freed_is_reported),
	{}
};

KTEST_SUITE(lockdep, lockdep_cases, .init = lockdep_test_init);
