// SPDX-License-Identifier: MIT
/*
 * bench.c - run the benchmark cases and print one BENCH line for each.
 *
 * Cases are found through the .bench_cases linker section (BENCH_CASE in
 * keel/bench.h). Each runs once untimed with a single iteration to warm
 * caches and allocator state, then timed with ktime_get_ns() for its
 * full iteration count. Results are printed with three decimals as
 *
 *	BENCH name=<case> value=<v> unit=<u> iters=<n>
 *
 * or "BENCH name=<case> error=<errno name>"; tools/bench.py reads them.
 * A value of 0 means the clock did not run; it is printed as measured and
 * the host tool rejects that case. A derived figure (bench_set_derived)
 * carries " derived=a-b" (or "a/b") and may be zero or negative.
 *
 * With bench=1 on the command line, bench_boot() runs all cases (or those
 * matching bench.filter=GLOB) and exits QEMU with QEMU_EXIT_PASS, or
 * QEMU_EXIT_FAIL if a case failed; bench=1 also implies panic.exit=1.
 */
#include <keel/bench.h>
#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/monitor.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/string.h>
#include <keel/time.h>

extern const struct bench_case *const __bench_start[];
extern const struct bench_case *const __bench_end[];

static bool bench_at_boot;
static char bench_glob[128];
static bool bench_glob_set;
extern bool panic_exit_qemu;

static int parse_bench(const char *val)
{
	int err = val ? kstrtobool(val, &bench_at_boot) : -EINVAL;

	if (!err && bench_at_boot)
		panic_exit_qemu = true; /* a panic ends the run, not a hang */
	return err;
}
cmdline_param("bench", parse_bench);

static int parse_filter(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	if (strlcpy(bench_glob, val, sizeof(bench_glob)) >= sizeof(bench_glob))
		return -ENAMETOOLONG;
	bench_glob_set = true;
	return 0;
}
cmdline_param("bench.filter", parse_filter);

void bench_reset_timer(struct bench *b)
{
	b->start_ns = ktime_get_ns();
}

void bench_set_result(struct bench *b, u64 value_milli, const char *unit)
{
	b->result_milli = value_milli;
	b->result_unit = unit;
}

void bench_set_derived(struct bench *b, s64 value_milli, const char *unit,
		       const char *how)
{
	b->derived_milli = value_milli;
	b->result_unit = unit;
	b->derived = how;
}

void bench_report(const struct bench *b, const char *name, u64 value_milli,
		  const char *unit)
{
	if (b->warmup)
		return;
	pr_info("BENCH name=%s value=%llu.%03llu unit=%s iters=%llu\n", name,
		value_milli / 1000, value_milli % 1000, unit, b->iters);
}

/* Run one case: warm-up, then timed. Returns 0 or the case's -Exxx. */
static int run_case(const struct bench_case *c)
{
	struct bench b = { .iters = 1, .warmup = true };
	u64 end, value;
	int err;

	err = c->run(&b); /* warm-up, untimed */
	if (err)
		goto out_error;
	b = (struct bench){ .iters = c->iters ? c->iters : 1 };
	b.start_ns = ktime_get_ns();
	err = c->run(&b);
	end = ktime_get_ns();
	if (err)
		goto out_error;
	if (b.derived) {
		value = b.derived_milli < 0 ? -(u64)b.derived_milli :
					      (u64)b.derived_milli;
		pr_info("BENCH name=%s value=%s%llu.%03llu unit=%s iters=%llu "
			"derived=%s\n",
			c->name, b.derived_milli < 0 ? "-" : "", value / 1000,
			value % 1000, b.result_unit, b.iters, b.derived);
		return 0;
	}
	if (b.result_unit) {
		value = b.result_milli;
	} else {
		value = (end - b.start_ns) * 1000 / b.iters;
		b.result_unit = "ns/op";
	}
	pr_info("BENCH name=%s value=%llu.%03llu unit=%s iters=%llu\n", c->name,
		value / 1000, value % 1000, b.result_unit, b.iters);
	return 0;

out_error:
	pr_info("BENCH name=%s error=%s\n", c->name, errname(err));
	return err;
}

int bench_run(const char *glob)
{
	const struct bench_case *const *c;
	int failed = 0, n = 0;

	for (c = __bench_start; c < __bench_end; c++) {
		if (glob && !glob_match(glob, (*c)->name))
			continue;
		failed += run_case(*c) != 0;
		n++;
	}
	pr_info("bench: %d cases, %d failed\n", n, failed);
	return failed;
}

/* Guest time from boot to the start of the benchmarks. */
static int boot_to_bench(struct bench *b)
{
	bench_set_result(b, ktime_get_ns() / NSEC_PER_USEC, "ms");
	return 0;
}
BENCH_CASE(boot_to_bench, boot_to_bench, 1);

void bench_boot(void)
{
	int failed;

	if (!bench_at_boot)
		return;
	failed = bench_run(bench_glob_set ? bench_glob : NULL);
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	machine_power_off();
}

static int cmd_bench(int argc, char **argv)
{
	return bench_run(argc > 1 ? argv[1] : NULL) ? -EIO : 0;
}
MONITOR_CMD(bench, "[GLOB]", "run benchmarks (see make bench)", 0, 1,
	    cmd_bench);
