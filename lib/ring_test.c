// SPDX-License-Identifier: MIT
/*
 * ring_test.c - descriptor ring index arithmetic (keel/ring.h): wrapping,
 * the one-empty-slot rule, and the counts a driver bases its decisions
 * on (the Rust twin is tested in rust/kernel/dma.rs).
 */
#include <keel/ktest.h>
#include <keel/ring.h>

static void sizes_must_be_powers_of_two(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, ring_size_valid(256));
	KTEST_EXPECT_TRUE(t, ring_size_valid(2));
	KTEST_EXPECT_FALSE(t, ring_size_valid(1));
	KTEST_EXPECT_FALSE(t, ring_size_valid(0));
	KTEST_EXPECT_FALSE(t, ring_size_valid(96));
}

static void indexes_wrap(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, ring_next(255, 256), 0U);
	KTEST_EXPECT_EQ(t, ring_prev(0, 256), 255U);
	KTEST_EXPECT_EQ(t, ring_add(250, 10, 256), 4U);
	KTEST_EXPECT_EQ(t, ring_next(6, 8), 7U);
}

static void one_slot_stays_empty(struct ktest *t)
{
	unsigned int prod = 0, cons = 0, filled = 0;

	while (ring_free(prod, cons, 8)) {
		prod = ring_next(prod, 8);
		filled++;
	}
	KTEST_EXPECT_EQ(t, filled, 7U);
	KTEST_EXPECT_NE(t, prod, cons); /* full is not empty */
	KTEST_EXPECT_EQ(t, ring_used(prod, cons, 8), 7U);
	cons = ring_add(cons, 3, 8);
	KTEST_EXPECT_EQ(t, ring_used(prod, cons, 8), 4U);
	KTEST_EXPECT_EQ(t, ring_free(prod, cons, 8), 3U);
}

static void counts_across_the_wrap(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, ring_used(3, 250, 256), 9U);
	KTEST_EXPECT_EQ(t, ring_free(3, 250, 256), 246U);
	KTEST_EXPECT_EQ(t, ring_used(249, 250, 256), 255U);
	KTEST_EXPECT_EQ(t, ring_free(249, 250, 256), 0U);
	KTEST_EXPECT_EQ(t, ring_used(7, 7, 256), 0U);
}

static struct ktest_case ring_cases[] = { KTEST_CASE(
						  sizes_must_be_powers_of_two),
					  KTEST_CASE(indexes_wrap),
					  KTEST_CASE(one_slot_stays_empty),
					  KTEST_CASE(counts_across_the_wrap),
					  {} };
KTEST_SUITE(ring, ring_cases);
