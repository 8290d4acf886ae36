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
#include <keel/vmalloc.h>

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

/*
 * VMAP: kernel stacks' guards and freed areas. The bad access would
 * fault (the guard is unmapped), so these cases run with kasan.fault=
 * panic: the report comes first and its panic ends the case (expected)
 * before the access happens. The exit checks the count, restores the
 * mode and frees what the case could not.
 */
static struct {
	void *stack, *page, *vmapped;
	unsigned long reports;
	bool fault_panic;
} vm;

static int vmap_init(struct ktest *t)
{
	vm.stack = vm.page = vm.vmapped = NULL;
	vm.reports = kasan_reports();
	vm.fault_panic = kasan_set_fault_panic(true);
	return 0;
}

static void vmap_exit(struct ktest *t)
{
	kasan_set_fault_panic(vm.fault_panic);
	if (t->panic_expected)
		KTEST_EXPECT_EQ(t, kasan_reports(), vm.reports + 1);
	else
		KTEST_EXPECT_EQ(t, kasan_reports(), vm.reports);
	kstack_free(vm.stack);
	if (vm.page)
		free_page(vm.page);
}

static void stack_guard_read_is_reported(struct ktest *t)
{
	u8 *top = kstack_alloc();

	KTEST_ASSERT_NOT_NULL(t, top);
	vm.stack = top;
	ktest_expect_panic(t, "kasan.fault=panic: vmalloc-out-of-bounds");
	/* one byte below the stack's bottom: in its guard page */
	(void)READ_ONCE(*(top - KSTACK_SIZE - 1));
}

static void vunmapped_area_write_is_reported(struct ktest *t)
{
	u8 *p;

	vm.page = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, vm.page);
	p = vmap_phys(virt_to_phys(vm.page), PAGE_SIZE, PAGE_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	WRITE_ONCE(p[8], 1);
	vunmap(p);
	ktest_expect_panic(t, "kasan.fault=panic: vmalloc-out-of-bounds");
	WRITE_ONCE(p[8], 2);
}

static void stack_use_is_quiet(struct ktest *t)
{
	u8 *top = kstack_alloc();

	KTEST_ASSERT_NOT_NULL(t, top);
	vm.stack = top;
	WRITE_ONCE(*(top - 1), 1);
	WRITE_ONCE(*(top - KSTACK_SIZE), 2);
	KTEST_EXPECT_EQ(
		t, READ_ONCE(*(top - 1)) + READ_ONCE(*(top - KSTACK_SIZE)), 3);
}

static struct ktest_case kasan_vmap_cases[] = {
	KTEST_CASE(stack_guard_read_is_reported),
	KTEST_CASE(vunmapped_area_write_is_reported),
	KTEST_CASE(stack_use_is_quiet),
	{}
};

KTEST_SUITE(kasan_vmap, kasan_vmap_cases, .init = vmap_init, .exit = vmap_exit);
