/* SPDX-License-Identifier: MIT */
/*
 * kernel/sched/record.h - how policy.c calls a policy: directly, or
 * through record.c while that policy is being recorded.
 *
 * Each call_*() is one compare of the policy with the recorded one (NULL
 * when not recording) and a predicted branch; the recorded path
 * (record.c) takes the record lock, snapshots the inputs, makes the same
 * call and stores its answer. policy.c keeps the defaults for NULL
 * callbacks, so a record is always the callback actually invoked.
 */
#ifndef _KERNEL_SCHED_RECORD_H
#define _KERNEL_SCHED_RECORD_H

#include <keel/compiler.h>
#include <keel/sched_record.h>

/* The policy being recorded, or NULL. */
extern const struct sched_policy_ops *record_ops;

static inline bool recording(const struct sched_policy_ops *o)
{
	return unlikely(READ_ONCE(record_ops) == o);
}

int record_init(const struct sched_policy_ops *o);
int record_task_new(const struct sched_policy_ops *o, struct task *p);
void record_task_dead(const struct sched_policy_ops *o, struct task *p);
bool record_task_wakeup(const struct sched_policy_ops *o, struct rq *rq,
			struct task *p, unsigned int flags);
void record_task_blocked(const struct sched_policy_ops *o, struct rq *rq,
			 struct task *p);
void record_task_preempt(const struct sched_policy_ops *o, struct rq *rq,
			 struct task *p);
void record_task_yield(const struct sched_policy_ops *o, struct rq *rq,
		       struct task *p);
void record_task_dequeue(const struct sched_policy_ops *o, struct rq *rq,
			 struct task *p);
bool record_task_tick(const struct sched_policy_ops *o, struct rq *rq,
		      struct task *p);
struct task *record_pick_next(const struct sched_policy_ops *o, struct rq *rq);
int record_select_cpu(const struct sched_policy_ops *o, struct task *p,
		      unsigned int prev_cpu, unsigned int flags);
struct task *record_balance(const struct sched_policy_ops *o, struct rq *dst,
			    struct rq *src);
/* A live switch is about to replace old: stop recording it. */
void record_policy_switch(const struct sched_policy_ops *old);

static inline int call_init(const struct sched_policy_ops *o)
{
	if (recording(o))
		return record_init(o);
	return o->init();
}

static inline int call_task_new(const struct sched_policy_ops *o,
				struct task *p)
{
	if (recording(o))
		return record_task_new(o, p);
	return o->task_new(p);
}

static inline void call_task_dead(const struct sched_policy_ops *o,
				  struct task *p)
{
	if (recording(o))
		record_task_dead(o, p);
	else
		o->task_dead(p);
}

static inline bool call_task_wakeup(const struct sched_policy_ops *o,
				    struct rq *rq, struct task *p,
				    unsigned int flags)
{
	if (recording(o))
		return record_task_wakeup(o, rq, p, flags);
	return o->task_wakeup(rq, p, flags);
}

static inline void call_task_blocked(const struct sched_policy_ops *o,
				     struct rq *rq, struct task *p)
{
	if (recording(o))
		record_task_blocked(o, rq, p);
	else
		o->task_blocked(rq, p);
}

static inline void call_task_preempt(const struct sched_policy_ops *o,
				     struct rq *rq, struct task *p)
{
	if (recording(o))
		record_task_preempt(o, rq, p);
	else
		o->task_preempt(rq, p);
}

static inline void call_task_yield(const struct sched_policy_ops *o,
				   struct rq *rq, struct task *p)
{
	if (recording(o))
		record_task_yield(o, rq, p);
	else
		o->task_yield(rq, p);
}

static inline void call_task_dequeue(const struct sched_policy_ops *o,
				     struct rq *rq, struct task *p)
{
	if (recording(o))
		record_task_dequeue(o, rq, p);
	else
		o->task_dequeue(rq, p);
}

static inline bool call_task_tick(const struct sched_policy_ops *o,
				  struct rq *rq, struct task *p)
{
	if (recording(o))
		return record_task_tick(o, rq, p);
	return o->task_tick(rq, p);
}

static inline struct task *call_pick_next(const struct sched_policy_ops *o,
					  struct rq *rq)
{
	if (recording(o))
		return record_pick_next(o, rq);
	return o->pick_next(rq);
}

static inline int call_select_cpu(const struct sched_policy_ops *o,
				  struct task *p, unsigned int prev_cpu,
				  unsigned int flags)
{
	if (recording(o))
		return record_select_cpu(o, p, prev_cpu, flags);
	return o->select_cpu(p, prev_cpu, flags);
}

static inline struct task *call_balance(const struct sched_policy_ops *o,
					struct rq *dst, struct rq *src)
{
	if (recording(o))
		return record_balance(o, dst, src);
	return o->balance(dst, src);
}

#endif
