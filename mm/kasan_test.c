// SPDX-License-Identifier: MIT
/*
 * kasan_test.c - the C twins of what Rust's borrow checker rejects, caught
 * at run time by KASAN (built only with KASAN=1): reading past a kmalloc
 * object, writing past an exactly sized one, use after free (the object
 * waits in the quarantine, so it is not handed out again at once), a
 * double free (refused, not a corrupted free list), use after free_pages,
 * past a large kmalloc, and an overflowing memcpy. Each case checks that
 * exactly one report of the right kind came out; the kernel goes on.
 * The pointers go through OPTIMIZER_HIDE_VAR so that gcc cannot see the
 * bug at compile time (it would warn, or drop the access).
 */
#include <keel/kasan.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/slab.h>
#include <keel/string.h>

static void kmalloc_read_past_the_end(struct ktest *t)
{
	char *p = kmalloc(60, GFP_KERNEL);
	volatile char c;

	KTEST_ASSERT_NOT_NULL(t, p);
	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN(t, "slab-out-of-bounds", c = p[60]);
	(void)c;
	kfree(p);
}

static void kmalloc_write_past_an_exact_object(struct ktest *t)
{
	char *p = kmalloc(64, GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN(t, "slab-out-of-bounds", ((volatile char *)p)[64] = 1);
	kfree(p);
}

static void use_after_kfree(struct ktest *t)
{
	long *p = kmalloc(sizeof(*p) * 4, GFP_KERNEL);
	volatile long v;

	KTEST_ASSERT_NOT_NULL(t, p);
	p[1] = 42;
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN(t, "slab-use-after-free", v = p[1]);
	(void)v;
}

static void double_kfree_is_refused(struct ktest *t)
{
	struct mm_usage before, after;
	void *p = kmalloc(32, GFP_KERNEL), *q;

	KTEST_ASSERT_NOT_NULL(t, p);
	mm_usage_get(&before);
	kfree(p);
	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN(t, "double-free", kfree(p));
	/* the free list is intact: two new objects are distinct */
	p = kmalloc(32, GFP_KERNEL);
	q = kmalloc(32, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p && q && p != q);
	kfree(q);
	kfree(p);
	mm_usage_get(&after);
	KTEST_EXPECT_EQ(t, after.slab_objects + 1, before.slab_objects);
}

static void use_after_free_pages(struct ktest *t)
{
	char *p = alloc_pages(GFP_KERNEL, 0);
	volatile char c;

	KTEST_ASSERT_NOT_NULL(t, p);
	free_pages(p, 0);
	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN(t, "use-after-free", c = p[100]);
	(void)c;
}

static void large_kmalloc_read_past_the_end(struct ktest *t)
{
	char *p = kmalloc(5000, GFP_KERNEL);
	volatile char c;

	KTEST_ASSERT_NOT_NULL(t, p);
	OPTIMIZER_HIDE_VAR(p);
	EXPECT_KASAN(t, "out-of-bounds", c = p[5000]);
	(void)c;
	kfree(p);
}

static void memcpy_overflow(struct ktest *t)
{
	char *dst = kmalloc(16, GFP_KERNEL), src[17] = { 0 };
	size_t n = sizeof(src);

	KTEST_ASSERT_NOT_NULL(t, dst);
	OPTIMIZER_HIDE_VAR(n);
	EXPECT_KASAN(t, "slab-out-of-bounds", memcpy(dst, src, n));
	kfree(dst);
}

/* 10 bytes: the red zone after it starts inside a granule. */
static char kasan_global_buf[10];

static void global_read_past_the_end(struct ktest *t)
{
	unsigned long before = kasan_reports();
	char *p = kasan_global_buf;
	volatile char c;

	OPTIMIZER_HIDE_VAR(p);
	c = p[9]; /* the last byte: fine */
	KTEST_EXPECT_EQ(t, kasan_reports(), before);
	EXPECT_KASAN(t, "global-out-of-bounds", c = p[10]);
	(void)c;
}

static void correct_use_is_quiet(struct ktest *t)
{
	unsigned long before = kasan_reports();
	char *p = kmalloc(60, GFP_KERNEL), *q;

	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 1, 60);
	q = krealloc(p, 100, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, q);
	memset(q + 60, 2, 40);
	KTEST_EXPECT_EQ(t, q[59] + q[99], 3);
	kfree(q);
	KTEST_EXPECT_EQ(t, kasan_reports(), before);
}

static struct ktest_case kasan_cases[] = {
	KTEST_CASE(kmalloc_read_past_the_end),
	KTEST_CASE(kmalloc_write_past_an_exact_object),
	KTEST_CASE(use_after_kfree),
	KTEST_CASE(double_kfree_is_refused),
	KTEST_CASE(use_after_free_pages),
	KTEST_CASE(large_kmalloc_read_past_the_end),
	KTEST_CASE(memcpy_overflow),
	KTEST_CASE(global_read_past_the_end),
	KTEST_CASE(correct_use_is_quiet),
	{}
};

KTEST_SUITE(kasan, kasan_cases);
