// SPDX-License-Identifier: MIT
/*
 * ktest_selftest.c - cases that fail on purpose, to prove the framework
 * reports them and keeps going. The suite runs only when named exactly
 * (ktest.filter=ktest_selftest); tests/check.py does that and checks every
 * verdict below.
 */
#include <keel/bug.h>
#include <keel/ktest.h>

static bool reached_after_assert;

static void expect_fails_but_continues(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 1 + 1, 3);
	KTEST_EXPECT_EQ(t, 2, 2);
}

static void assert_aborts_case(struct ktest *t)
{
	reached_after_assert = false;
	KTEST_ASSERT_TRUE(t, false);
	reached_after_assert = true;
}

static void abort_skipped_rest(struct ktest *t)
{
	KTEST_EXPECT_FALSE(t, reached_after_assert);
}

static noinline void ktest_selftest_bad_access(void)
{
	*(volatile int *)0x8000000000000000UL = 1; /* non-canonical: #GP */
}

static void fault_is_caught(struct ktest *t)
{
	ktest_selftest_bad_access();
}

static void panic_is_caught(struct ktest *t)
{
	panic("ktest selftest: deliberate panic");
}

static void expected_panic_passes(struct ktest *t)
{
	ktest_expect_panic(t, "deliberate expected");
	panic("ktest selftest: deliberate expected panic");
}

static void missing_panic_fails(struct ktest *t)
{
	ktest_expect_panic(t, "never printed");
}

static void other_panic_fails(struct ktest *t)
{
	ktest_expect_panic(t, "never printed");
	panic("ktest selftest: a different panic");
}

static void warn_fails_case(struct ktest *t)
{
	WARN_ON(true);
}

static void skip_is_reported(struct ktest *t)
{
	ktest_skip(t, "deliberately skipped");
}

static void still_running_after_all_that(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, 6 * 7, 42);
}

static struct ktest_case selftest_cases[] = {
	KTEST_CASE(expect_fails_but_continues),	  /* not ok */
	KTEST_CASE(assert_aborts_case),		  /* not ok */
	KTEST_CASE(abort_skipped_rest),		  /* ok */
	KTEST_CASE(fault_is_caught),		  /* not ok */
	KTEST_CASE(panic_is_caught),		  /* not ok */
	KTEST_CASE(expected_panic_passes),	  /* ok */
	KTEST_CASE(missing_panic_fails),	  /* not ok */
	KTEST_CASE(other_panic_fails),		  /* not ok */
	KTEST_CASE(warn_fails_case),		  /* not ok */
	KTEST_CASE(skip_is_reported),		  /* ok # SKIP */
	KTEST_CASE(still_running_after_all_that), /* ok */
	{}
};
KTEST_SUITE(ktest_selftest, selftest_cases, .explicit_only = true);
