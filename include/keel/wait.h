/* SPDX-License-Identifier: MIT */
/*
 * keel/wait.h - wait queues: sleep until a condition holds.
 *
 *	wait_event(wq, READ_ONCE(c->ready));	  sleeper
 *	WRITE_ONCE(c->ready, true); wake_up(&wq);  waker
 *
 * A sleeper queues itself and marks itself TASK_BLOCKED *before*
 * testing the condition, and the waker changes the condition *before*
 * waking, so a wake-up between the test and the sleep is never lost
 * (the waker finds the sleeper queued and makes it runnable again).
 * Conditions are re-tested after every wake-up: spurious wake-ups are
 * harmless.
 *
 * An all-zero wait_queue_head is valid and empty, and an empty one
 * holds no pointer to itself (the list is cleared when it drains), so
 * an idle queue may be moved or copied: Rust statics and moves rely
 * on it. The head's lock is taken with interrupts off, so wake_up()
 * works from interrupt handlers. Lock order: wq lock -> task pi_lock ->
 * runqueue lock.
 */
#ifndef _KEEL_WAIT_H
#define _KEEL_WAIT_H

#include <keel/errno.h>
#include <keel/list.h>
#include <keel/percpu.h>
#include <keel/signal.h>
#include <keel/spinlock.h>
#include <keel/timer.h>

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head; /* {NULL, NULL} while empty */
};

struct wait_queue_entry {
	struct list_head node;
	struct task *task;
};

#define DECLARE_WAIT_QUEUE_HEAD(name) struct wait_queue_head name = {}

#define DEFINE_WAIT(name)                                                   \
	struct wait_queue_entry name = { .node = LIST_HEAD_INIT(name.node), \
					 .task = current }

static inline void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	wq->head.next = wq->head.prev = NULL;
}

/* Racy "is anyone waiting": only as a hint, or under wq->lock. */
static inline bool waitqueue_active(struct wait_queue_head *wq)
{
	return READ_ONCE(wq->head.next) != NULL;
}

/* Queue w (if not yet) and set the task's state; then test, sleep. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w,
		     int state);
/* Back to TASK_RUNNING and off the queue. */
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Wake every waiter / at most nr of them (oldest first). */
void wake_up(struct wait_queue_head *wq);
void wake_up_nr(struct wait_queue_head *wq, unsigned int nr);

/*
 * List helpers for users that keep their own waiters under wq->lock:
 * each asserts that the caller holds it (keel/lockdep.h).
 */
void __add_wait_queue_tail(struct wait_queue_head *wq,
			   struct wait_queue_entry *w);
void __remove_wait_queue(struct wait_queue_head *wq,
			 struct wait_queue_entry *w);
/* Oldest waiter, or NULL. */
struct wait_queue_entry *__wait_queue_first(struct wait_queue_head *wq);

/* From keel/sched.h, for the macros (schedule_timeout: keel/timer.h). */
void schedule(void);
void might_sleep(void);

/* Sleep until cond is true. Process context only. */
#define wait_event(wq, cond)                                         \
	do {                                                         \
		might_sleep();                                       \
		if (cond)                                            \
			break;                                       \
		DEFINE_WAIT(__w);                                    \
		for (;;) {                                           \
			prepare_to_wait(&(wq), &__w, 1 /*BLOCKED*/); \
			if (cond)                                    \
				break;                               \
			schedule();                                  \
		}                                                    \
		finish_wait(&(wq), &__w);                            \
	} while (0)

/*
 * Sleep until cond is true or timeout jiffies passed. Returns 0 if the
 * time ran out with cond still false, else the jiffies left (at least
 * 1). Process context only.
 */
#define wait_event_timeout(wq, cond, timeout)                    \
	({                                                       \
		long __ret = (timeout);                          \
		might_sleep();                                   \
		if (cond) {                                      \
			if (!__ret)                              \
				__ret = 1;                       \
		} else {                                         \
			DEFINE_WAIT(__w);                        \
			for (;;) {                               \
				prepare_to_wait(&(wq), &__w, 1); \
				if (cond) {                      \
					if (!__ret)              \
						__ret = 1;       \
					break;                   \
				}                                \
				if (!__ret)                      \
					break;                   \
				__ret = schedule_timeout(__ret); \
			}                                        \
			finish_wait(&(wq), &__w);                \
		}                                                \
		__ret;                                           \
	})

/*
 * Sleep until cond is true or a signal is pending. Returns 0 (cond is
 * true) or -ERESTARTSYS (a signal came first: the system call returns
 * it and the signal code makes it -EINTR or a restart). The task sleeps
 * TASK_INTERRUPTIBLE (4): a signal sent to it wakes it. Process
 * context only.
 */
#define wait_event_interruptible(wq, cond)                       \
	({                                                       \
		int __ret = 0;                                   \
		might_sleep();                                   \
		if (!(cond)) {                                   \
			DEFINE_WAIT(__w);                        \
			for (;;) {                               \
				prepare_to_wait(&(wq), &__w, 4); \
				if (cond)                        \
					break;                   \
				if (signal_pending(current)) {   \
					__ret = -ERESTARTSYS;    \
					break;                   \
				}                                \
				schedule();                      \
			}                                        \
			finish_wait(&(wq), &__w);                \
		}                                                \
		__ret;                                           \
	})

#endif
