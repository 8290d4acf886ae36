// SPDX-License-Identifier: MIT
/*
 * spinlock.c - the debug checks behind keel/spinlock.h.
 *
 * A held lock records owner = holder's CPU + 1 and each CPU counts the
 * locks it holds (struct cpu.locks_held). Because a holder cannot be
 * preempted, "this CPU holds it" means "this context (or one it
 * interrupted) holds it", so taking it again can never succeed: that
 * is reported as recursion and the inner acquisition is skipped, which
 * keeps the machine alive for the report. Each kind of misuse WARNs
 * (with a backtrace) the first time and is counted every time. A CPU
 * that reports while already reporting (the recursive lock is printk's)
 * only counts.
 *
 * Counters are atomic; tests read them with spin_debug_counts().
 */
#include <keel/atomic.h>
#include <keel/bug.h>
#include <keel/percpu.h>
#include <keel/spinlock.h>

struct check {
	const char *what;
	unsigned long count;
	bool warned; /* WARN (with a backtrace) the first time only */
};

static struct check recursion = { .what = "spinlock recursion on one CPU" };
static struct check bad_unlock = {
	.what = "spin_unlock of a lock not held here"
};
static struct check sleep_locked = {
	.what = "sleeping while holding a spinlock"
};
static u32 reporting; /* bit per CPU currently inside a report */

static void report(struct check *c)
{
	u32 bit = 1U << (smp_processor_id() & 31);

	__atomic_fetch_add(&c->count, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_or(&reporting, bit, __ATOMIC_ACQUIRE) & bit)
		return;
	if (!xchg(&c->warned, true))
		__warn(__FILE__, __LINE__, c->what);
	__atomic_fetch_and(&reporting, ~bit, __ATOMIC_RELEASE);
}

bool spin_debug_recursive(spinlock_t *l)
{
	if (READ_ONCE(l->owner) != smp_processor_id() + 1)
		return false;
	report(&recursion);
	return true;
}

void spin_debug_acquired(spinlock_t *l)
{
	l->owner = smp_processor_id() + 1;
	this_cpu_add_32(locks_held, 1);
}

/* Returns false if the unlock must not happen (the lock is not held). */
bool spin_debug_release(spinlock_t *l)
{
	if (!READ_ONCE(l->locked)) {
		report(&bad_unlock);
		return false;
	}
	if (l->owner != smp_processor_id() + 1)
		report(&bad_unlock);
	l->owner = 0;
	if (this_cpu_read(locks_held))
		this_cpu_add_32(locks_held, -1);
	return true;
}

void spin_debug_count_sleep(void)
{
	report(&sleep_locked);
}

void spin_debug_counts(struct spin_debug_counts *out)
{
	out->recursion = __atomic_load_n(&recursion.count, __ATOMIC_RELAXED);
	out->bad_unlock = __atomic_load_n(&bad_unlock.count, __ATOMIC_RELAXED);
	out->sleep_locked =
		__atomic_load_n(&sleep_locked.count, __ATOMIC_RELAXED);
}
