// SPDX-License-Identifier: MIT
/*
 * slab_test.c - ktest suite for kmalloc, kmem_cache and failslab
 * (slab.c, failslab.c).
 *
 * Statistics are checked as exact deltas, so a case that leaks or
 * double counts fails here before the run's leak check. The suite's exit
 * switches fault injection off whatever the case did.
 */
#include <keel/kasan.h>
#include <keel/ktest.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "internal.h"

static unsigned long live_objects(void)
{
	struct mm_usage u;

	mm_usage_get(&u);
	return u.slab_objects;
}

static void kmalloc_every_class(struct ktest *t)
{
	for (size_t size = KMALLOC_MIN_SIZE; size <= KMALLOC_MAX_CACHE_SIZE;
	     size <<= 1) {
		unsigned long before = live_objects();
		u8 *p = kmalloc(size, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, ksize(p), size);
		KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)p, size));
		KTEST_EXPECT_EQ(t, live_objects(), before + 1);
		memset(p, 0x5a, size);
		kfree(p);
		KTEST_EXPECT_EQ(t, live_objects(), before);
	}
}

static void kmalloc_odd_sizes(struct ktest *t)
{
	static const size_t sizes[] = { 1, 7, 9, 2049, 4096, 100000 };
	static const size_t usable[] = { 8, 8, 16, 4096, 4096, 131072 };

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_EQ(t, ksize(p), usable[i]);
		KTEST_EXPECT_TRUE(t,
				  IS_ALIGNED((unsigned long)p, KMALLOC_ALIGN));
		memset(p, (int)i, sizes[i]);
		KTEST_EXPECT_EQ(t, p[sizes[i] - 1], (u8)i);
		kfree(p);
	}
	kfree(NULL);
	KTEST_EXPECT_EQ(t, ksize(NULL), 0UL);
}

static void kmalloc_large_too_big(struct ktest *t)
{
	unsigned long before = nr_free_pages();

	void *p = kmalloc(8, GFP_KERNEL);

	KTEST_EXPECT_NULL(t, kmalloc(PAGE_SIZE << (MAX_ORDER + 1), GFP_KERNEL));
	KTEST_EXPECT_NULL(t, kmalloc(~(size_t)0, GFP_KERNEL));
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_NULL(t, krealloc(p, ~(size_t)0, GFP_KERNEL));
	kfree(p); /* untouched by the failed krealloc */
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void kmalloc_objects_distinct(struct ktest *t)
{
	const unsigned int n = 600;
	u32 **v = kmalloc(n * sizeof(*v), GFP_KERNEL);
	unsigned int i, wrong = 0;

	KTEST_ASSERT_NOT_NULL(t, v);
	for (i = 0; i < n; i++) {
		v[i] = kmalloc(24, GFP_KERNEL);
		if (!v[i])
			break;
		*v[i] = i;
	}
	KTEST_EXPECT_EQ(t, i, n);
	for (unsigned int j = 0; j < i; j++)
		wrong += *v[j] != j;
	KTEST_EXPECT_EQ(t, wrong, 0U);
	while (i--)
		kfree(v[i]);
	kfree(v);
}

static void kzalloc_zeroes(struct ktest *t)
{
	static const u8 zero[512];
	u8 *p = kmalloc(512, GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xff, 512);
	kfree(p);
	p = kzalloc(512, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_MEMEQ(t, p, zero, 512);
	kfree(p);
}

static void krealloc_keeps_contents(struct ktest *t)
{
	u8 *p = kmalloc(16, GFP_KERNEL), *q;
	u8 pattern[16];

	KTEST_ASSERT_NOT_NULL(t, p);
	for (int i = 0; i < 16; i++)
		pattern[i] = p[i] = i * 7;
	q = krealloc(p, 12, GFP_KERNEL); /* same class: stays */
	KTEST_EXPECT_TRUE(t, q == p);
	p = krealloc(q, 5000, GFP_KERNEL); /* grow to pages */
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, ksize(p), 8192UL);
	KTEST_EXPECT_MEMEQ(t, p, pattern, 16);
	memset(p + 16, 0x33, 5000 - 16);
	q = krealloc(p, 100, GFP_KERNEL); /* shrink to a slab */
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_EXPECT_EQ(t, ksize(q), 128UL);
	KTEST_EXPECT_MEMEQ(t, q, pattern, 16);
	KTEST_EXPECT_EQ(t, q[99], 0x33);
	KTEST_EXPECT_NULL(t, krealloc(q, 0, GFP_KERNEL)); /* frees */
	p = krealloc(NULL, 40, GFP_KERNEL);
	KTEST_EXPECT_EQ(t, ksize(p), 64UL);
	kfree(p);
}

static void cache_stats_exact(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest-48", 48, 0, 0);
	unsigned long objs, pages;
	struct kmem_cache_stats st;
	void *v[100];

	KTEST_ASSERT_NOT_NULL(t, c);
	objs = live_objects();
	pages = nr_free_pages();
	for (int i = 0; i < 100; i++)
		v[i] = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_get_stats(c, &st);
	KTEST_EXPECT_STREQ(t, st.name, "ktest-48");
	KTEST_EXPECT_EQ(t, st.objects_in_use, 100UL);
	KTEST_EXPECT_EQ(t, st.bytes_in_use, 4800UL);
	KTEST_EXPECT_EQ(t, st.total_allocs, 100UL);
	KTEST_EXPECT_EQ(t, st.failed_allocs, 0UL);
	KTEST_EXPECT_EQ(t, st.slabs, pages - nr_free_pages());
	KTEST_EXPECT_EQ(t, live_objects(), objs + 100);
	for (int i = 0; i < 100; i += 2)
		kmem_cache_free(c, v[i]);
	kmem_cache_get_stats(c, &st);
	KTEST_EXPECT_EQ(t, st.objects_in_use, 50UL);
	KTEST_EXPECT_EQ(t, live_objects(), objs + 50);
	for (int i = 1; i < 100; i += 2)
		kmem_cache_free(c, v[i]);
	kmem_cache_get_stats(c, &st);
	KTEST_EXPECT_EQ(t, st.objects_in_use, 0UL);
	KTEST_EXPECT_EQ(t, st.bytes_in_use, 0UL);
	KTEST_EXPECT_EQ(t, st.slabs, 0UL);
	KTEST_EXPECT_EQ(t, nr_free_pages(), pages);
	kmem_cache_destroy(c);
	KTEST_EXPECT_EQ(t, live_objects(), objs - 1); /* the cache */
}

static void cache_reuse_and_align(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest-al", 40, 64, 0);
	void *a, *b, *p;

	KTEST_ASSERT_NOT_NULL(t, c);
	a = kmem_cache_alloc(c, GFP_KERNEL);
	b = kmem_cache_alloc(c, __GFP_ZERO);
	KTEST_EXPECT_NOT_NULL(t, a);
	KTEST_EXPECT_NOT_NULL(t, b);
	KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)a, 64));
	KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)b, 64));
	KTEST_EXPECT_TRUE(t, a != b);
	kmem_cache_free(c, b);
	kasan_quarantine_drain(); /* KASAN=1 parks b first */
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_EXPECT_TRUE(t, p == b); /* LIFO free list */
	kmem_cache_free(c, p);
	kmem_cache_free(c, a);
	kmem_cache_destroy(c);
	KTEST_EXPECT_NULL(t, kmem_cache_create("bad", 0, 0, 0));
	KTEST_EXPECT_NULL(t, kmem_cache_create("bad", 8, 24, 0));
}

static void cache_destroy_busy_refused(struct ktest *t)
{
	struct kmem_cache *c = kmem_cache_create("ktest-busy", 100, 0, 0);
	struct kmem_cache_stats st;
	void *p;

	KTEST_ASSERT_NOT_NULL(t, c);
	p = kmem_cache_alloc(c, GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	ktest_expect_warn(t, true);
	kmem_cache_destroy(c); /* refused: p is live */
	ktest_expect_warn(t, false);
	kmem_cache_get_stats(c, &st);
	KTEST_EXPECT_EQ(t, st.objects_in_use, 1UL);
	kmem_cache_free(c, p);
	kmem_cache_destroy(c);
}

static void kfree_misuse_refused(struct ktest *t)
{
	unsigned long bad = slab_bad_frees(), objs;
	struct kmem_cache *c = kmem_cache_create("ktest-mis", 32, 0, 0);
	u8 *p = kmalloc(64, GFP_KERNEL), *q = kmalloc(64, GFP_KERNEL);
	u8 *big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL), *big2;
	int on_stack;

	KTEST_ASSERT_NOT_NULL(t, c);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_NOT_NULL(t, q);
	KTEST_ASSERT_NOT_NULL(t, big);
	objs = live_objects();
	ktest_expect_warn(t, true);
	kfree(p + 8);		/* inside an object */
	kfree(&on_stack);	/* not kmalloc memory */
	kfree(big + PAGE_SIZE); /* inside a large block */
	kmem_cache_free(c, q);	/* wrong cache */
	kfree(p);
	kfree(p); /* double free */
	ktest_expect_warn(t, false);
	KTEST_EXPECT_EQ(t, slab_bad_frees(), bad + 5);
	KTEST_EXPECT_EQ(t, live_objects(), objs - 1);
	/* the free list survived: fresh objects are distinct */
	p = kmalloc(64, GFP_KERNEL);
	big2 = kmalloc(64, GFP_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, p);
	KTEST_EXPECT_NOT_NULL(t, big2);
	KTEST_EXPECT_TRUE(t, p != q && p != big2 && big2 != q);
	kfree(big2);
	kfree(q);
	kfree(p);
	kfree(big);
	kmem_cache_destroy(c);
}

static void failslab_nth(struct ktest *t)
{
	struct failslab_config cfg = { .fail_nth = 3 };
	unsigned long injected = failslab_injected();
	void *a, *b, *c, *d;

	failslab_set(&cfg);
	a = kmalloc(32, GFP_KERNEL);
	b = alloc_page(GFP_KERNEL);
	c = kmalloc(32, GFP_KERNEL); /* the third: fails */
	d = kmalloc(32, GFP_KERNEL);
	failslab_get(&cfg);
	KTEST_EXPECT_NOT_NULL(t, a);
	KTEST_EXPECT_NOT_NULL(t, b);
	KTEST_EXPECT_NULL(t, c);
	KTEST_EXPECT_NOT_NULL(t, d);
	KTEST_EXPECT_EQ(t, cfg.fail_nth, 0UL);
	KTEST_EXPECT_EQ(t, failslab_injected(), injected + 1);
	kfree(a);
	free_page(b);
	kfree(d);
}

static void failslab_probability(struct ktest *t)
{
	struct failslab_config cfg = { .probability = 50 };
	unsigned long injected = failslab_injected(), nulls = 0;
	struct kmem_cache_stats st0, st1;
	struct kmem_cache *c = kmem_cache_create("ktest-fs", 16, 0, 0);

	KTEST_ASSERT_NOT_NULL(t, c);
	kmem_cache_get_stats(c, &st0);
	failslab_set(&cfg);
	for (int i = 0; i < 200; i++) {
		void *p = kmem_cache_alloc(c, GFP_KERNEL);

		nulls += !p;
		kmem_cache_free(c, p);
	}
	cfg = (struct failslab_config){ 0 };
	failslab_set(&cfg);
	kmem_cache_get_stats(c, &st1);
	KTEST_EXPECT_GT(t, nulls, 50UL);
	KTEST_EXPECT_LT(t, nulls, 150UL);
	KTEST_EXPECT_EQ(t, failslab_injected(), injected + nulls);
	KTEST_EXPECT_EQ(t, st1.failed_allocs - st0.failed_allocs, nulls);
	KTEST_EXPECT_EQ(t, st1.total_allocs - st0.total_allocs, 200 - nulls);
	kmem_cache_destroy(c);
}

static void failslab_times_and_exemption(struct ktest *t)
{
	struct failslab_config cfg = { .probability = 100, .times = 4 };
	unsigned long nulls = 0;
	void *p;

	failslab_set(&cfg);
	p = alloc_pages(__GFP_NOFAIL_INJECT, 2); /* exempt */
	KTEST_EXPECT_NOT_NULL(t, p);
	free_pages(p, 2);
	for (int i = 0; i < 10; i++) {
		p = i & 1 ? kmalloc(5000, GFP_KERNEL) : alloc_page(GFP_KERNEL);
		nulls += !p;
		if (i & 1)
			kfree(p);
		else
			free_page(p);
	}
	KTEST_EXPECT_EQ(t, nulls, 4UL);
}

static void slab_exit(struct ktest *t)
{
	struct failslab_config off = { 0 };

	failslab_set(&off);
}

static struct ktest_case slab_cases[] = {
	KTEST_CASE(kmalloc_every_class),
	KTEST_CASE(kmalloc_odd_sizes),
	KTEST_CASE(kmalloc_large_too_big),
	KTEST_CASE(kmalloc_objects_distinct),
	KTEST_CASE(kzalloc_zeroes),
	KTEST_CASE(krealloc_keeps_contents),
	KTEST_CASE(cache_stats_exact),
	KTEST_CASE(cache_reuse_and_align),
	KTEST_CASE(cache_destroy_busy_refused),
	KTEST_CASE(kfree_misuse_refused),
	KTEST_CASE(failslab_nth),
	KTEST_CASE(failslab_probability),
	KTEST_CASE(failslab_times_and_exemption),
	{}
};
KTEST_SUITE(slab, slab_cases, .exit = slab_exit);
