/* SPDX-License-Identifier: MIT */
/*
 * keel/mutex.h - sleeping locks for process context.
 *
 * The contract is Linux's: one owner at a time, only the owner unlocks,
 * no use from interrupt context, no recursion. A task that finds the
 * mutex taken sleeps on its wait queue; mutex_unlock() hands the mutex
 * straight to the oldest waiter (FIFO, so no waiter starves) and wakes
 * it. The uncontended paths are one compare-and-swap each.
 *
 * On every build a mutex is never handed out twice: recursion (locking
 * a mutex the current task owns) panics with "recursive locking",
 * mutex_lock/trylock/unlock from interrupt context panic ("from
 * interrupt context"), and mutex_lock() in atomic context panics in
 * might_sleep() ("sleeping function called from invalid context").
 * Unlocking by a non-owner is refused with a WARN; the mutex stays held.
 *
 * lockdep_assert_held(m) (keel/lockdep.h) checks that the current task
 * owns m (WARN with DEBUG=1, nothing with DEBUG=0).
 *
 * An all-zero struct mutex is a valid unlocked mutex, and an unlocked
 * one may be moved (Rust statics and moves rely on it).
 */
#ifndef _KEEL_MUTEX_H
#define _KEEL_MUTEX_H

#include <keel/compiler.h>
#include <keel/wait.h>

struct mutex {
	unsigned long owner; /* struct task * | MUTEX_FLAG_WAITERS, 0: free */
	struct wait_queue_head wait;
	const char *name;
};

#define MUTEX_FLAG_WAITERS 1UL

#define MUTEX_INIT(n)      \
	{                  \
		.name = #n \
	}
#define DEFINE_MUTEX(n) struct mutex n = MUTEX_INIT(n)

void mutex_init(struct mutex *m, const char *name);
/* Take m, sleeping while another task holds it. Process context. */
void mutex_lock(struct mutex *m);
/* Take m if it is free; never sleeps. */
bool mutex_trylock(struct mutex *m);
void mutex_unlock(struct mutex *m);
bool mutex_is_locked(const struct mutex *m);
/* The holder, or NULL (racy unless you are it). */
struct task *mutex_owner(const struct mutex *m);

#endif
