// SPDX-License-Identifier: MIT
/*
 * atomic_test.c - tests of atomic_t (keel/atomic.h) and saturating
 * reference counts (keel/refcount.h): concurrent increments from every
 * CPU are exact, and a count that would wrap or hit zero wrongly
 * saturates instead (with a warning).
 */
#include <keel/atomic.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/refcount.h>
#include <keel/smp.h>

#define ITERS 50000

static void atomic_ops_return_what_linux_returns(struct ktest *t)
{
	atomic_t a = ATOMIC_INIT(5);
	atomic64_t b = ATOMIC_INIT(-1);

	KTEST_EXPECT_EQ(t, atomic_read(&a), 5);
	KTEST_EXPECT_EQ(t, atomic_inc_return(&a), 6);
	KTEST_EXPECT_EQ(t, atomic_fetch_add(4, &a), 6);
	KTEST_EXPECT_EQ(t, atomic_sub_return(9, &a), 1);
	KTEST_EXPECT_TRUE(t, atomic_dec_and_test(&a));
	KTEST_EXPECT_EQ(t, atomic_cmpxchg(&a, 1, 3), 0); /* no swap */
	KTEST_EXPECT_EQ(t, atomic_cmpxchg(&a, 0, 3), 0); /* swapped */
	KTEST_EXPECT_EQ(t, atomic_xchg(&a, 8), 3);
	atomic64_add(1LL << 40, &b);
	KTEST_EXPECT_EQ(t, atomic64_read(&b), (1LL << 40) - 1);
}

static int add_many(void *data)
{
	for (int i = 0; i < ITERS; i++)
		atomic_inc(data);
	return 0;
}

static void increments_from_all_cpus_are_exact(struct ktest *t)
{
	struct task *p[NR_CPUS];
	atomic_t count = ATOMIC_INIT(0);
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu) {
		p[n] = kthread_run_on_cpu(add_many, &count, cpu, "atomic/%u",
					  cpu);
		KTEST_ASSERT_FALSE(t, IS_ERR(p[n]));
		n++;
	}
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(p[i]);
	KTEST_EXPECT_EQ(t, atomic_read(&count), (int)(n * ITERS));
}

static void refcount_counts_and_frees(struct ktest *t)
{
	refcount_t r = REFCOUNT_INIT(1);

	refcount_inc(&r);
	KTEST_EXPECT_EQ(t, refcount_read(&r), 2);
	KTEST_EXPECT_FALSE(t, refcount_dec_and_test(&r));
	KTEST_EXPECT_TRUE(t, refcount_dec_and_test(&r));
	KTEST_EXPECT_FALSE(t, refcount_inc_not_zero(&r));
	KTEST_EXPECT_EQ(t, refcount_read(&r), 0);
}

static void refcount_saturates_instead_of_wrapping(struct ktest *t)
{
	refcount_t r = REFCOUNT_INIT(INT_MAX);

	ktest_expect_warn(t, true);
	refcount_inc(&r); /* would wrap to negative */
	KTEST_EXPECT_EQ(t, refcount_read(&r), REFCOUNT_SATURATED);
	KTEST_EXPECT_FALSE(t, refcount_dec_and_test(&r)); /* stays pinned */
	KTEST_EXPECT_EQ(t, refcount_read(&r), REFCOUNT_SATURATED);
	refcount_set(&r, 0);
	refcount_inc(&r); /* use after free */
	KTEST_EXPECT_EQ(t, refcount_read(&r), REFCOUNT_SATURATED);
	refcount_set(&r, 0);
	KTEST_EXPECT_FALSE(t, refcount_dec_and_test(&r)); /* underflow */
	KTEST_EXPECT_EQ(t, refcount_read(&r), REFCOUNT_SATURATED);
	ktest_expect_warn(t, false);
}

static struct ktest_case atomic_cases[] = {
	KTEST_CASE(atomic_ops_return_what_linux_returns),
	KTEST_CASE(increments_from_all_cpus_are_exact),
	KTEST_CASE(refcount_counts_and_frees),
	KTEST_CASE(refcount_saturates_instead_of_wrapping),
	{}
};
KTEST_SUITE(atomic, atomic_cases);
