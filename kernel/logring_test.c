// SPDX-License-Identifier: MIT
/* logring_test.c - the log byte ring on rings of a few bytes. */
#include <keel/ktest.h>
#include <keel/logring.h>
#include <keel/string.h>

static void ring_fills_without_wrap(struct ktest *t)
{
	char mem[16], out[32];
	struct log_ring r = { .buf = mem, .size = sizeof(mem) };
	u64 pos = 0;
	size_t n;

	log_ring_write(&r, "ab\ncd\n", 6);
	n = log_ring_read(&r, &pos, out, sizeof(out));
	KTEST_EXPECT_EQ(t, n, 6UL);
	KTEST_EXPECT_MEMEQ(t, out, "ab\ncd\n", 6);
	KTEST_EXPECT_EQ(t, pos, 6ULL);
	/* nothing new: reading again returns nothing */
	KTEST_EXPECT_EQ(t, log_ring_read(&r, &pos, out, sizeof(out)), 0UL);
}

static void ring_wrap_resumes_at_line(struct ktest *t)
{
	char mem[16], out[32];
	struct log_ring r = { .buf = mem, .size = sizeof(mem) };
	u64 pos = 0;
	size_t n;

	log_ring_write(&r, "first line\n", 11);
	log_ring_write(&r, "second\n", 7);
	log_ring_write(&r, "third\n", 6); /* 24 bytes into 16 */
	KTEST_EXPECT_EQ(t, r.head, 24ULL);
	n = log_ring_read(&r, &pos, out, sizeof(out));
	/* held: "e\nsecond\nthird\n" minus the partial first line */
	KTEST_ASSERT_EQ(t, n, 13UL);
	KTEST_EXPECT_MEMEQ(t, out, "second\nthird\n", 13);
}

static void ring_partial_reads(struct ktest *t)
{
	char mem[8], out[4];
	struct log_ring r = { .buf = mem, .size = sizeof(mem) };
	u64 pos = 0;

	log_ring_write(&r, "abcdef", 6);
	KTEST_EXPECT_EQ(t, log_ring_read(&r, &pos, out, 4), 4UL);
	KTEST_EXPECT_MEMEQ(t, out, "abcd", 4);
	log_ring_write(&r, "gh", 2);
	KTEST_EXPECT_EQ(t, log_ring_read(&r, &pos, out, 4), 4UL);
	KTEST_EXPECT_MEMEQ(t, out, "efgh", 4);
}

static void ring_tail(struct ktest *t)
{
	char mem[8], out[16];
	struct log_ring r = { .buf = mem, .size = sizeof(mem) };

	KTEST_EXPECT_EQ(t, log_ring_tail(&r, out, sizeof(out)), 0UL);
	log_ring_write(&r, "0123456789", 10); /* larger than the ring */
	KTEST_EXPECT_EQ(t, r.head, 10ULL);
	KTEST_EXPECT_EQ(t, log_ring_tail(&r, out, sizeof(out)), 8UL);
	KTEST_EXPECT_MEMEQ(t, out, "23456789", 8);
	KTEST_EXPECT_EQ(t, log_ring_tail(&r, out, 3), 3UL);
	KTEST_EXPECT_MEMEQ(t, out, "789", 3);
}

static void ring_without_newline(struct ktest *t)
{
	char mem[4], out[8];
	struct log_ring r = { .buf = mem, .size = sizeof(mem) };
	u64 pos = 0;

	log_ring_write(&r, "abcdefg", 7);
	/* no line boundary held: the reader still gets the bytes */
	KTEST_EXPECT_EQ(t, log_ring_read(&r, &pos, out, sizeof(out)), 4UL);
	KTEST_EXPECT_MEMEQ(t, out, "defg", 4);
}

static struct ktest_case logring_cases[] = {
	KTEST_CASE(ring_fills_without_wrap),
	KTEST_CASE(ring_wrap_resumes_at_line),
	KTEST_CASE(ring_partial_reads),
	KTEST_CASE(ring_tail),
	KTEST_CASE(ring_without_newline),
	{}
};
KTEST_SUITE(logring, logring_cases);
