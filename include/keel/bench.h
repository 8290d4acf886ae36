/* SPDX-License-Identifier: MIT */
/*
 * keel/bench.h - in-kernel benchmarks, run at boot with bench=1.
 *
 *	static int page_alloc_free(struct bench *b)
 *	{
 *		for (u64 i = 0; i < b->iters; i++)
 *			free_page(alloc_page(GFP_KERNEL));
 *		return 0;
 *	}
 *	BENCH_CASE(page_alloc_free, page_alloc_free, 100000);
 *
 * The framework times the whole call with ktime_get_ns() and prints one
 * line per case on serial, which tools/bench.py parses:
 *
 *	BENCH name=page_alloc_free value=123.456 unit=ns/op iters=100000
 *
 * A case can exclude its setup with bench_reset_timer(), or report a
 * value of its own (not a per-iteration time) with bench_set_result().
 * A case that measures several things at once (interleaved, so host
 * noise hits them alike) adds a BENCH line for each with bench_report(),
 * and may report a figure derived from them (a difference, a ratio)
 * with bench_set_derived(): it is printed as measured, even when noise
 * makes it zero or negative, and names its inputs:
 *
 *	BENCH name=x value=-0.250 unit=ns/op iters=1000 derived=x_a-x_b
 *
 * It returns 0, or -Exxx to report an error line instead of a value.
 * Cases run in link order; bench.filter=GLOB selects them by name.
 */
#ifndef _KEEL_BENCH_H
#define _KEEL_BENCH_H

#include <keel/compiler.h>
#include <keel/types.h>

struct bench {
	u64 iters;		 /* iterations the case should run */
	bool warmup;		 /* the untimed first call */
	u64 start_ns;		 /* ktime when timing (re)started */
	u64 result_milli;	 /* bench_set_result(): value * 1000 */
	const char *result_unit; /* NULL: time per iteration in ns/op */
	s64 derived_milli;	 /* bench_set_derived(): value * 1000 */
	const char *derived;	 /* and how: "a-b" or "a/b"; NULL: not */
};

struct bench_case {
	const char *name;
	int (*run)(struct bench *b);
	u64 iters;
};

#define BENCH_CASE(cname, fn, niters)                                    \
	static const struct bench_case __bench_case_##cname = {          \
		.name = #cname, .run = fn, .iters = niters               \
	};                                                               \
	static const struct bench_case *const __bench_ptr_##cname __used \
		__section(".bench_cases") __aligned(8) = &__bench_case_##cname

/* Restart the clock: what the case did so far is not measured. */
void bench_reset_timer(struct bench *b);
/* Report value_milli / 1000 in unit instead of the time per iteration. */
void bench_set_result(struct bench *b, u64 value_milli, const char *unit);
/*
 * Report value_milli / 1000 in unit, derived as how says ("a-b", "a/b")
 * from the bench_report() lines named a and b. The value is printed as
 * it is, sign included: tools/bench.py judges it.
 */
void bench_set_derived(struct bench *b, s64 value_milli, const char *unit,
		       const char *how);
/*
 * Print an extra result line "BENCH name=<name> ..." (not during the
 * warm-up call).
 */
void bench_report(const struct bench *b, const char *name, u64 value_milli,
		  const char *unit);

/* Run the cases matching glob (NULL: all); returns the number that failed. */
int bench_run(const char *glob);
/* At boot: if bench=1 was given, run the benchmarks and leave QEMU. */
void bench_boot(void);

#endif
