// SPDX-License-Identifier: MIT
/* string_test.c - memory/string routines and the number parsers. */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>

static void mem_ops(struct ktest *t)
{
	char a[32], b[32];

	memset(a, 0xab, sizeof(a));
	KTEST_EXPECT_EQ(t, (u8)a[31], 0xab);
	for (int i = 0; i < 32; i++)
		b[i] = i;
	memcpy(a, b, 32);
	KTEST_EXPECT_MEMEQ(t, a, b, 32);
	memmove(a + 4, a, 16); /* overlapping, forward */
	KTEST_EXPECT_EQ(t, a[4], 0);
	KTEST_EXPECT_EQ(t, a[19], 15);
	memmove(b, b + 8, 16); /* overlapping, backward */
	KTEST_EXPECT_EQ(t, b[0], 8);
	KTEST_EXPECT_EQ(t, b[15], 23);
	KTEST_EXPECT_LT(t, memcmp("abc", "abd", 3), 0);
	KTEST_EXPECT_EQ(t, memcmp("abc", "abd", 2), 0);
	KTEST_EXPECT_TRUE(t, memchr("hello", 'l', 5) != NULL);
	KTEST_EXPECT_NULL(t, memchr("hello", 'z', 5));
}

static void str_ops(struct ktest *t)
{
	char buf[6];

	KTEST_EXPECT_EQ(t, strlen(""), 0UL);
	KTEST_EXPECT_EQ(t, strnlen("abcdef", 3), 3UL);
	KTEST_EXPECT_EQ(t, strcmp("a", "a"), 0);
	KTEST_EXPECT_LT(t, strcmp("a", "b"), 0);
	KTEST_EXPECT_GT(t, strcmp("b", "a"), 0);
	KTEST_EXPECT_EQ(t, strncmp("abcx", "abcy", 3), 0);
	KTEST_EXPECT_EQ(t, strlcpy(buf, "truncated", sizeof(buf)), 9UL);
	KTEST_EXPECT_STREQ(t, buf, "trunc");
	KTEST_EXPECT_STREQ(t, strchr("a=b", '='), "=b");
}

static void glob(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, glob_match("*", ""));
	KTEST_EXPECT_TRUE(t, glob_match("buddy*", "buddy_alloc"));
	KTEST_EXPECT_TRUE(t, glob_match("*alloc", "buddy_alloc"));
	KTEST_EXPECT_TRUE(t, glob_match("b?ddy", "buddy"));
	KTEST_EXPECT_TRUE(t, glob_match("*a*b*c", "xaybzc"));
	KTEST_EXPECT_FALSE(t, glob_match("buddy", "buddy2"));
	KTEST_EXPECT_FALSE(t, glob_match("a*c", "abcd"));
	KTEST_EXPECT_FALSE(t, glob_match("?", ""));
}

static void parse_numbers(struct ktest *t)
{
	unsigned long long u;
	long long s;
	unsigned int ui;

	KTEST_EXPECT_EQ(t, kstrtoull("18446744073709551615", 10, &u), 0);
	KTEST_EXPECT_EQ(t, u, ULLONG_MAX);
	KTEST_EXPECT_EQ(t, kstrtoull("18446744073709551616", 10, &u), -ERANGE);
	KTEST_EXPECT_EQ(t, kstrtoull("0x1F", 0, &u), 0);
	KTEST_EXPECT_EQ(t, u, 31ULL);
	KTEST_EXPECT_EQ(t, kstrtoull("017", 0, &u), 0);
	KTEST_EXPECT_EQ(t, u, 15ULL);
	KTEST_EXPECT_EQ(t, kstrtoull("", 10, &u), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoull("12a", 10, &u), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoull("-1", 10, &u), -EINVAL);
	KTEST_EXPECT_EQ(t, kstrtoll("-9223372036854775808", 10, &s), 0);
	KTEST_EXPECT_EQ(t, s, LLONG_MIN);
	KTEST_EXPECT_EQ(t, kstrtoll("9223372036854775808", 10, &s), -ERANGE);
	KTEST_EXPECT_EQ(t, kstrtouint("4294967296", 10, &ui), -ERANGE);
}

static void parse_sizes_and_bools(struct ktest *t)
{
	unsigned long long v = 7;
	bool b;

	KTEST_EXPECT_EQ(t, memparse("64M", &v), 0);
	KTEST_EXPECT_EQ(t, v, 64ULL << 20);
	KTEST_EXPECT_EQ(t, memparse("8g", &v), 0);
	KTEST_EXPECT_EQ(t, v, 8ULL << 30);
	KTEST_EXPECT_EQ(t, memparse("4096", &v), 0);
	KTEST_EXPECT_EQ(t, v, 4096ULL);
	KTEST_EXPECT_EQ(t, memparse("12X", &v), -EINVAL);
	KTEST_EXPECT_EQ(t, v, 4096ULL); /* untouched on error */
	KTEST_EXPECT_EQ(t, memparse("99999999999999999G", &v), -ERANGE);
	KTEST_EXPECT_EQ(t, kstrtobool("on", &b), 0);
	KTEST_EXPECT_TRUE(t, b);
	KTEST_EXPECT_EQ(t, kstrtobool("0", &b), 0);
	KTEST_EXPECT_FALSE(t, b);
	KTEST_EXPECT_EQ(t, kstrtobool("maybe", &b), -EINVAL);
}

static struct ktest_case string_cases[] = { KTEST_CASE(mem_ops),
					    KTEST_CASE(str_ops),
					    KTEST_CASE(glob),
					    KTEST_CASE(parse_numbers),
					    KTEST_CASE(parse_sizes_and_bools),
					    {} };
KTEST_SUITE(string, string_cases);
