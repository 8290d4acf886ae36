// SPDX-License-Identifier: MIT
/*
 * spinlock.c - the checks behind keel/spinlock.h.
 *
 * A held lock records owner = holder's CPU + 1 in every build. Because a
 * holder cannot be preempted (and cannot sleep: that panics), "this CPU
 * holds it" means "this context (or one it interrupted) holds it", so
 * taking it again can never succeed: spin_lock() calls
 * spin_lock_recursion(), which panics with a report (the lock, its
 * holder) in every build. It never returns: a lock is never handed out
 * twice.
 *
 * With KEEL_DEBUG each CPU also counts the locks it holds (struct
 * cpu.locks_held), and an unlock of a lock that is not held here WARNs
 * (with a backtrace) the first time and is counted every time. A CPU
 * that reports while already reporting (the lock is printk's) only
 * counts.
 *
 * Counters are atomic; tests read them with spin_debug_counts().
 */
#include <keel/atomic.h>
#include <keel/bug.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/spinlock.h>

struct check {
	const char *what;
	unsigned long count;
	bool warned; /* WARN (with a backtrace) the first time only */
};

static struct check bad_unlock = {
	.what = "spin_unlock of a lock not held here"
};
static unsigned long recursion_count;
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

void spin_lock_recursion(spinlock_t *l)
{
	__atomic_fetch_add(&recursion_count, 1, __ATOMIC_RELAXED);
	/*
	 * If the lock is printk's own, printing the report would recurse
	 * on it again: from here on, printk only tries its lock.
	 */
	if (printk_lock_held_here())
		printk_emergency_mode();
	panic("spinlock recursion on CPU %u: lock %p is already held by "
	      "this CPU (deadlock)",
	      smp_processor_id(), l);
}

/* Returns false if the unlock must not happen (the lock is not held). */
bool spin_debug_release(spinlock_t *l)
{
	if (!READ_ONCE(l->locked)) {
		report(&bad_unlock);
		return false;
	}
	if (READ_ONCE(l->owner) != smp_processor_id() + 1)
		report(&bad_unlock);
	if (this_cpu_read(locks_held))
		this_cpu_add_32(locks_held, -1);
	return true;
}

void spin_debug_counts(struct spin_debug_counts *out)
{
	out->recursion = __atomic_load_n(&recursion_count, __ATOMIC_RELAXED);
	out->bad_unlock = __atomic_load_n(&bad_unlock.count, __ATOMIC_RELAXED);
}
