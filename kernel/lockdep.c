// SPDX-License-Identifier: MIT
/*
 * lockdep.c - the report behind lockdep_assert_held() (keel/lockdep.h).
 *
 * Each violated assertion is counted and WARNs (with a backtrace). A CPU
 * that violates one while already reporting one (the WARN's printk path
 * asserts printk's own lock) only counts, so a report cannot recurse.
 */
#include <keel/bug.h>
#include <keel/lockdep.h>
#include <keel/percpu.h>
#include <keel/printk.h>

static unsigned long failures;
static u32 reporting; /* bit per CPU currently inside a report */

void lockdep_assert_failed(const char *file, int line, const char *lock)
{
	u32 bit = 1U << (smp_processor_id() & 31);

	__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_or(&reporting, bit, __ATOMIC_ACQUIRE) & bit)
		return;
	pr_warn("lock rule violated: %s not held\n", lock);
	__warn(file, line, "lockdep_assert_held");
	__atomic_fetch_and(&reporting, ~bit, __ATOMIC_RELEASE);
}

unsigned long lockdep_assert_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}
