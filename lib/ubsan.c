// SPDX-License-Identifier: MIT
/*
 * ubsan.c - handlers for gcc's undefined-behaviour sanitizer (UBSAN=1).
 *
 * With -fsanitize=shift,signed-integer-overflow,bounds,... gcc puts a
 * check before each operation that could be undefined and, when it
 * fails, calls one of the __ubsan_handle_*() functions below with a
 * pointer to a static descriptor of the site (source location, types
 * involved) and the operands. The layouts of those descriptors are the
 * compiler's ABI (the same as libsanitizer's and Linux's lib/ubsan.h).
 *
 * A report prints the kind, file:line:column, what went wrong with the
 * values, and a backtrace, between two rules; then the kernel goes on
 * with whatever the hardware computed (Linux's default, so one run
 * finds many bugs). Each site reports once: the top bit of its column
 * number is set on the first report (the descriptors are writable
 * data). A report inside a ktest case fails the case unless it called
 * ktest_expect_warn(); the header then reads "UBSAN (expected):", and
 * tests/check.py fails a run on any other "UBSAN: " line.
 *
 * This file is built without -fsanitize (Makefile), so the handlers do
 * not call themselves. A report raised while this CPU prints one (UB in
 * printk itself) is counted but not printed.
 */
#include <keel/bug.h>
#include <keel/ktest.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/string.h>
#include <keel/ubsan.h>

#define REPORTED_BIT 0x80000000U /* in source_location.column */

struct source_location {
	const char *file;
	u32 line;
	u32 column;
};

#define TYPE_KIND_INT 0 /* type_info: bit 0 signed, >> 1 log2 bits */

struct type_descriptor {
	u16 type_kind;
	u16 type_info;
	char type_name[];
};

struct overflow_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct shift_out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *lhs_type;
	const struct type_descriptor *rhs_type;
};

struct out_of_bounds_data {
	struct source_location loc;
	const struct type_descriptor *array_type;
	const struct type_descriptor *index_type;
};

struct type_mismatch_data_v1 {
	struct source_location loc;
	const struct type_descriptor *type;
	u8 log_alignment;
	u8 type_check_kind;
};

struct vla_bound_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct invalid_value_data {
	struct source_location loc;
	const struct type_descriptor *type;
};

struct unreachable_data {
	struct source_location loc;
};

struct invalid_builtin_data {
	struct source_location loc;
	u8 kind; /* 0: ctz, 1: clz */
};

/* type_check_kind of type_mismatch_data_v1, in the compiler's order. */
static const char *const check_kinds[] = {
	"load of",
	"store to",
	"reference binding to",
	"member access within",
	"member call on",
	"constructor call on",
	"downcast of",
	"downcast of",
	"upcast of",
	"cast to virtual base of",
	"_Nonnull binding to",
	"dynamic operation on",
};

static unsigned long nr_reports;
static bool busy[NR_CPUS]; /* this CPU is printing a report */
static char last_report[256];

unsigned long ubsan_reports(void)
{
	return READ_ONCE(nr_reports);
}

const char *ubsan_last_report(void)
{
	return last_report;
}

static unsigned int type_bits(const struct type_descriptor *t)
{
	return 1U << (t->type_info >> 1);
}

static bool type_signed(const struct type_descriptor *t)
{
	return t->type_kind == TYPE_KIND_INT && (t->type_info & 1);
}

/*
 * Values up to 64 bits travel in the pointer-sized argument itself,
 * wider ones (__int128) behind a pointer to them.
 */
static void format_value(char *buf, size_t size,
			 const struct type_descriptor *t, void *val)
{
	unsigned int bits = type_bits(t);
	u64 v = (u64)val;

	if (t->type_kind != TYPE_KIND_INT) {
		snprintf(buf, size, "<value of type %s>", t->type_name);
	} else if (bits > 64) {
		const u64 *w = val; /* little endian: low word first */

		snprintf(buf, size, "0x%016llx%016llx", w[1], w[0]);
	} else if (type_signed(t)) {
		unsigned int sh = 64 - bits;

		snprintf(buf, size, "%lld", (long long)(v << sh) >> sh);
	} else {
		snprintf(buf, size, "%llu", v);
	}
}

static bool value_negative(const struct type_descriptor *t, void *val)
{
	unsigned int bits = type_bits(t);

	if (!type_signed(t))
		return false;
	if (bits > 64)
		return (s64)((const u64 *)val)[1] < 0;
	return ((u64)val >> (bits - 1)) & 1;
}

static u64 value_u64(const struct type_descriptor *t, void *val)
{
	return type_bits(t) > 64 ? ((const u64 *)val)[0] : (u64)val;
}

struct report {
	const char *kind;
	bool expected;
};

/*
 * Start a report of kind at loc; false if the site already reported or
 * this CPU is in the middle of a report (nothing is printed then).
 */
static bool report_begin(struct report *r, struct source_location *loc,
			 const char *kind)
{
	u32 col =
		__atomic_fetch_or(&loc->column, REPORTED_BIT, __ATOMIC_RELAXED);
	unsigned int cpu = this_cpu_read(id);

	if (col & REPORTED_BIT)
		return false;
	__atomic_fetch_add(&nr_reports, 1, __ATOMIC_RELAXED);
	if (busy[cpu])
		return false;
	busy[cpu] = true;
	r->kind = kind;
	r->expected = ktest_warn_hook();
	pr_err("=====================================================\n");
	pr_err("UBSAN%s: %s in %s:%u:%u\n", r->expected ? " (expected)" : "",
	       kind, loc->file, loc->line, col);
	snprintf(last_report, sizeof(last_report), "%s in %s:%u:%u: ", kind,
		 loc->file, loc->line, col);
	return true;
}

/* The report's second line: what happened, with the values. */
static __printf(2, 3) void report_detail(struct report *r, const char *fmt, ...)
{
	size_t n = strlen(last_report);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_report + n, sizeof(last_report) - n, fmt, ap);
	va_end(ap);
	pr_err("%s\n", last_report + n);
}

static void report_end(struct report *r)
{
	dump_stack();
	pr_err("=====================================================\n");
	busy[this_cpu_read(id)] = false;
}

static void handle_overflow(struct overflow_data *d, void *lhs, void *rhs,
			    char op)
{
	char a[48], b[48];
	struct report r;

	if (!report_begin(&r, &d->loc,
			  type_signed(d->type) ? "signed-integer-overflow" :
						 "unsigned-integer-overflow"))
		return;
	format_value(a, sizeof(a), d->type, lhs);
	format_value(b, sizeof(b), d->type, rhs);
	report_detail(&r, "%s %c %s cannot be represented in type %s", a, op, b,
		      d->type->type_name);
	report_end(&r);
}

void __ubsan_handle_add_overflow(struct overflow_data *d, void *lhs, void *rhs)
{
	handle_overflow(d, lhs, rhs, '+');
}

void __ubsan_handle_sub_overflow(struct overflow_data *d, void *lhs, void *rhs)
{
	handle_overflow(d, lhs, rhs, '-');
}

void __ubsan_handle_mul_overflow(struct overflow_data *d, void *lhs, void *rhs)
{
	handle_overflow(d, lhs, rhs, '*');
}

void __ubsan_handle_negate_overflow(struct overflow_data *d, void *old)
{
	struct report r;
	char a[48];

	if (!report_begin(&r, &d->loc, "signed-integer-overflow"))
		return;
	format_value(a, sizeof(a), d->type, old);
	report_detail(&r, "negation of %s cannot be represented in type %s", a,
		      d->type->type_name);
	report_end(&r);
}

/* INT_MIN / -1 (signed-integer-overflow) or x / 0 (divide-by-zero). */
void __ubsan_handle_divrem_overflow(struct overflow_data *d, void *lhs,
				    void *rhs)
{
	bool by_zero = !value_u64(d->type, rhs);
	struct report r;
	char a[48];

	if (!report_begin(&r, &d->loc,
			  by_zero ? "integer-divide-by-zero" :
				    "signed-integer-overflow"))
		return;
	format_value(a, sizeof(a), d->type, lhs);
	if (by_zero)
		report_detail(&r, "division of %s by zero", a);
	else
		report_detail(
			&r,
			"division of %s by -1 cannot be represented in type %s",
			a, d->type->type_name);
	report_end(&r);
}

void __ubsan_handle_shift_out_of_bounds(struct shift_out_of_bounds_data *d,
					void *lhs, void *rhs)
{
	const struct type_descriptor *lt = d->lhs_type, *rt = d->rhs_type;
	char a[48], b[48];
	struct report r;

	if (!report_begin(&r, &d->loc, "shift-out-of-bounds"))
		return;
	format_value(a, sizeof(a), lt, lhs);
	format_value(b, sizeof(b), rt, rhs);
	if (value_negative(rt, rhs))
		report_detail(&r, "shift exponent %s is negative", b);
	else if (value_u64(rt, rhs) >= type_bits(lt))
		report_detail(
			&r, "shift exponent %s is too large for %u-bit type %s",
			b, type_bits(lt), lt->type_name);
	else if (value_negative(lt, lhs))
		report_detail(&r, "left shift of negative value %s", a);
	else
		report_detail(
			&r,
			"left shift of %s by %s places cannot be represented in type %s",
			a, b, lt->type_name);
	report_end(&r);
}

void __ubsan_handle_out_of_bounds(struct out_of_bounds_data *d, void *index)
{
	struct report r;
	char i[48];

	if (!report_begin(&r, &d->loc, "array-index-out-of-bounds"))
		return;
	format_value(i, sizeof(i), d->index_type, index);
	report_detail(&r, "index %s is out of range for type %s", i,
		      d->array_type->type_name);
	report_end(&r);
}

void __ubsan_handle_type_mismatch_v1(struct type_mismatch_data_v1 *d, void *ptr)
{
	unsigned long align = 1UL << d->log_alignment, p = (unsigned long)ptr;
	const char *what = d->type_check_kind < ARRAY_SIZE(check_kinds) ?
				   check_kinds[d->type_check_kind] :
				   "access to";
	struct report r;

	if (!p) {
		if (!report_begin(&r, &d->loc, "null-ptr-deref"))
			return;
		report_detail(&r, "%s null pointer of type %s", what,
			      d->type->type_name);
	} else if (d->log_alignment && !IS_ALIGNED(p, align)) {
		if (!report_begin(&r, &d->loc, "misaligned-access"))
			return;
		report_detail(
			&r,
			"%s misaligned address 0x%lx for type %s which requires %lu byte alignment",
			what, p, d->type->type_name, align);
	} else {
		if (!report_begin(&r, &d->loc, "object-size-mismatch"))
			return;
		report_detail(
			&r,
			"%s address 0x%lx with insufficient space for an object of type %s",
			what, p, d->type->type_name);
	}
	report_end(&r);
}

void __ubsan_handle_vla_bound_not_positive(struct vla_bound_data *d,
					   void *bound)
{
	struct report r;
	char b[48];

	if (!report_begin(&r, &d->loc, "vla-bound-not-positive"))
		return;
	format_value(b, sizeof(b), d->type, bound);
	report_detail(
		&r,
		"variable length array bound evaluates to non-positive value %s",
		b);
	report_end(&r);
}

void __ubsan_handle_load_invalid_value(struct invalid_value_data *d, void *val)
{
	struct report r;
	char v[48];

	if (!report_begin(&r, &d->loc, "invalid-load"))
		return;
	format_value(v, sizeof(v), d->type, val);
	report_detail(&r, "load of value %s is not a valid value for type %s",
		      v, d->type->type_name);
	report_end(&r);
}

void __ubsan_handle_invalid_builtin(struct invalid_builtin_data *d)
{
	struct report r;

	if (!report_begin(&r, &d->loc, "invalid-builtin-use"))
		return;
	report_detail(&r, "passing zero to %s, which is not a valid argument",
		      d->kind ? "clz()" : "ctz()");
	report_end(&r);
}

/* The code after the point does not exist: going on is not an option. */
void __ubsan_handle_builtin_unreachable(struct unreachable_data *d)
{
	struct report r;

	if (report_begin(&r, &d->loc, "unreachable")) {
		report_detail(&r,
			      "execution reached an unreachable program point");
		report_end(&r);
	}
	panic("ubsan: execution reached __builtin_unreachable() at %s:%u",
	      d->loc.file, d->loc.line);
}
