/* SPDX-License-Identifier: MIT */
/*
 * keel/spinlock.h - busy-waiting locks.
 *
 * A test-and-test-and-set lock: enough for the boot CPU and correct on
 * SMP. The _irqsave variants also disable local interrupts, which is
 * required for any lock an interrupt handler takes.
 */
#ifndef _KEEL_SPINLOCK_H
#define _KEEL_SPINLOCK_H

#include <asm/cpu.h>
#include <keel/compiler.h>

typedef struct {
	volatile u32 locked;
} spinlock_t;

#define SPINLOCK_INIT \
	{             \
		0     \
	}
#define DEFINE_SPINLOCK(name) spinlock_t name = SPINLOCK_INIT

static inline void spin_lock_init(spinlock_t *l)
{
	l->locked = 0;
}

static inline bool spin_trylock(spinlock_t *l)
{
	return !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE);
}

static inline void spin_lock(spinlock_t *l)
{
	while (!spin_trylock(l))
		while (READ_ONCE(l->locked))
			cpu_relax();
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
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
	spin_unlock(l);
	local_irq_restore(flags);
}

#endif
