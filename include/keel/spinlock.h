/* SPDX-License-Identifier: MIT */
/*
 * keel/spinlock.h - busy-waiting locks.
 *
 * A test-and-test-and-set lock that also disables preemption while held
 * (keel/preempt.h): a holder is never scheduled away, so a waiter spins
 * for a bounded time. The _irqsave variants also disable local
 * interrupts, which is required for any lock an interrupt handler takes.
 *
 * With KEEL_DEBUG (make DEBUG=1, the default) every lock records its
 * holder's CPU and each CPU counts the locks it holds, which catches:
 *   - recursion: taking a lock this CPU already holds (a certain
 *     deadlock) is reported and the inner acquisition skipped;
 *   - unlocking a lock that is not held, or held by another CPU;
 *   - sleeping while holding one: schedule() reports it and refuses.
 * Each report is a WARN plus a counter (spin_debug_counts()).
 *
 * An all-zero spinlock_t is a valid unlocked lock.
 */
#ifndef _KEEL_SPINLOCK_H
#define _KEEL_SPINLOCK_H

#include <asm/cpu.h>
#include <keel/compiler.h>
#include <keel/preempt.h>

#ifndef KEEL_DEBUG
#define KEEL_DEBUG 1
#endif

typedef struct {
	volatile u32 locked;
	u32 owner; /* debug: holder's CPU + 1, 0 when free */
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0, 0  \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
	l->owner = 0;
}

/* kernel/spinlock.c: the debug checks, out of line. */
bool spin_debug_recursive(spinlock_t *l);
void spin_debug_acquired(spinlock_t *l);
bool spin_debug_release(spinlock_t *l);

struct spin_debug_counts {
	unsigned long recursion;    /* lock taken twice on one CPU */
	unsigned long bad_unlock;   /* not held, or held elsewhere */
	unsigned long sleep_locked; /* schedule() with a lock held */
};
void spin_debug_counts(struct spin_debug_counts *out);
void spin_debug_count_sleep(void);

static inline bool arch_spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (!arch_spin_trylock(l)) {
		preempt_enable();
		return false;
	}
	if (KEEL_DEBUG)
		spin_debug_acquired(l);
	return true;
}

static inline void spin_lock(spinlock_t *l)
{
	preempt_disable();
	if (KEEL_DEBUG && READ_ONCE(l->locked) && spin_debug_recursive(l))
		return;
	while (!arch_spin_trylock(l))
		while (READ_ONCE(l->locked))
			cpu_relax();
	if (KEEL_DEBUG)
		spin_debug_acquired(l);
}

/* Release without the preemption count (the caller handles it). */
static inline void __spin_release(spinlock_t *l)
{
	if (KEEL_DEBUG && !spin_debug_release(l))
		return;
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__spin_release(l);
	preempt_enable();
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return READ_ONCE(l->locked);
}

#define spin_lock_irqsave(l, flags)         \
	do {                                \
		(flags) = local_irq_save(); \
		spin_lock(l);               \
	} while (0)

static inline void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	__spin_release(l);
	preempt_enable_no_resched();
	local_irq_restore(flags);
	if (unlikely(this_cpu_read(need_resched)))
		preempt_check_resched();
}

static inline void spin_lock_irq(spinlock_t *l)
{
	local_irq_disable();
	spin_lock(l);
}

static inline void spin_unlock_irq(spinlock_t *l)
{
	spin_unlock_irqrestore(l, X86_EFLAGS_IF);
}

#endif
