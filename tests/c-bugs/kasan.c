// SPDX-License-Identifier: MIT
/*
 * kasan.c - C twins of the memory-safety cases in tests/compile-fail/:
 * each function below makes, in C, the mistake its compile-fail case
 * makes in Rust (the case's `// c-bug:` line), and each ktest runs it and
 * checks that KASAN reported exactly that, once, and the kernel went on.
 * Test-only code: built only with KASAN=1 (Makefile), never into a normal
 * kernel. docs/rust-safety.md has the C-versus-Rust table these back.
 *
 * Pointers and sizes go through OPTIMIZER_HIDE_VAR so that gcc cannot see
 * the bug at compile time (it would warn, or drop the access).
 */
#include <asm/io.h>
#include <keel/errno.h>
#include <keel/kasan.h>
#include <keel/ktest.h>
#include <keel/slab.h>
#include <keel/string.h>

/* 01_kbox_use_after_move: the frame is read after transmit() freed it. */
static noinline void transmit(u8 *frame)
{
	kfree(frame); /* "freed once it is on the wire" */
}

static noinline int send_ping(void)
{
	u8 *frame = kzalloc(64, GFP_KERNEL);

	if (!frame)
		return -ENOMEM;
	frame[0] = 0x08;
	transmit(frame);
	OPTIMIZER_HIDE_VAR(frame);
	return READ_ONCE(frame[0]); /* BUG: frame was freed */
}

static void c01_use_after_move(struct ktest *t)
{
	EXPECT_KASAN(t, "slab-use-after-free", send_ping());
}

/* 02_kbox_double_free: the error path frees, then the common exit. */
struct request {
	int id;
	u8 payload[48];
};

static noinline int submit(struct request *req, bool fail)
{
	int err = 0;

	req->id = 1;
	if (fail) {
		kfree(req); /* BUG: the caller's exit frees it as well */
		err = -EIO;
	}
	return err;
}

static noinline int handle_request(bool fail)
{
	struct request *req = kzalloc(sizeof(*req), GFP_KERNEL);
	int err;

	if (!req)
		return -ENOMEM;
	err = submit(req, fail);
	OPTIMIZER_HIDE_VAR(req);
	kfree(req);
	return err;
}

static void c02_double_free(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, handle_request(false), 0); /* the quiet path */
	EXPECT_KASAN(t, "double-free",
		     KTEST_EXPECT_EQ(t, handle_request(true), -EIO));
}

/* 05_kbox_dangling_alias: p = &buf[0]; kfree(buf); return *p; */
static noinline int first_byte_of_fresh_buffer(void)
{
	u8 *buf = kmalloc(32, GFP_KERNEL), *p;

	if (!buf)
		return -ENOMEM;
	buf[0] = 7;
	p = &buf[0];
	kfree(buf);
	OPTIMIZER_HIDE_VAR(p);
	return READ_ONCE(*p); /* BUG: p aliases the freed buffer */
}

static void c05_dangling_alias(struct ktest *t)
{
	EXPECT_KASAN(t, "slab-use-after-free", first_byte_of_fresh_buffer());
}

/*
 * 06_kvec_ref_across_push: a pointer to an element kept across a push
 * that grows the array with krealloc(), which moves it and frees the old
 * one.
 */
struct int_vec {
	int *data;
	size_t len, cap;
};

static int vec_push(struct int_vec *v, int x)
{
	if (v->len == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 4;
		int *n = krealloc(v->data, cap * sizeof(int), GFP_KERNEL);

		if (!n)
			return -ENOMEM;
		v->data = n;
		v->cap = cap;
	}
	v->data[v->len++] = x;
	return 0;
}

static void c06_ref_across_realloc(struct ktest *t)
{
	struct int_vec v = { 0 };
	int *first, *old;
	int i;

	for (i = 0; i < 4; i++)
		KTEST_ASSERT_EQ(t, vec_push(&v, i + 10), 0);
	first = &v.data[0];
	old = v.data;
	KTEST_ASSERT_EQ(t, vec_push(&v, 14), 0); /* 4 -> 8: moves */
	KTEST_ASSERT_TRUE(t, v.data != old);
	OPTIMIZER_HIDE_VAR(first);
	/* BUG: first points into the array krealloc() freed */
	EXPECT_KASAN(t, "slab-use-after-free", (void)READ_ONCE(*first));
	kfree(v.data);
}

/*
 * 19_mmio_out_of_bounds, the buffer half: a 16-byte register window
 * (here a device model's registers in kmalloc memory, accessed with the
 * same mmio_read32() a driver uses) read at offset 0x10. On real MMIO
 * no instrument sees it: tests/c-bugs/uncaught.c.
 */
#define WIN_SIZE 16

static noinline u32 read_reg(const void *base, unsigned long off)
{
	return mmio_read32((const u8 *)base + off);
}

static void c19_register_window_out_of_bounds(struct ktest *t)
{
	void *win = kzalloc(WIN_SIZE, GFP_KERNEL);
	unsigned long off = 0x10;

	KTEST_ASSERT_NOT_NULL(t, win);
	KTEST_EXPECT_EQ(t, read_reg(win, 0xc), 0U); /* the last register */
	OPTIMIZER_HIDE_VAR(off);
	EXPECT_KASAN(t, "slab-out-of-bounds", (void)read_reg(win, off));
	kfree(win);
}

/*
 * Integer overflow feeding a size (unsigned, so defined C and invisible
 * to UBSAN): nr * sizeof(entry) wraps in 32 bits, the buffer is tiny,
 * and filling nr entries writes past it. KASAN stops at the first write
 * past the end (the loop is cut short by the test after it). The signed
 * form of the same bug is caught earlier by UBSAN: tests/c-bugs/ubsan.c.
 */
struct entry {
	u32 key, val;
};

static noinline struct entry *alloc_table(u32 nr, u32 fill)
{
	u32 size = nr * (u32)sizeof(struct entry); /* BUG: wraps */
	struct entry *tab = kmalloc(size, GFP_KERNEL);
	u32 i;

	if (!tab)
		return NULL;
	for (i = 0; i < fill && i < nr; i++)
		tab[i].key = i;
	return tab;
}

static void integer_overflow_feeds_size(struct ktest *t)
{
	/* 0x20000002 * 8 = 0x100000010: 16 bytes, room for 2 entries */
	u32 nr = 0x20000002, fill = 3;
	struct entry *tab;

	OPTIMIZER_HIDE_VAR(nr);
	EXPECT_KASAN(t, "slab-out-of-bounds", tab = alloc_table(nr, fill));
	KTEST_EXPECT_NOT_NULL(t, tab);
	kfree(tab);
}

static struct ktest_case c_bugs_kasan_cases[] = {
	KTEST_CASE(c01_use_after_move),
	KTEST_CASE(c02_double_free),
	KTEST_CASE(c05_dangling_alias),
	KTEST_CASE(c06_ref_across_realloc),
	KTEST_CASE(c19_register_window_out_of_bounds),
	KTEST_CASE(integer_overflow_feeds_size),
	{}
};

KTEST_SUITE(c_bugs_kasan, c_bugs_kasan_cases);
