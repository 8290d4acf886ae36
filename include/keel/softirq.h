/* SPDX-License-Identifier: MIT */
/*
 * keel/softirq.h - deferred work that runs right after hard interrupts.
 *
 * A hard-IRQ handler does the least it can (acknowledge the device,
 * schedule a poll) and raises a softirq; the softirq runs when the
 * outermost interrupt handler returns (irq_exit()), with interrupts
 * enabled, before the interrupted code resumes. Network receive
 * processing (NAPI polls) and tasklets run there. A softirq never
 * interrupts another softirq, nor code inside local_bh_disable().
 *
 * Locking rule: data shared between process context and a softirq is
 * taken in process context with spin_lock_irqsave() (or inside
 * local_bh_disable()), or the softirq can spin on a lock held by the
 * very code it interrupted.
 *
 * The state is global, not per CPU (kernel/softirq.c says why): any
 * CPU may serve softirqs, but only one at a time, and none while any
 * CPU is inside local_bh_disable().
 */
#ifndef _KEEL_SOFTIRQ_H
#define _KEEL_SOFTIRQ_H

#include <keel/compiler.h>

enum {
	TASKLET_SOFTIRQ,
	NET_RX_SOFTIRQ,
	NR_SOFTIRQS,
};

/* Set the action of softirq nr (once, at init). */
void open_softirq(unsigned int nr, void (*action)(void));
/* Mark nr pending; it runs at the next irq_exit()/local_bh_enable(). */
void raise_softirq(unsigned int nr);
/* Called by irq_dispatch() when the outermost handler is done. */
void irq_exit(void);

/* Keep softirqs from running on this CPU (nests). */
void local_bh_disable(void);
/* Undo one local_bh_disable(); runs pending softirqs at the outermost. */
void local_bh_enable(void);
/* True inside a softirq or a local_bh_disable() section. */
bool in_softirq(void);
/* True while a softirq action runs. */
bool in_serving_softirq(void);

/* Times each softirq ran (for tests and "netstat"). */
unsigned long softirq_count(unsigned int nr);

/*
 * A tasklet: a function run once in softirq context after each
 * tasklet_schedule(); scheduling an already-scheduled tasklet does
 * nothing. Callable from any context.
 */
struct tasklet {
	struct tasklet *next;
	void (*func)(struct tasklet *t);
	bool scheduled;
};

#define TASKLET_INIT(fn)                                     \
	{                                                    \
		.next = NULL, .func = fn, .scheduled = false \
	}

void tasklet_schedule(struct tasklet *t);
/*
 * Unschedule t: on return it is neither pending nor running on another
 * CPU (bottom halves are global, so none runs while this holds them
 * off), and it runs again only if scheduled again.
 */
void tasklet_kill(struct tasklet *t);

#endif
