/* SPDX-License-Identifier: MIT */
/*
 * keel/spinlock.h - busy-waiting locks.
 *
 * A test-and-test-and-set lock that also disables preemption while held
 * (keel/preempt.h): a holder is never scheduled away, so a waiter spins
 * for a bounded time. The _irqsave variants also disable local
 * interrupts, which is required for any lock an interrupt handler takes.
 *
 * Every build (DEBUG=0 too) records the holder's CPU in the lock, so
 * that a lock never returns without being held:
 *   - recursion: taking a lock this CPU already holds (itself, or in the
 *     context an interrupt handler interrupted) is a certain deadlock;
 *     spin_lock() panics with "spinlock recursion" instead of spinning
 *     forever or returning with the lock shared. The check costs one
 *     per-CPU read and one store per acquisition; the comparison runs
 *     only when the lock is found taken.
 *   - sleeping while holding one: the lock keeps preemption disabled,
 *     and schedule()/might_sleep() panic in atomic context
 *     ("sleeping function called from invalid context", sched/core.c).
 * With KEEL_DEBUG (make DEBUG=1, the default) each CPU also counts the
 * locks it holds (struct cpu.locks_held), and unlocking a lock that is
 * not held, or held by another CPU, is reported (a WARN plus a counter,
 * spin_debug_counts()); a lock that is not held is not "released".
 *
 * lockdep_assert_held(l) (keel/lockdep.h) checks a "caller holds l"
 * rule against the owner mark (WARN with DEBUG=1, nothing with DEBUG=0).
 *
 * local_interrupt_disable()/local_interrupt_enable() nest by count: the
 * first disable saves the interrupt flag, the last enable restores it,
 * whatever order the pairs end in (the Rust lock_irqsave() guards use
 * them, since safe code may drop two guards in any order).
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
#ifndef KEEL_LOCKDEP
#define KEEL_LOCKDEP 0
#endif

/*
 * With KEEL_LOCKDEP (make LOCKDEP=1) every acquisition and release is
 * reported to the lock validator (kernel/lockdep.c, keel/lockdep.h),
 * which needs the lock's class: the key spin_lock_init() stores (one per
 * call site), or, for a lock that was never initialised (all-zero, e.g.
 * DEFINE_SPINLOCK or a zeroed object), the lock's own address.
 */
struct lock_class_key {
	char unused; /* only its address matters */
};

/* A lock the validator saw taken (kernel/lockdep.c). */
struct ld_held {
	const void *lock;
	u16 class;
	u8 ctx; /* 0 task, 1 softirq, 2 hard IRQ */
	bool trylock;
};

typedef struct {
	volatile u32 locked;
	u32 owner; /* holder's CPU + 1, 0 when free (every build) */
#if KEEL_LOCKDEP
	const struct lock_class_key *key; /* NULL: keyed by address */
#endif
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

/* kernel/lockdep.c: the validator's hooks (see keel/lockdep.h). */
void lock_acquire(const void *lock, const struct lock_class_key *key,
		  bool trylock);
void lock_release(const void *lock);

static inline void __spin_lock_init(spinlock_t *l,
				    const struct lock_class_key *key)
{
	l->locked = 0;
	l->owner = 0;
#if KEEL_LOCKDEP
	l->key = key;
#endif
}

/* One lock class per call site (Linux's rule), for LOCKDEP=1. */
#define spin_lock_init(l)                             \
	do {                                          \
		static struct lock_class_key __key;   \
		__spin_lock_init((l), &__key);        \
	} while (0)

static inline const struct lock_class_key *spin_lock_key(spinlock_t *l)
{
#if KEEL_LOCKDEP
	return l->key;
#else
	return NULL;
#endif
}

/* kernel/spinlock.c: the recursion report (panics), the debug checks. */
__noreturn void spin_lock_recursion(spinlock_t *l);
bool spin_debug_release(spinlock_t *l);

struct spin_debug_counts {
	unsigned long recursion;  /* lock taken twice on one CPU (panics) */
	unsigned long bad_unlock; /* not held, or held elsewhere */
};
void spin_debug_counts(struct spin_debug_counts *out);

static inline bool arch_spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

/* This CPU's mark in spinlock_t.owner. */
static inline u32 spin_owner_mark(void)
{
	return smp_processor_id() + 1;
}

static inline void __spin_acquired(spinlock_t *l, u32 me)
{
	__atomic_store_n(&l->owner, me, __ATOMIC_RELAXED);
	if (KEEL_DEBUG)
		this_cpu_add_32(locks_held, 1);
}

static inline bool spin_trylock(spinlock_t *l)
{
	preempt_disable();
	if (!arch_spin_trylock(l)) {
		preempt_enable();
		return false;
	}
	__spin_acquired(l, spin_owner_mark());
	if (KEEL_LOCKDEP)
		lock_acquire(l, spin_lock_key(l), true);
	return true;
}

/*
 * Only this CPU writes its own mark, and it clears the mark before it
 * releases, so reading our mark means this CPU (this context or one it
 * interrupted: holders are never preempted) holds the lock.
 */
static inline void spin_lock(spinlock_t *l)
{
	u32 me;

	preempt_disable();
	if (KEEL_LOCKDEP) /* before it can deadlock: the order is news */
		lock_acquire(l, spin_lock_key(l), false);
	me = spin_owner_mark();
	while (!arch_spin_trylock(l)) {
		if (unlikely(__atomic_load_n(&l->owner, __ATOMIC_RELAXED) ==
			     me))
			spin_lock_recursion(l);
		while (READ_ONCE(l->locked))
			cpu_relax();
	}
	__spin_acquired(l, me);
}

/* Release without the preemption count (the caller handles it). */
static inline void __spin_release(spinlock_t *l)
{
	if (KEEL_DEBUG && !spin_debug_release(l))
		return;
	if (KEEL_LOCKDEP)
		lock_release(l);
	__atomic_store_n(&l->owner, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
}

static inline void spin_unlock(spinlock_t *l)
{
	__spin_release(l);
	preempt_enable();
}

static inline bool spin_is_locked(spinlock_t *l)
{
	return __atomic_load_n(&l->locked, __ATOMIC_RELAXED);
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

/* Disable interrupts, counting: nests in any order (see the top). */
static inline void local_interrupt_disable(void)
{
	unsigned long flags = local_irq_save();

	if (this_cpu_read(irq_disable_depth) == 0)
		this_cpu_write(irq_disable_flags, flags);
	this_cpu_add_32(irq_disable_depth, 1);
}

/* Undo one local_interrupt_disable(); the last one restores the flag. */
static inline void local_interrupt_enable(void)
{
	this_cpu_add_32(irq_disable_depth, -1);
	if (this_cpu_read(irq_disable_depth) == 0)
		local_irq_restore(this_cpu_read(irq_disable_flags));
}

/* spin_lock() with local_interrupt_disable() first. */
static inline void spin_lock_irq_nested(spinlock_t *l)
{
	local_interrupt_disable();
	spin_lock(l);
}

static inline void spin_unlock_irq_nested(spinlock_t *l)
{
	__spin_release(l);
	preempt_enable_no_resched();
	local_interrupt_enable();
	if (unlikely(this_cpu_read(need_resched)))
		preempt_check_resched();
}

#endif
