/* SPDX-License-Identifier: MIT */
/*
 * keel/lockdep.h - lock rules as checks.
 *
 * A function whose contract is "the caller holds L" says so in code:
 *
 *	static void add_free_block(struct zone *z, ...)
 *	{
 *		lockdep_assert_held(&zone_lock);
 *
 * L is a spinlock_t * or a struct mutex *. Held means:
 *   - spinlock: this CPU holds it (spinlock_t.owner carries the
 *     holder's CPU in every build; a holder is never preempted, so this
 *     CPU is the caller or a context the caller interrupted);
 *   - mutex: the current task owns it (mutex_owner() == current).
 *
 * With KEEL_DEBUG (make DEBUG=1, the default) a violated rule is
 * reported as a WARN (file, line and the lock expression) and counted
 * (lockdep_assert_failures()); the caller goes on, as with Linux's
 * lockdep_assert_held(). It is a WARN, not a panic, everywhere: the
 * assertion documents a rule, it does not enforce one, and the code
 * after it behaves as it did before the check existed. With DEBUG=0 the
 * check compiles to nothing (the expression is not evaluated).
 */
#ifndef _KEEL_LOCKDEP_H
#define _KEEL_LOCKDEP_H

#include <keel/compiler.h>
#include <keel/spinlock.h>

struct mutex;

/* True if this CPU holds l (see above). */
static inline bool spin_is_held(const spinlock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) ==
	       spin_owner_mark();
}

/* True if the current task owns m (kernel/mutex.c). */
bool mutex_is_held(const struct mutex *m);

#define lock_is_held(l)                                   \
	_Generic((l),                                     \
		spinlock_t *: spin_is_held,               \
		const spinlock_t *: spin_is_held,         \
		struct mutex *: mutex_is_held,            \
		const struct mutex *: mutex_is_held)(l)

/* kernel/lockdep.c: WARN about a violated lock rule and count it. */
void lockdep_assert_failed(const char *file, int line, const char *lock);
/* Violated assertions since boot (for tests). */
unsigned long lockdep_assert_failures(void);

/*
 * The lock validator (make LOCKDEP=1; kernel/lockdep.c says what it
 * checks). spin_lock()/spin_unlock() and the mutex functions call these
 * hooks; they compile to nothing otherwise.
 */
void mutex_acquire(const struct mutex *m, const char *name, bool trylock);
void mutex_release(const struct mutex *m);
/* Memory [start, start + len) is freed: forget lock classes keyed in it. */
void lockdep_free_range(const void *start, size_t len);
/*
 * This CPU and the current task hold no lock any more, whatever the
 * validator saw taken: for the ktest runner, after a case that panicked
 * on purpose was abandoned with locks held (their frames are gone).
 */
void lockdep_forget_held(void);
/* Reports (order cycles, inconsistent IRQ use, held lock freed) so far. */
unsigned long lockdep_reports(void);
/* The title of the latest report ("possible circular ..."), or NULL. */
const char *lockdep_last_report(void);

#define lockdep_assert_held(l)                                         \
	do {                                                           \
		if (KEEL_DEBUG && unlikely(!lock_is_held(l)))          \
			lockdep_assert_failed(__FILE__, __LINE__, #l); \
	} while (0)

#endif
