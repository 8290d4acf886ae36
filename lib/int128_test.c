// SPDX-License-Identifier: MIT
/* int128_test.c - 128-bit division against values checked by hand. */
#include <keel/ktest.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

u128 __udivti3(u128 n, u128 d);
u128 __umodti3(u128 n, u128 d);
s128 __divti3(s128 n, s128 d);
s128 __modti3(s128 n, s128 d);

static void udiv_large(struct ktest *t)
{
	u128 n = ((u128)0x0123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
	u128 d = 0x100000000ULL;
	u128 q = __udivti3(n, d);

	/* dividing by 2^32 is a shift */
	KTEST_EXPECT_EQ(t, (u64)(q >> 64), 0x01234567ULL);
	KTEST_EXPECT_EQ(t, (u64)q, 0x89abcdeffedcba98ULL);
	KTEST_EXPECT_EQ(t, (u64)__umodti3(n, d), 0x76543210ULL);
}

static void udiv_round_trip(struct ktest *t)
{
	u128 d = ((u128)3 << 64) | 7, n = d * 1000003 + 12345;

	KTEST_EXPECT_EQ(t, (u64)__udivti3(n, d), 1000003ULL);
	KTEST_EXPECT_EQ(t, (u64)__umodti3(n, d), 12345ULL);
	KTEST_EXPECT_EQ(t, (u64)__udivti3(5, 7), 0ULL);
	KTEST_EXPECT_EQ(t, (u64)__udivti3(~(u128)0, ~(u128)0), 1ULL);
}

static void sdiv_signs(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, (s64)__divti3(-7, 2), -3LL);
	KTEST_EXPECT_EQ(t, (s64)__modti3(-7, 2), -1LL);
	KTEST_EXPECT_EQ(t, (s64)__divti3(7, -2), -3LL);
	KTEST_EXPECT_EQ(t, (s64)__modti3(7, -2), 1LL);
	KTEST_EXPECT_EQ(t, (s64)__divti3(-8, -2), 4LL);
}

static struct ktest_case int128_cases[] = { KTEST_CASE(udiv_large),
					    KTEST_CASE(udiv_round_trip),
					    KTEST_CASE(sdiv_signs),
					    {} };
KTEST_SUITE(int128, int128_cases);
