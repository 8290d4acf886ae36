// SPDX-License-Identifier: MIT
/*
 * ubsan.c - C twins caught by UBSAN (make UBSAN=1, lib/ubsan.c): an
 * integer overflow feeding an allocation size, and an out-of-bounds index
 * into a register array (the twin of 19_mmio_out_of_bounds). Each case
 * checks that exactly one report of the right kind came, naming this
 * file, and that the kernel went on. Test-only code: built only with
 * UBSAN=1 (Makefile). docs/rust-safety.md has the table these back.
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/types.h>
#include <keel/ubsan.h>

static unsigned long reports_before;

static int c_bugs_ubsan_init(struct ktest *t)
{
	ktest_expect_warn(t, true); /* the reports say "(expected)" */
	reports_before = ubsan_reports();
	return 0;
}

static void expect_report(struct ktest *t, const char *kind, const char *what)
{
	const char *r = ubsan_last_report();

	KTEST_EXPECT_EQ(t, ubsan_reports(), reports_before + 1);
	KTEST_EXPECT_TRUE(t, strstr(r, "tests/c-bugs/ubsan.c:") != NULL);
	if (!strstr(r, kind) || !strstr(r, what))
		ktest_fail(t, __FILE__, __LINE__,
			   "report \"%s\" lacks \"%s\" or \"%s\"", r, kind,
			   what);
}

/*
 * Integer overflow feeding a size, the signed form: a record count from
 * a device or a user times the record size, in int. The product
 * overflows (undefined in C), and what kmalloc() would get is small or
 * negative. UBSAN reports the multiplication itself, before any memory
 * is touched; the unsigned form is defined C and only KASAN sees the
 * write past the small buffer (tests/c-bugs/kasan.c).
 */
struct record {
	u8 bytes[16];
};

static noinline void *alloc_records(int nr)
{
	int size = nr * (int)sizeof(struct record); /* BUG: overflows */

	if (size <= 0)
		return ERR_PTR(-EINVAL);
	return kmalloc(size, GFP_KERNEL);
}

static void integer_overflow_feeds_size(struct ktest *t)
{
	volatile int nr = 0x08000001; /* * 16 = 2^31 + 16 */
	void *p = alloc_records(nr);

	expect_report(t, "signed-integer-overflow",
		      "134217729 * 16 cannot be represented in type 'int'");
	if (!IS_ERR(p))
		kfree(p);
}

/*
 * 19_mmio_out_of_bounds as an array: a device's four 32-bit registers
 * described as an array, read at index 4 (offset 0x10) of a window of
 * 16 bytes.
 */
struct regs {
	u32 reg[4];
	u32 next_device; /* what reg[4] reads */
};

static noinline u32 read_reg(const struct regs *r, int idx)
{
	return r->reg[idx];
}

static void c19_register_index_out_of_bounds(struct ktest *t)
{
	struct regs r = { { 1, 2, 3, 4 }, 0x5a5a };
	volatile int idx = 4;
	u32 v = read_reg(&r, idx);

	expect_report(t, "array-index-out-of-bounds",
		      "index 4 is out of range for type");
	KTEST_EXPECT_EQ(t, v, 0x5a5aU); /* the neighbour's register */
}

static struct ktest_case c_bugs_ubsan_cases[] = {
	KTEST_CASE(integer_overflow_feeds_size),
	KTEST_CASE(c19_register_index_out_of_bounds),
	{}
};

KTEST_SUITE(c_bugs_ubsan, c_bugs_ubsan_cases, .init = c_bugs_ubsan_init);
