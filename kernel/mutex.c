// SPDX-License-Identifier: MIT
/*
 * mutex.c - sleeping mutexes (keel/mutex.h).
 *
 * m->owner holds the owning task, with bit 0 (MUTEX_FLAG_WAITERS) set
 * while tasks wait. Lock and unlock without waiters are one cmpxchg.
 * A contended locker takes the wait-queue lock, sets the flag, queues
 * itself and sleeps until it finds itself the owner. The unlocker sees
 * the flag (its cmpxchg fails), takes the wait-queue lock, makes the
 * oldest waiter the owner (keeping the flag if more wait) and wakes it:
 * ownership is handed off, so nobody can barge in between and a waiter
 * is served in arrival order.
 *
 * Misuse that would hand out the mutex twice is a panic on every build:
 * locking a mutex the current task owns (a certain deadlock), and any
 * locking from interrupt context (the handler would run as the task it
 * interrupted and could take, or find "owned", that task's mutex).
 * mutex_lock() is also a sleeping call: might_sleep() panics in atomic
 * context. An unlock by a task that is not the owner is refused (WARN)
 * and leaves the mutex held.
 */
#include <keel/atomic.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/sched.h>

void mutex_init(struct mutex *m, const char *name)
{
	m->owner = 0;
	init_waitqueue_head(&m->wait);
	m->name = name;
}

struct task *mutex_owner(const struct mutex *m)
{
	return (struct task *)(READ_ONCE(m->owner) & ~MUTEX_FLAG_WAITERS);
}

bool mutex_is_held(const struct mutex *m)
{
	return mutex_owner(m) == current;
}

static void refuse_irq(const struct mutex *m, const char *what)
{
	if (unlikely(in_irq()))
		panic("%s of mutex %s from interrupt context", what,
		      m->name ? m->name : "(unnamed)");
}

bool mutex_trylock(struct mutex *m)
{
	unsigned long me = (unsigned long)current;

	refuse_irq(m, "mutex_trylock");
	if (cmpxchg(&m->owner, 0UL, me) != 0)
		return false;
	if (KEEL_LOCKDEP)
		mutex_acquire(m, m->name, true);
	return true;
}

/*
 * Take m or announce a waiter: returns true if we got it.
 */
static bool lock_or_flag(struct mutex *m, unsigned long me)
{
	unsigned long old = READ_ONCE(m->owner);

	lockdep_assert_held(&m->wait.lock);
	for (;;) {
		unsigned long want = old ? old | MUTEX_FLAG_WAITERS : me;
		unsigned long seen = cmpxchg(&m->owner, old, want);

		if (seen == old)
			return !old;
		old = seen;
	}
}

static void mutex_lock_slow(struct mutex *m, unsigned long me)
{
	DEFINE_WAIT(w);
	unsigned long flags;

	spin_lock_irqsave(&m->wait.lock, flags);
	if (lock_or_flag(m, me))
		goto out_unlock;
	__add_wait_queue_tail(&m->wait, &w);
	for (;;) {
		set_current_state(TASK_BLOCKED);
		spin_unlock_irqrestore(&m->wait.lock, flags);
		schedule();
		spin_lock_irqsave(&m->wait.lock, flags);
		if ((READ_ONCE(m->owner) & ~MUTEX_FLAG_WAITERS) == me)
			break; /* handed to us; the unlocker dequeued us */
	}
	set_current_state(TASK_RUNNING);
out_unlock:
	spin_unlock_irqrestore(&m->wait.lock, flags);
}

void mutex_lock(struct mutex *m)
{
	unsigned long me = (unsigned long)current;

	refuse_irq(m, "mutex_lock");
	might_sleep();
	if (unlikely(mutex_owner(m) == current))
		panic("mutex_lock: recursive locking of mutex %s by task %d "
		      "(deadlock)",
		      m->name ? m->name : "(unnamed)", current->pid);
	if (KEEL_LOCKDEP) /* before it can deadlock: the order is news */
		mutex_acquire(m, m->name, false);
	if (cmpxchg(&m->owner, 0UL, me) == 0)
		return;
	mutex_lock_slow(m, me);
}

void mutex_unlock(struct mutex *m)
{
	unsigned long me = (unsigned long)current;
	struct wait_queue_entry *w;
	unsigned long flags;

	refuse_irq(m, "mutex_unlock");
	if (WARN_ONCE(mutex_owner(m) != current,
		      "mutex_unlock: not locked by this task"))
		return;
	if (KEEL_LOCKDEP)
		mutex_release(m);
	if (cmpxchg(&m->owner, me, 0UL) == me)
		return;
	spin_lock_irqsave(&m->wait.lock, flags);
	w = __wait_queue_first(&m->wait);
	if (!w) { /* the flag outlived its waiter: cannot happen */
		WRITE_ONCE(m->owner, 0);
		goto out_unlock;
	}
	__remove_wait_queue(&m->wait, w);
	smp_store_release(&m->owner,
			  (unsigned long)w->task |
				  (m->wait.head.next ? MUTEX_FLAG_WAITERS : 0));
	wake_up_process(w->task);
out_unlock:
	spin_unlock_irqrestore(&m->wait.lock, flags);
}

bool mutex_is_locked(const struct mutex *m)
{
	return READ_ONCE(m->owner) != 0;
}
