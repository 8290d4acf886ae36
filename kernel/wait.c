// SPDX-License-Identifier: MIT
/*
 * wait.c - wait queues (keel/wait.h) and completions
 * (keel/completion.h).
 *
 * A queue is a list of entries, each naming a sleeping task, under the
 * head's spinlock (taken with interrupts off: wake-ups come from IRQ
 * handlers). The list head is kept {NULL, NULL} while empty, so a
 * zeroed head is valid and an idle one holds no pointer to itself.
 *
 * A completion is a count and a wait queue: complete() adds one and
 * wakes the oldest waiter, taking it off the queue so that the next
 * complete() wakes the next one; a waiter sleeps until the count is
 * non-zero and takes one. complete_all() sets a count no waiter can use up.
 */
#include <keel/lockdep.h>
#include <keel/sched.h>
#include <keel/timer.h>
#include <keel/wait.h>

#define COMPLETION_ALL (~0U / 2)

static struct list_head *wq_list(struct wait_queue_head *wq)
{
	if (!wq->head.next)
		INIT_LIST_HEAD(&wq->head);
	return &wq->head;
}

void __add_wait_queue_tail(struct wait_queue_head *wq,
			   struct wait_queue_entry *w)
{
	lockdep_assert_held(&wq->lock);

	list_add_tail(&w->node, wq_list(wq));
}

void __remove_wait_queue(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	lockdep_assert_held(&wq->lock);

	if (list_empty(&w->node))
		return;
	list_del_init(&w->node);
	if (list_empty(&wq->head))
		wq->head.next = wq->head.prev = NULL;
}

struct wait_queue_entry *__wait_queue_first(struct wait_queue_head *wq)
{
	lockdep_assert_held(&wq->lock);

	if (!wq->head.next)
		return NULL;
	return list_first_entry(&wq->head, struct wait_queue_entry, node);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w,
		     int state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&w->node))
		__add_wait_queue_tail(wq, w);
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	if (list_empty(&w->node))
		return;
	spin_lock_irqsave(&wq->lock, flags);
	if (!list_empty(&w->node))
		__remove_wait_queue(wq, w);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up_nr(struct wait_queue_head *wq, unsigned int nr)
{
	struct wait_queue_entry *w;
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (wq->head.next) {
		list_for_each_entry(w, &wq->head, node) {
			if (!nr--)
				break;
			wake_up_process(w->task);
		}
	}
	spin_unlock_irqrestore(&wq->lock, flags);
}

void wake_up(struct wait_queue_head *wq)
{
	wake_up_nr(wq, ~0U);
}

void complete(struct completion *c)
{
	struct wait_queue_entry *w;
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	if (c->done < COMPLETION_ALL)
		c->done++;
	w = __wait_queue_first(&c->wait);
	if (w) {
		/* off the queue: the next complete() wakes the next one */
		__remove_wait_queue(&c->wait, w);
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

void complete_all(struct completion *c)
{
	struct wait_queue_entry *w;
	unsigned long flags;

	spin_lock_irqsave(&c->wait.lock, flags);
	c->done = COMPLETION_ALL;
	while ((w = __wait_queue_first(&c->wait))) {
		__remove_wait_queue(&c->wait, w);
		wake_up_process(w->task);
	}
	spin_unlock_irqrestore(&c->wait.lock, flags);
}

/* Take one completion if there is one. */
static bool take_done(struct completion *c)
{
	lockdep_assert_held(&c->wait.lock);

	if (!c->done)
		return false;
	if (c->done != COMPLETION_ALL)
		c->done--;
	return true;
}

long wait_for_completion_timeout(struct completion *c, long timeout)
{
	DEFINE_WAIT(w);
	unsigned long flags;

	might_sleep();
	spin_lock_irqsave(&c->wait.lock, flags);
	while (!take_done(c)) {
		if (!timeout)
			goto out_unlock;
		__add_wait_queue_tail(&c->wait, &w);
		set_current_state(TASK_BLOCKED);
		spin_unlock_irqrestore(&c->wait.lock, flags);
		timeout = schedule_timeout(timeout);
		spin_lock_irqsave(&c->wait.lock, flags);
		__remove_wait_queue(&c->wait, &w);
	}
	if (!timeout)
		timeout = 1;
out_unlock:
	spin_unlock_irqrestore(&c->wait.lock, flags);
	set_current_state(TASK_RUNNING);
	return timeout;
}

void wait_for_completion(struct completion *c)
{
	wait_for_completion_timeout(c, MAX_SCHEDULE_TIMEOUT);
}

bool try_wait_for_completion(struct completion *c)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&c->wait.lock, flags);
	ret = take_done(c);
	spin_unlock_irqrestore(&c->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *c)
{
	return READ_ONCE(c->done) != 0;
}
