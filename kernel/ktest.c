// SPDX-License-Identifier: MIT
/*
 * ktest.c - run the in-kernel tests and print KTAP version 1.
 *
 * Suites are found through the .ktest_suites linker section. Each case
 * runs between kernel_setjmp() and its end; a failed ASSERT, a fault in
 * the case (trap handler -> ktest_fault_hook) or a panic (panic ->
 * ktest_panic_hook) jumps back here, the case is "not ok", and the run
 * goes on. After all suites, a last suite compares free pages and live
 * slab objects with the counts before the run (the leak check).
 *
 * ktest.failslab=P[:SEED] runs every case with failslab failing P percent
 * of all allocations (make check-failslab, docs/debugging.md). The
 * generator is seeded per case from SEED and the case's name, so a
 * filter for one case reproduces its failures. A case that fails cleanly
 * (an EXPECT or ASSERT, no fault, panic or WARN) while failures were
 * injected is run again without them: if it passes then, the failure was
 * the injected -ENOMEM and the case is reported as skipped; if not, it
 * is "not ok". What the failed attempt left allocated (its own cleanup
 * was skipped) is counted out of the leak check and printed. A suite's
 * exit (teardown) runs without injection.
 *
 * Output, as KUnit prints it:
 *	KTAP version 1
 *	1..N
 *	    KTAP version 1
 *	    # Subtest: suite
 *	    1..M
 *	    ok 1 case
 *	# suite: pass:P fail:F skip:S total:M
 *	ok 1 suite
 *	# Totals: pass:P fail:F xfail:0 xpass:0 skip:S error:0
 *
 * The last line counts every case of the run in the form kselftest prints
 * (keel has no expected failures, and a case that errors is a failure).
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/cmdline.h>
#include <keel/ktest.h>
#include <keel/lockdep.h>
#include <keel/mm.h>
#include <keel/monitor.h>
#include <keel/power.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/irq.h>
#include <keel/slab.h>
#include <keel/string.h>

extern const struct ktest_suite *const __ktest_suites_start[];
extern const struct ktest_suite *const __ktest_suites_end[];

static struct ktest *current_test;
static bool ktest_at_boot;
static char ktest_glob[128];
static bool ktest_glob_set;
static long leak_objects, leak_pages;	      /* cases knowingly left behind */
static struct failslab_config ktest_failslab; /* ktest.failslab= */
static unsigned long failslab_cases, failslab_rerun_ok; /* run statistics */
extern bool panic_exit_qemu;

static int parse_ktest(const char *val)
{
	int err = val ? kstrtobool(val, &ktest_at_boot) : -EINVAL;

	if (!err && ktest_at_boot)
		panic_exit_qemu = true;
	return err;
}
cmdline_param("ktest", parse_ktest);

static int parse_filter(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	if (strlcpy(ktest_glob, val, sizeof(ktest_glob)) >= sizeof(ktest_glob))
		return -ENAMETOOLONG;
	ktest_glob_set = true;
	return 0;
}
cmdline_param("ktest.filter", parse_filter);

static int parse_failslab(const char *val)
{
	return failslab_parse_rate(val, &ktest_failslab);
}
cmdline_param("ktest.failslab", parse_failslab);

bool ktest_in_case(void)
{
	return current_test != NULL;
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	strlcpy(t->skip_reason, reason, sizeof(t->skip_reason));
}

void ktest_abort(struct ktest *t)
{
	kernel_longjmp(&t->abort, 1);
}

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	char msg[512];
	va_list ap;
	char *p, *nl;

	t->failed = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_info("    # %s: EXPECTATION FAILED at %s:%d\n", t->name, file, line);
	for (p = msg; p; p = nl) {
		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		pr_info("    # %s\n", p);
	}
}

void ktest_fail_cmp(struct ktest *t, const char *file, int line, const char *op,
		    const char *a_str, const char *b_str, long long a,
		    long long b)
{
	ktest_fail(t, file, line,
		   "Expected %s %s %s, but\n"
		   "    %s == %lld (%#llx)\n"
		   "    %s == %lld (%#llx)",
		   a_str, op, b_str, a_str, a, (unsigned long long)a, b_str, b,
		   (unsigned long long)b);
}

static void hexdump_line(const char *label, const u8 *p, size_t n, size_t at)
{
	char line[80];
	int len = scnprintf(line, sizeof(line), "%s @%zu:", label, at);

	for (size_t i = at; i < n && i < at + 16; i++)
		len += scnprintf(line + len, sizeof(line) - len, " %02x", p[i]);
	pr_info("    #     %s\n", line);
}

bool ktest_memeq_report(struct ktest *t, const char *file, int line,
			const char *a_str, const char *b_str, const void *a,
			const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	size_t i;

	for (i = 0; i < n && x[i] == y[i]; i++)
		;
	if (i == n)
		return false;
	ktest_fail(t, file, line,
		   "Expected %s == %s (%zu bytes), first "
		   "difference at byte %zu",
		   a_str, b_str, n, i);
	hexdump_line(a_str, x, n, i & ~15UL);
	hexdump_line(b_str, y, n, i & ~15UL);
	return true;
}

/* The running case, if the current task is the one running it. */
static struct ktest *case_of_current(void)
{
	struct ktest *t = READ_ONCE(current_test);

	return t && t->task == current ? t : NULL;
}

void ktest_panic_hook(const char *msg)
{
	struct ktest *t = case_of_current();

	if (!t)
		return;
	if (t->panic_expected && strstr(msg, t->panic_expected)) {
		pr_info("    # %s: expected panic: %s\n", t->name, msg);
		t->panic_seen = true;
		kernel_longjmp(&t->abort, 1);
	}
	pr_info("    # %s: panic in test case: %s\n", t->name, msg);
	dump_stack();
	t->failed = true;
	t->unclean = true;
	kernel_longjmp(&t->abort, 1);
}

void ktest_fault_hook(const char *what, struct pt_regs *regs)
{
	struct ktest *t = case_of_current();

	(void)regs;
	if (!t)
		return;
	pr_info("    # %s: %s in test case\n", t->name, what);
	t->failed = true;
	t->unclean = true;
	kernel_longjmp(&t->abort, 1);
}

bool ktest_warn_hook(void)
{
	/*
	 * Read once: a thread the case started may WARN on another CPU
	 * just as the runner ends the case and clears current_test.
	 */
	struct ktest *t = READ_ONCE(current_test);

	/* a WARN inside a case is a failure, but not fatal */
	if (t && t->warn_expected) {
		pr_info("    # %s: expected WARN\n", t->name);
		t->warns++;
		return true;
	}
	if (t) {
		pr_info("    # %s: WARN triggered\n", t->name);
		t->failed = true;
		t->unclean = true;
	}
	return false;
}

void ktest_failslab_exempt(struct ktest *t, const char *why)
{
	struct failslab_config off = { 0 };

	if (!ktest_failslab.probability)
		return;
	failslab_set(&off);
	pr_info("    # %s: runs without failslab: %s\n", t->name, why);
}

/*
 * Does "suite.case" match the filter? A filter without '.' selects whole
 * suites; with a '.', both halves must match.
 */
static bool selected(const char *glob, const char *suite, const char *kcase)
{
	char sglob[128];
	const char *dot;

	if (!glob || !*glob)
		return true;
	dot = strchr(glob, '.');
	if (!dot)
		return glob_match(glob, suite);
	if ((size_t)(dot - glob) >= sizeof(sglob))
		return false;
	memcpy(sglob, glob, dot - glob);
	sglob[dot - glob] = '\0';
	return glob_match(sglob, suite) &&
	       (!kcase || glob_match(dot + 1, kcase));
}

/* Is the suite part of the filter exactly this suite's name? */
static bool names_suite(const char *glob, const char *suite)
{
	size_t n = strlen(suite);

	return glob && !strncmp(glob, suite, n) &&
	       (glob[n] == '\0' || glob[n] == '.');
}

static int count_cases(const struct ktest_suite *s, const char *glob)
{
	int n = 0;

	if (s->explicit_only && !names_suite(glob, s->name))
		return 0;

	for (const struct ktest_case *c = s->cases; c->name; c++)
		n += selected(glob, s->name, c->name);
	return n;
}

/*
 * A case that faulted may have left preemption disabled or an IRQ
 * depth behind on this CPU; the run cannot go on sleeping with them.
 */
static void reset_cpu_state(struct ktest *t)
{
	/*
	 * A fault or panic inside a guarded policy call that ktest caught
	 * first (fair's, or a fault) left the guard slot pointing into the
	 * dead frame: a later panic would unwind to it.
	 */
	this_cpu_write(policy_guard, NULL);
	this_cpu_write(policy_tokens, current->policy_ctx);
	/*
	 * A case that panicked in the middle of a sleep (an expected
	 * "sleeping function called from invalid context") may have
	 * marked the runner blocked.
	 */
	WRITE_ONCE(current->state, TASK_RUNNING);
	/* the locks an abandoned frame held are not held any more */
	lockdep_forget_held();
	if (!preempt_count() && !in_irq() && !this_cpu_read(locks_held) &&
	    !this_cpu_read(irq_disable_depth))
		return;
	pr_info("    # %s: reset preempt count %d, IRQ depth %u, locks %u, "
		"irq-disable depth %u\n",
		t->name, preempt_count(), this_cpu_read(irq_depth),
		this_cpu_read(locks_held), this_cpu_read(irq_disable_depth));
	irq_abandon_handlers(); /* a panic in a handler: EOI, counts */
	this_cpu_write(preempt_count, 0);
	this_cpu_write(locks_held, 0);
	this_cpu_write(irq_disable_depth, 0);
}

/* Case outcomes, the index into the counts arrays below. */
enum { KTEST_PASS, KTEST_FAIL, KTEST_SKIP, KTEST_NR_OUTCOMES };

/* Run one case once (init, case, exit); its outcome is in *t. */
static void run_case_once(const struct ktest_suite *s,
			  const struct ktest_case *c, struct ktest *t)
{
	volatile bool inited = false;
	unsigned long flags = read_flags();

	*t = (struct ktest){ .name = c->name, .task = current };
	if (kernel_setjmp(&t->abort) == 0) {
		current_test = t;
		if (!s->init || !s->init(t)) {
			inited = true;
			c->run(t);
		} else if (!t->skipped) {
			ktest_skip(t, "suite init failed");
		}
	}
	current_test = NULL;
	reset_cpu_state(t);
	if (t->panic_expected && !t->panic_seen && !t->failed && !t->skipped)
		ktest_fail(t, __FILE__, __LINE__,
			   "expected a panic containing \"%s\"; none came",
			   t->panic_expected);
	if (inited && s->exit) {
		/* teardown must work for a retry: no injection in it */
		if (ktest_failslab.probability) {
			struct failslab_config off = { 0 };

			failslab_set(&off);
		}
		s->exit(t);
	}
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

/* FNV-1a over "suite.case", from the seed ktest.failslab= gave. */
static u64 case_seed(const struct ktest_suite *s, const struct ktest_case *c)
{
	u64 h = 0xcbf29ce484222325ULL ^ ktest_failslab.seed;
	const char *p;

	for (p = s->name; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ULL;
	h = (h ^ '.') * 0x100000001b3ULL;
	for (p = c->name; *p; p++)
		h = (h ^ (u8)*p) * 0x100000001b3ULL;
	return h ? h : 1;
}

/*
 * Run one case with ktest.failslab='s injection on. A clean failure
 * while failures were injected is retried without them (see the top).
 */
static void run_case_failslab(const struct ktest_suite *s,
			      const struct ktest_case *c, struct ktest *t)
{
	struct failslab_config cfg = ktest_failslab, off = { 0 };
	struct mm_usage before, after;
	unsigned long injected;
	long objects, pages;

	cfg.seed = case_seed(s, c);
	mm_usage_get(&before);
	injected = failslab_injected();
	failslab_set(&cfg);
	run_case_once(s, c, t);
	failslab_set(&off);
	injected = failslab_injected() - injected;
	if (!injected)
		return;
	failslab_cases++;
	if (!t->failed && !t->skipped) {
		mm_usage_get(&after);
		objects = (long)(after.slab_objects - before.slab_objects);
		pages = (long)(before.free_pages - after.free_pages);
		if (objects || pages)
			pr_info("    # %s: passed under injection, leaving %ld slab object(s), %ld page(s)\n",
				c->name, objects, pages);
	}
	pr_info("    # %s: failslab injected %lu failure(s), seed %#llx\n",
		c->name, injected, (unsigned long long)cfg.seed);
	/* a suite init that failed under injection skips: retried too */
	if ((!t->failed && !t->skipped) || t->unclean)
		return;
	mm_usage_get(&after);
	objects = (long)(after.slab_objects - before.slab_objects);
	pages = (long)(before.free_pages - after.free_pages);
	if (objects || pages)
		pr_info("    # %s: the failed attempt left %ld slab object(s), %ld page(s)\n",
			c->name, objects, pages);
	leak_objects += objects;
	leak_pages += pages;
	pr_info("    # %s: %s under injection; again without it\n", c->name,
		t->failed ? "failed" : "skipped");
	run_case_once(s, c, t);
	if (t->failed || t->skipped)
		return;
	failslab_rerun_ok++;
	ktest_skip(t,
		   "failslab: failed under injected failures, passes without");
}

/* Run one case; returns KTEST_PASS, KTEST_FAIL or KTEST_SKIP. */
static int run_case(const struct ktest_suite *s, const struct ktest_case *c,
		    int index)
{
	struct ktest t;

	if (ktest_failslab.probability)
		run_case_failslab(s, c, &t);
	else
		run_case_once(s, c, &t);
	if (t.skipped && !t.failed) {
		pr_info("    ok %d %s # SKIP %s\n", index, c->name,
			t.skip_reason);
		return KTEST_SKIP;
	}
	pr_info("    %s %d %s\n", t.failed ? "not ok" : "ok", index, c->name);
	return t.failed ? KTEST_FAIL : KTEST_PASS;
}

/* Run one suite, add its outcomes to totals; returns its failed cases. */
static int run_suite(const struct ktest_suite *s, const char *glob, int index,
		     int totals[KTEST_NR_OUTCOMES])
{
	int counts[KTEST_NR_OUTCOMES] = { 0 }, n = 0;

	pr_info("    KTAP version 1\n");
	pr_info("    # Subtest: %s\n", s->name);
	pr_info("    1..%d\n", count_cases(s, glob));
	for (const struct ktest_case *c = s->cases; c->name; c++)
		if (selected(glob, s->name, c->name))
			counts[run_case(s, c, ++n)]++;
	pr_info("# %s: pass:%d fail:%d skip:%d total:%d\n", s->name,
		counts[KTEST_PASS], counts[KTEST_FAIL], counts[KTEST_SKIP], n);
	if (counts[KTEST_FAIL])
		pr_info("not ok %d %s\n", index, s->name);
	else if (counts[KTEST_SKIP] == n && n)
		pr_info("ok %d %s # SKIP all cases skipped\n", index, s->name);
	else
		pr_info("ok %d %s\n", index, s->name);
	for (int i = 0; i < KTEST_NR_OUTCOMES; i++)
		totals[i] += counts[i];
	return counts[KTEST_FAIL];
}

void ktest_leak_allow(struct ktest *t, long slab_objects, long pages,
		      const char *why)
{
	pr_info("    # %s: left behind on purpose: %ld slab object(s), %ld page(s): %s\n",
		t->name, slab_objects, pages, why);
	leak_objects += slab_objects;
	leak_pages += pages;
}

/*
 * The last suite of every run: nothing the tests allocated stayed,
 * except what cases declared with ktest_leak_allow().
 */
static int leak_check(const struct mm_usage *before, int index)
{
	struct mm_usage after;
	bool ok;

	mm_usage_get(&after);
	ok = after.free_pages + leak_pages == before->free_pages &&
	     after.slab_objects == before->slab_objects + leak_objects;
	/*
	 * Under ktest.failslab= what a failed attempt left is measured
	 * when it ends; some of it (an exiting thread's stack, a deferred
	 * free) may go later. Nothing beyond it may stay.
	 */
	if (ktest_failslab.probability)
		ok = after.free_pages + leak_pages >= before->free_pages &&
		     after.slab_objects <= before->slab_objects + leak_objects;
	pr_info("    KTAP version 1\n    # Subtest: ktest_leak_check\n    1..1\n");
	if (leak_objects || leak_pages)
		pr_info("    # declared left behind: %ld slab object(s), %ld page(s)\n",
			leak_objects, leak_pages);
	if (!ok)
		pr_info("    # free pages %lu -> %lu, slab objects %lu -> %lu\n",
			before->free_pages, after.free_pages,
			before->slab_objects, after.slab_objects);
	pr_info("    %s 1 no_pages_or_objects_leaked\n", ok ? "ok" : "not ok");
	pr_info("# ktest_leak_check: pass:%d fail:%d skip:0 total:1\n", ok,
		!ok);
	pr_info("%s %d ktest_leak_check\n", ok ? "ok" : "not ok", index);
	return !ok;
}

int ktest_run(const char *glob)
{
	const struct ktest_suite *const *s;
	struct mm_usage before;
	int nsuites = 1, index = 0, failed = 0;
	int totals[KTEST_NR_OUTCOMES] = { 0 };
	int leaked;

	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		nsuites += count_cases(*s, glob) > 0;
	mm_usage_get(&before);
	pr_info("KTAP version 1\n");
	pr_info("1..%d\n", nsuites);
	for (s = __ktest_suites_start; s < __ktest_suites_end; s++)
		if (count_cases(*s, glob))
			failed += run_suite(*s, glob, ++index, totals);
	if (ktest_failslab.probability)
		pr_info("# failslab: %lu%% of allocations failed; %lu case(s) saw failures, %lu failed under them and passed without\n",
			(unsigned long)ktest_failslab.probability,
			failslab_cases, failslab_rerun_ok);
	leaked = leak_check(&before, ++index);
	totals[leaked ? KTEST_FAIL : KTEST_PASS]++;
	failed += leaked;
	pr_info("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
		totals[KTEST_PASS], totals[KTEST_FAIL], totals[KTEST_SKIP]);
	return failed;
}

void ktest_boot(void)
{
	int failed;

	if (!ktest_at_boot)
		return;
	failed = ktest_run(ktest_glob_set ? ktest_glob : NULL);
	pr_info("ktest: run finished, %d failed\n", failed);
	qemu_exit(failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	machine_power_off();
}

static int cmd_ktest(int argc, char **argv)
{
	int failed = ktest_run(argc > 1 ? argv[1] : NULL);

	printk(KERN_INFO "ktest: %d failed\n", failed);
	return 0;
}
MONITOR_CMD(ktest, "[GLOB]", "run in-kernel tests (suite or suite.case)", 0, 1,
	    cmd_ktest);
