// SPDX-License-Identifier: MIT
/*
 * ubsan_test.c - one ktest per UBSAN check keel claims (lib/ubsan.c):
 * each case commits the undefined behaviour on purpose, then checks
 * that exactly one report came, of the right kind, naming this file and
 * the values, and that the kernel went on. Built only with UBSAN=1
 * (Makefile); make check-ubsan runs it.
 *
 * Operands come through volatile variables so that gcc cannot fold the
 * UB away or refuse it at compile time.
 */
#include <keel/ktest.h>
#include <keel/printk.h>
#include <keel/string.h>
#include <keel/ubsan.h>

#define INT_MAX_ 0x7fffffff

struct pair {
	int x;
	int y;
};

struct four {
	int a[4];
	int after; /* what a[4] reads: the UB stays harmless */
};

static unsigned long reports_before;

/* Keep a result alive, or gcc drops the operation and its check. */
static inline void use(long v)
{
	__asm__ __volatile__("" : : "r"(v));
}

static int ubsan_case_init(struct ktest *t)
{
	ktest_expect_warn(t, true);
	reports_before = ubsan_reports();
	return 0;
}

/* Exactly one new report, and it contains each of the strings given. */
static void expect_report(struct ktest *t, const char *const *want, int n)
{
	const char *r = ubsan_last_report();

	KTEST_EXPECT_EQ(t, ubsan_reports(), reports_before + 1);
	KTEST_EXPECT_TRUE(t, strstr(r, "lib/ubsan_test.c:") != NULL);
	for (int i = 0; i < n; i++)
		if (!strstr(r, want[i]))
			ktest_fail(t, __FILE__, __LINE__,
				   "report \"%s\" lacks \"%s\"", r, want[i]);
}

#define EXPECT_REPORT(t, ...)                                     \
	do {                                                      \
		static const char *const __w[] = { __VA_ARGS__ }; \
		expect_report(t, __w, ARRAY_SIZE(__w));           \
	} while (0)

static void shift_exponent_too_large(struct ktest *t)
{
	volatile int s = 40;
	int v = 1 << s;

	EXPECT_REPORT(t, "shift-out-of-bounds",
		      "shift exponent 40 is too large for 32-bit type 'int'");
	use(v);
}

static void shift_exponent_negative(struct ktest *t)
{
	volatile int s = -3;
	unsigned int v = 1U >> s;

	EXPECT_REPORT(t, "shift-out-of-bounds",
		      "shift exponent -3 is negative");
	use(v);
}

static void shift_of_negative_value(struct ktest *t)
{
	volatile int a = -5;
	int v = a << 2;

	EXPECT_REPORT(t, "shift-out-of-bounds",
		      "left shift of negative value -5");
	KTEST_EXPECT_EQ(t, v, -20); /* the kernel went on with the result */
}

static void signed_add_overflow(struct ktest *t)
{
	volatile int a = INT_MAX_;
	int v = a + 1;

	EXPECT_REPORT(t, "signed-integer-overflow",
		      "2147483647 + 1 cannot be represented in type 'int'");
	KTEST_EXPECT_EQ(t, (unsigned int)v, 0x80000000U);
}

static void signed_sub_overflow(struct ktest *t)
{
	volatile long a = -0x7fffffffffffffffL - 1;
	long v = a - 2;

	EXPECT_REPORT(
		t, "signed-integer-overflow",
		"-9223372036854775808 - 2 cannot be represented in type 'long int'");
	use(v);
}

static void signed_mul_overflow(struct ktest *t)
{
	volatile int big = 0x10000;
	int v = big * big;

	EXPECT_REPORT(t, "signed-integer-overflow",
		      "65536 * 65536 cannot be represented in type 'int'");
	use(v);
}

static void signed_negate_overflow(struct ktest *t)
{
	volatile int a = -INT_MAX_ - 1;
	int v = -a;

	EXPECT_REPORT(
		t, "signed-integer-overflow",
		"negation of -2147483648 cannot be represented in type 'int'");
	use(v);
}

static void array_index_out_of_bounds(struct ktest *t)
{
	struct four f = { { 1, 2, 3, 4 }, 5 };
	volatile int i = 4;
	int v = f.a[i];

	EXPECT_REPORT(t, "array-index-out-of-bounds",
		      "index 4 is out of range for type 'int [4]'");
	use(v);
}

static void member_access_within_null(struct ktest *t)
{
	struct pair *volatile p = NULL;
	int *y = &p->y;

	EXPECT_REPORT(
		t, "null-ptr-deref",
		"member access within null pointer of type 'struct pair'");
	KTEST_EXPECT_EQ(t, (unsigned long)y, 4UL);
}

static void misaligned_load(struct ktest *t)
{
	u32 words[2] = { 0x11223344, 0x55667788 };
	u32 *volatile p = (u32 *)((char *)words + 1);
	u32 v = *p;

	EXPECT_REPORT(t, "misaligned-access", "load of misaligned address",
		      "requires 4 byte alignment");
	KTEST_EXPECT_EQ(t, v, 0x88112233U);
}

/*
 * gcc sees this overflow at compile time too (-Warray-bounds); the
 * object-size check needs it to see the object, so silence the warning.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
static inline int load_int(const char *base, int off)
{
	return *(const int *)(base + off);
}
#pragma GCC diagnostic pop

static void object_too_small(struct ktest *t)
{
	static char six[6] __aligned(4);
	int v = load_int(six, 4);
	char addr[24];

	EXPECT_REPORT(t, "object-size-mismatch", "load of address",
		      "with insufficient space for an object of type");
	snprintf(addr, sizeof(addr), "0x%lx", (unsigned long)(six + 4));
	KTEST_EXPECT_TRUE(t, strstr(ubsan_last_report(), addr) != NULL);
	use(v);
}

static void vla_bound_not_positive(struct ktest *t)
{
	volatile int n = 0;
	char vla[n];

	EXPECT_REPORT(
		t, "vla-bound-not-positive",
		"variable length array bound evaluates to non-positive value 0");
	use((long)vla);
}

static void invalid_bool_load(struct ktest *t)
{
	u8 raw = 2;
	bool *volatile p = (bool *)&raw;
	bool v = *p;

	EXPECT_REPORT(t, "invalid-load",
		      "load of value 2 is not a valid value for type '_Bool'");
	use(v);
}

static void ctz_of_zero(struct ktest *t)
{
	volatile unsigned int x = 0;
	int v = __builtin_ctz(x);

	EXPECT_REPORT(t, "invalid-builtin-use", "passing zero to ctz()");
	use(v);
}

static noinline int add_at_one_site(int a, int b)
{
	return a + b;
}

static void each_site_reports_once(struct ktest *t)
{
	volatile int a = INT_MAX_;

	use(add_at_one_site(a, 1));
	use(add_at_one_site(a, 2));
	use(add_at_one_site(a, 3));
	EXPECT_REPORT(t, "signed-integer-overflow", "2147483647 + 1");
}

static noinline void reach_unreachable(volatile int *cond)
{
	if (*cond)
		__builtin_unreachable();
}

static void unreachable_panics(struct ktest *t)
{
	volatile int one = 1;

	ktest_expect_panic(t, "reached __builtin_unreachable()");
	reach_unreachable(&one);
	ktest_fail(t, __FILE__, __LINE__, "went on past unreachable code");
}

static struct ktest_case ubsan_cases[] = {
	KTEST_CASE(shift_exponent_too_large),
	KTEST_CASE(shift_exponent_negative),
	KTEST_CASE(shift_of_negative_value),
	KTEST_CASE(signed_add_overflow),
	KTEST_CASE(signed_sub_overflow),
	KTEST_CASE(signed_mul_overflow),
	KTEST_CASE(signed_negate_overflow),
	KTEST_CASE(array_index_out_of_bounds),
	KTEST_CASE(member_access_within_null),
	KTEST_CASE(misaligned_load),
	KTEST_CASE(object_too_small),
	KTEST_CASE(vla_bound_not_positive),
	KTEST_CASE(invalid_bool_load),
	KTEST_CASE(ctz_of_zero),
	KTEST_CASE(each_site_reports_once),
	KTEST_CASE(unreachable_panics),
	{}
};
KTEST_SUITE(ubsan, ubsan_cases, .init = ubsan_case_init);
