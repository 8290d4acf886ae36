/* SPDX-License-Identifier: MIT */
/*
 * keel/ktest.h - in-kernel tests, KUnit-style, reporting KTAP version 1.
 *
 *	static void buddy_coalesces(struct ktest *t)
 *	{
 *		KTEST_EXPECT_EQ(t, order_of(p), 3);
 *	}
 *	static struct ktest_case buddy_cases[] = {
 *		KTEST_CASE(buddy_coalesces),
 *		{}
 *	};
 *	KTEST_SUITE(buddy, buddy_cases);
 *
 * EXPECT records a failure and goes on; ASSERT records it and ends the
 * case. A case that faults or panics is reported "not ok" and the run
 * goes on with the next case (its locks and allocations are not undone).
 * That holds for the task running the case; a fault or panic in a
 * thread the case started is a real panic (the run ends). ASSERT only
 * in the case's own task; threads report with EXPECT.
 * Suites run in link order; ktest.filter=GLOB selects "suite" or
 * "suite.case" names.
 */
#ifndef _KEEL_KTEST_H
#define _KEEL_KTEST_H

#include <keel/compiler.h>
#include <keel/setjmp.h>

struct ktest {
	const char *name;
	bool failed;
	bool skipped;
	char skip_reason[96];
	void *priv;	      /* for init/exit and the case */
	bool warn_expected;   /* see ktest_expect_warn() */
	unsigned int warns;   /* WARNs seen while warn_expected */
	const char *panic_expected; /* see ktest_expect_panic() */
	bool panic_seen;	    /* the expected panic happened */
	struct jmp_buf abort; /* ASSERT failures, faults, panics */
	void *task;	      /* the task running the case */
	bool unclean; /* it faulted, panicked or WARNed unexpectedly */
};

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;      /* ends with an empty entry */
	int (*init)(struct ktest *t);  /* per case; nonzero skips it */
	void (*exit)(struct ktest *t); /* per case, also after failure */
	/*
	 * Run only when a filter names this suite exactly (no wildcard):
	 * for the framework's self-tests, which fail on purpose.
	 */
	bool explicit_only;
};

#define KTEST_CASE(fn)                 \
	{                              \
		.name = #fn, .run = fn \
	}

#define KTEST_SUITE(sname, scases, ...)                                   \
	static const struct ktest_suite __ktest_suite_##sname = {         \
		.name = #sname, .cases = scases, ##__VA_ARGS__            \
	};                                                                \
	static const struct ktest_suite *const __ktest_ptr_##sname __used \
		__section(".ktest_suites")                                \
			__aligned(8) = &__ktest_suite_##sname

/* Run the selected tests (glob may be NULL); returns failed-case count. */
int ktest_run(const char *glob);
/* At boot: run tests if ktest=1 was given, then leave QEMU. */
void ktest_boot(void);
/* True while a case body runs (fault and panic handlers ask). */
bool ktest_in_case(void);
/* Called by panic() and the trap handlers; return only if not in a case. */
void ktest_panic_hook(const char *msg);
struct pt_regs;
void ktest_fault_hook(const char *what, struct pt_regs *regs);
/*
 * A WARN or a sanitizer report: fails the running case unless it called
 * ktest_expect_warn(). Returns true if the running case expected it.
 */
bool ktest_warn_hook(void);

void ktest_skip(struct ktest *t, const char *reason);
/*
 * The case leaves slab_objects objects (holding pages pages) allocated
 * on purpose and says why (e.g. the memory of an ejected, abandoned
 * scheduling policy): the final leak check expects exactly that.
 */
void ktest_leak_allow(struct ktest *t, long slab_objects, long pages,
		      const char *why);

/*
 * Under ktest.failslab= (make check-failslab), switch injection off for
 * the rest of the case, for a case that can run only once per boot (it
 * uses up something for good, so a failed attempt cannot be retried).
 * Call it first. No effect otherwise.
 */
void ktest_failslab_exempt(struct ktest *t, const char *why);

/*
 * While on, a WARN in the case is counted in t->warns instead of failing
 * it: for cases that check that misuse is detected. WARN_ON_ONCE fires
 * once per boot, so check the subsystem's own counter, not t->warns.
 */
static inline void ktest_expect_warn(struct ktest *t, bool on)
{
	t->warn_expected = on;
}
/*
 * The case passes only if it panics (in its own task) with a message
 * containing @substr: for cases that check that misuse is refused with a
 * panic (lock recursion, sleeping in atomic context). The panic ends the
 * case like an ASSERT: the frames between the case and panic() are
 * abandoned without running their cleanups (Rust destructors included),
 * so the case must leave nothing behind that later code uses (a lock it
 * holds, an object on a shared list). The runner resets the CPU's
 * preemption count, held-lock count and interrupt-disable depth and the
 * task's state afterwards, and ends interrupt handlers the panic
 * abandoned (irq_abandon_handlers(): EOI, running counts), so a case may
 * expect a panic in a handler it raised.
 * @substr must live until the case ends (a string literal).
 */
static inline void ktest_expect_panic(struct ktest *t, const char *substr)
{
	t->panic_expected = substr;
}
__printf(4, 5) void ktest_fail(struct ktest *t, const char *file, int line,
			       const char *fmt, ...);
__noreturn void ktest_abort(struct ktest *t);

/* Internal: report a failed comparison with both sides printed. */
void ktest_fail_cmp(struct ktest *t, const char *file, int line, const char *op,
		    const char *a_str, const char *b_str, long long a,
		    long long b);

#define __KTEST_CMP(t, a, op, b, fatal)                                    \
	do {                                                               \
		__typeof__(a) __a = (a);                                   \
		__typeof__(b) __b = (b);                                   \
		if (!(__a op __b)) {                                       \
			ktest_fail_cmp(t, __FILE__, __LINE__, #op, #a, #b, \
				       (long long)__a, (long long)__b);    \
			if (fatal)                                         \
				ktest_abort(t);                            \
		}                                                          \
	} while (0)

#define __KTEST_TRUE(t, cond, fatal)                                 \
	do {                                                         \
		if (!(cond)) {                                       \
			ktest_fail(t, __FILE__, __LINE__,            \
				   "Expected %s to be true", #cond); \
			if (fatal)                                   \
				ktest_abort(t);                      \
		}                                                    \
	} while (0)

#define __KTEST_PTR(t, p, want_null, fatal)                               \
	do {                                                              \
		const void *__p = (p);                                    \
		if ((__p == NULL) != (want_null)) {                       \
			ktest_fail(t, __FILE__, __LINE__,                 \
				   "Expected %s to be %s, got %p", #p,    \
				   want_null ? "NULL" : "not NULL", __p); \
			if (fatal)                                        \
				ktest_abort(t);                           \
		}                                                         \
	} while (0)

#define __KTEST_STREQ(t, a, b, fatal)                         \
	do {                                                  \
		const char *__a = (a), *__b = (b);            \
		if (!__a || !__b || strcmp(__a, __b)) {       \
			ktest_fail(t, __FILE__, __LINE__,     \
				   "Expected %s == %s, but\n" \
				   "        %s == \"%s\"\n"   \
				   "        %s == \"%s\"",    \
				   #a, #b, #a, __a, #b, __b); \
			if (fatal)                            \
				ktest_abort(t);               \
		}                                             \
	} while (0)

#define __KTEST_MEMEQ(t, a, b, n, fatal)                                   \
	do {                                                               \
		if (ktest_memeq_report(t, __FILE__, __LINE__, #a, #b, (a), \
				       (b), (n)) &&                        \
		    (fatal))                                               \
			ktest_abort(t);                                    \
	} while (0)

bool ktest_memeq_report(struct ktest *t, const char *file, int line,
			const char *a_str, const char *b_str, const void *a,
			const void *b, size_t n);

#define KTEST_EXPECT_EQ(t, a, b)       __KTEST_CMP(t, a, ==, b, false)
#define KTEST_EXPECT_NE(t, a, b)       __KTEST_CMP(t, a, !=, b, false)
#define KTEST_EXPECT_LT(t, a, b)       __KTEST_CMP(t, a, <, b, false)
#define KTEST_EXPECT_LE(t, a, b)       __KTEST_CMP(t, a, <=, b, false)
#define KTEST_EXPECT_GT(t, a, b)       __KTEST_CMP(t, a, >, b, false)
#define KTEST_EXPECT_GE(t, a, b)       __KTEST_CMP(t, a, >=, b, false)
#define KTEST_EXPECT_TRUE(t, c)	       __KTEST_TRUE(t, c, false)
#define KTEST_EXPECT_FALSE(t, c)       __KTEST_TRUE(t, !(c), false)
#define KTEST_EXPECT_NULL(t, p)	       __KTEST_PTR(t, p, true, false)
#define KTEST_EXPECT_NOT_NULL(t, p)    __KTEST_PTR(t, p, false, false)
#define KTEST_EXPECT_STREQ(t, a, b)    __KTEST_STREQ(t, a, b, false)
#define KTEST_EXPECT_MEMEQ(t, a, b, n) __KTEST_MEMEQ(t, a, b, n, false)

#define KTEST_ASSERT_EQ(t, a, b)       __KTEST_CMP(t, a, ==, b, true)
#define KTEST_ASSERT_NE(t, a, b)       __KTEST_CMP(t, a, !=, b, true)
#define KTEST_ASSERT_LT(t, a, b)       __KTEST_CMP(t, a, <, b, true)
#define KTEST_ASSERT_LE(t, a, b)       __KTEST_CMP(t, a, <=, b, true)
#define KTEST_ASSERT_GT(t, a, b)       __KTEST_CMP(t, a, >, b, true)
#define KTEST_ASSERT_GE(t, a, b)       __KTEST_CMP(t, a, >=, b, true)
#define KTEST_ASSERT_TRUE(t, c)	       __KTEST_TRUE(t, c, true)
#define KTEST_ASSERT_FALSE(t, c)       __KTEST_TRUE(t, !(c), true)
#define KTEST_ASSERT_NULL(t, p)	       __KTEST_PTR(t, p, true, true)
#define KTEST_ASSERT_NOT_NULL(t, p)    __KTEST_PTR(t, p, false, true)
#define KTEST_ASSERT_STREQ(t, a, b)    __KTEST_STREQ(t, a, b, true)
#define KTEST_ASSERT_MEMEQ(t, a, b, n) __KTEST_MEMEQ(t, a, b, n, true)

#endif
