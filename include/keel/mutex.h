/* SPDX-License-Identifier: MIT */
/*
 * keel/mutex.h - sleeping locks for process context.
 *
 * The contract is Linux's: one owner at a time, only the owner unlocks,
 * no use from interrupt context, no recursion. Until keel has a scheduler
 * there is nothing to sleep on, so a contended mutex_lock() waits by
 * spinning; the kernel-threads work replaces that wait with a wait queue
 * without changing this interface. Recursion and unlocking by a
 * non-owner are caught (WARN) on every build.
 */
#ifndef _KEEL_MUTEX_H
#define _KEEL_MUTEX_H

#include <keel/compiler.h>

struct mutex {
	int locked;
	const void *owner; /* lock holder's context, for checks */
	const char *name;
};

#define MUTEX_INIT(n)                                  \
	{                                              \
		.locked = 0, .owner = NULL, .name = #n \
	}
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

void mutex_init(struct mutex *m, const char *name);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(const struct mutex *m);

#endif
