// SPDX-License-Identifier: MIT
/*
 * watchdog_bench.c - what the policy guard costs (bench=1).
 *
 *   policy_guard_overhead
 *	ns per call added by policy_guarded() (kernel/sched/watchdog.h,
 *	arch/x86_64/policy_guard.S) around a callback that does nothing,
 *	against the same callback called through a function pointer, as
 *	the core called policies before the guard; each from a function of
 *	its own, as the wrappers in policy.c call them. Two extra lines give
 *	both times (policy_direct_null_call, policy_guarded_null_call);
 *	the two loops alternate in chunks so host noise hits them alike.
 *	The overhead is their difference, printed as measured: under plain
 *	TCG on a loaded host it can come out zero or negative.
 */
#include <keel/bench.h>
#include <keel/errno.h>
#include <keel/time.h>

#include "watchdog.h"

#define CHUNK 1000

static unsigned long null_callback(unsigned long a, unsigned long b,
				   unsigned long c)
{
	return a;
}

/* volatile: the compiler may not see through it and inline the call */
static unsigned long (*volatile callback)(unsigned long, unsigned long,
					  unsigned long) = null_callback;
static const struct sched_policy_ops bench_ops = { .name = "bench" };

/*
 * One call each, not inlined into the loop, as in policy.c's wrappers:
 * the registers the guard makes the compiler save are saved per call.
 */
static noinline unsigned long direct_call(unsigned long i)
{
	return callback(i, 0, 0);
}

static noinline unsigned long guarded_call(unsigned long i)
{
	struct guard_ret r;

	r = policy_guarded(&bench_ops, (void (*)(void))callback, i, 0, 0, 0);
	return r.val;
}

static int guard_overhead(struct bench *b)
{
	u64 direct_ns = 0, guarded_ns = 0, sink = 0, calls = 0;
	s64 overhead;

	for (; calls < b->iters; calls += CHUNK) {
		u64 t0 = ktime_get_ns(), t1, t2;

		for (unsigned long i = 0; i < CHUNK; i++)
			sink += direct_call(i);
		t1 = ktime_get_ns();
		for (unsigned long i = 0; i < CHUNK; i++)
			sink += guarded_call(i);
		t2 = ktime_get_ns();
		direct_ns += t1 - t0;
		guarded_ns += t2 - t1;
	}
	if (!calls)
		return -EINVAL; /* no iterations: nothing measured */
	if (sink != 2 * (calls / CHUNK) * (CHUNK * (CHUNK - 1) / 2))
		return -EIO; /* a call returned the wrong value */
	bench_report(b, "policy_direct_null_call", direct_ns * 1000 / calls,
		     "ns/op");
	bench_report(b, "policy_guarded_null_call", guarded_ns * 1000 / calls,
		     "ns/op");
	overhead = ((s64)guarded_ns - (s64)direct_ns) * 1000 / (s64)calls;
	bench_set_derived(b, overhead, "ns/op",
			  "policy_guarded_null_call-policy_direct_null_call");
	return 0;
}
BENCH_CASE(policy_guard_overhead, guard_overhead, 1000000);
