/* SPDX-License-Identifier: MIT */
/*
 * kernel/sched/record.h - how policy.c calls a policy: guarded, and
 * through record.c while that policy is being recorded.
 *
 * Each CALL() is one compare of the policy with the recorded one (NULL
 * when not recording) and a predicted branch in front of the guarded
 * call (watchdog.h); the recorded path (record.c) takes the record lock,
 * snapshots the inputs, makes the same guarded call and stores the
 * answer. The guard is inside the record lock, so a callback that
 * panics unwinds only to record.c, which records it as failed and
 * releases the lock. policy.c keeps the defaults for NULL callbacks, so
 * a record is always the callback actually invoked.
 */
#ifndef _KERNEL_SCHED_RECORD_H
#define _KERNEL_SCHED_RECORD_H

#include <keel/compiler.h>
#include <keel/sched_record.h>

#include "watchdog.h"

/* The policy being recorded, or NULL. */
extern const struct sched_policy_ops *record_ops;

static inline bool recording(const struct sched_policy_ops *o)
{
	return unlikely(READ_ONCE(record_ops) == o);
}

int record_init(const struct sched_policy_ops *o);
/*
 * The recorded path of policy_call(): under the record lock, snapshot
 * the inputs of callback kind, make the guarded call (so a panic in it
 * unwinds to here, inside the lock, and is recorded as failed before
 * the lock is released) and store the answer the core gets.
 */
struct guard_ret record_call(const struct sched_policy_ops *o,
			     enum sched_rec_kind kind, void (*fn)(void),
			     unsigned long a, unsigned long b, unsigned long c,
			     unsigned long d);
/*
 * A live switch away from old has handed its tasks over (old's
 * task_export calls are the last records): stop recording it.
 */
void record_policy_switch(const struct sched_policy_ops *old);

/* Whether some CPU holds the record lock now (record_test.c). */
bool record_lock_held(void);

static inline int call_init(const struct sched_policy_ops *o)
{
	if (recording(o))
		return record_init(o);
	return o->init();
}

/*
 * The cpu->policy_tokens of a guarded callback of kind: o, except in
 * select_cpu, which runs under the task's pi_lock only and so may run
 * while a switch rewrites every p->se (watchdog.h, policy_guarded_tok).
 */
#define POLICY_TOKENS(o, kind) ((kind) == SREC_SELECT_CPU ? NULL : (o))

/* One guarded callback of o, recorded if o is being recorded. */
static __always_inline struct guard_ret
policy_call(const struct sched_policy_ops *o, enum sched_rec_kind kind,
	    void (*fn)(void), unsigned long a, unsigned long b, unsigned long c,
	    unsigned long d)
{
	if (recording(o))
		return record_call(o, kind, fn, a, b, c, d);
	return policy_guarded_tok(o, POLICY_TOKENS(o, kind), fn, a, b, c, d);
}

/* The record kind of each callback, by its name in the ops table. */
#define SREC_KIND_task_new     SREC_TASK_NEW
#define SREC_KIND_task_dead    SREC_TASK_DEAD
#define SREC_KIND_task_wakeup  SREC_TASK_WAKEUP
#define SREC_KIND_task_blocked SREC_TASK_BLOCKED
#define SREC_KIND_task_preempt SREC_TASK_PREEMPT
#define SREC_KIND_task_yield   SREC_TASK_YIELD
#define SREC_KIND_task_dequeue SREC_TASK_DEQUEUE
#define SREC_KIND_task_tick    SREC_TASK_TICK
#define SREC_KIND_pick_next    SREC_PICK_NEXT
#define SREC_KIND_select_cpu   SREC_SELECT_CPU
#define SREC_KIND_balance      SREC_BALANCE
#define SREC_KIND_task_export  SREC_TASK_EXPORT
#define SREC_KIND_task_adopt   SREC_TASK_ADOPT

/* GUARD4()/GUARD() of watchdog.h, recorded while o is recorded. */
#define CALL4(o, cb, a, b, c, d)                                \
	policy_call(o, SREC_KIND_##cb, (void (*)(void))(o)->cb, \
		    (unsigned long)(a), (unsigned long)(b),     \
		    (unsigned long)(c), (unsigned long)(d))
#define CALL(o, cb, a, b, c) CALL4(o, cb, a, b, c, 0)

#endif
