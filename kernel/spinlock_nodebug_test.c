// SPDX-License-Identifier: MIT
/*
 * spinlock_nodebug_test.c - the spinlock checks that do not depend on
 * KEEL_DEBUG: this file is compiled as a DEBUG=0 build would compile
 * every user of keel/spinlock.h, whatever the build's DEBUG, so the
 * recursion panic of a DEBUG=0 kernel, and that lockdep_assert_held()
 * is compiled out there, are tested by every run.
 */
#undef KEEL_DEBUG
#define KEEL_DEBUG 0
#include <keel/ktest.h>
#include <keel/lockdep.h>
#include <keel/spinlock.h>

static void nodebug_recursion_panics(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	KTEST_EXPECT_EQ(t, l.owner, smp_processor_id() + 1);
	ktest_expect_panic(t, "spinlock recursion");
	spin_lock(&l);
	ktest_fail(t, __FILE__, __LINE__, "spin_lock returned");
}

static void nodebug_lock_unlock(struct ktest *t)
{
	DEFINE_SPINLOCK(l);

	spin_lock(&l);
	KTEST_EXPECT_TRUE(t, spin_is_locked(&l));
	KTEST_EXPECT_FALSE(t, spin_trylock(&l));
	spin_unlock(&l);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&l));
	KTEST_EXPECT_EQ(t, l.owner, 0U);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
}

/* Without KEEL_DEBUG, lockdep_assert_held() is compiled out: silent. */
static void nodebug_assert_held_is_silent(struct ktest *t)
{
	unsigned long before = lockdep_assert_failures();
	DEFINE_SPINLOCK(l);

	lockdep_assert_held(&l);
	KTEST_EXPECT_EQ(t, lockdep_assert_failures(), before);
	KTEST_EXPECT_EQ(t, t->warns, 0U);
}

static struct ktest_case spinlock_nodebug_cases[] = {
	KTEST_CASE(nodebug_recursion_panics),
	KTEST_CASE(nodebug_lock_unlock),
	KTEST_CASE(nodebug_assert_held_is_silent),
	{}
};
KTEST_SUITE(spinlock_nodebug, spinlock_nodebug_cases);
