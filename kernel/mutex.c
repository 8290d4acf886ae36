// SPDX-License-Identifier: MIT
/*
 * mutex.c - mutexes (keel/mutex.h). The owner is the current execution
 * context; before kernel threads exist that is the boot CPU's one
 * context, identified by its stack. Contention is therefore impossible
 * today; the spin in mutex_lock() is where a wait queue goes.
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/mutex.h>

/* The current context: its stack page (there is one per context). */
static const void *current_context(void)
{
	return (const void *)((unsigned long)__builtin_frame_address(0) &
			      ~0x3fffUL);
}

void mutex_init(struct mutex *m, const char *name)
{
	m->locked = 0;
	m->owner = NULL;
	m->name = name;
}

bool mutex_trylock(struct mutex *m)
{
	WARN_ON_ONCE(in_irq());
	if (__atomic_exchange_n(&m->locked, 1, __ATOMIC_ACQUIRE))
		return false;
	m->owner = current_context();
	return true;
}

void mutex_lock(struct mutex *m)
{
	if (WARN_ONCE(READ_ONCE(m->locked) && m->owner == current_context(),
		      "mutex_lock: recursive locking (deadlock)"))
		return;
	while (!mutex_trylock(m))
		cpu_relax();
}

void mutex_unlock(struct mutex *m)
{
	if (WARN_ONCE(!m->locked || m->owner != current_context(),
		      "mutex_unlock: not locked by this context"))
		return;
	m->owner = NULL;
	__atomic_store_n(&m->locked, 0, __ATOMIC_RELEASE);
}

bool mutex_is_locked(const struct mutex *m)
{
	return READ_ONCE(m->locked);
}
