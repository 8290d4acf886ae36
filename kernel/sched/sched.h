/* SPDX-License-Identifier: MIT */
/*
 * kernel/sched/sched.h - what the files of kernel/sched/ share.
 *
 *   core.c    runqueues, wake-ups, schedule(), the tick, affinity, nice
 *   policy.c  the one place that calls a policy: validation, counters,
 *             the watchdog and live policy switches
 *   watchdog.c ejecting a starving, erring or panicking policy
 *             (watchdog.h: the guard around every callback)
 *   fair.c    the weighted-fair reference policy
 *   task.c    task allocation, the task list, pids, reaping
 *   show.c    "ps" and "cpus"
 *
 * Lock order: tasklist_lock -> task pi_lock -> rq locks (lower CPU
 * first) -> timer, wait-queue and allocator locks; printk's lock last.
 */
#ifndef _KERNEL_SCHED_SCHED_H
#define _KERNEL_SCHED_SCHED_H

#include <keel/sched.h>

extern struct rq runqueues[NR_CPUS];
extern spinlock_t tasklist_lock;
extern struct list_head task_list;

static inline struct rq *cpu_rq(unsigned int cpu)
{
	return &runqueues[cpu];
}

/* This CPU's runqueue; call with preemption or interrupts off. */
static inline struct rq *this_rq(void)
{
	return cpu_rq(smp_processor_id());
}

/* core.c */
void core_enqueue(struct rq *rq, struct task *p);
void core_dequeue(struct rq *rq, struct task *p);
void resched_curr(struct rq *rq);
void update_curr(struct rq *rq);
/* Mark the dying current task DEAD and switch away for good. */
void do_task_dead(void) __noreturn;
/* Task start (arch switch code calls it on a new task's first run). */
void schedule_tail(struct task *prev);

/* policy.c: every call into the active policy goes through these. */
bool task_queued_on(const struct rq *rq, const struct task *p);
int policy_task_new(struct task *p);
void policy_task_dead(struct task *p);
bool policy_task_wakeup(struct rq *rq, struct task *p, unsigned int flags);
void policy_task_blocked(struct rq *rq, struct task *p);
void policy_task_preempt(struct rq *rq, struct task *p);
void policy_task_yield(struct rq *rq, struct task *p);
void policy_task_dequeue(struct rq *rq, struct task *p);
bool policy_task_tick(struct rq *rq, struct task *p);
struct task *policy_pick_next(struct rq *rq);
unsigned int policy_select_cpu(struct task *p, unsigned int prev_cpu,
			       unsigned int flags);
bool policy_can_balance(void);
struct task *policy_balance(struct rq *dst, struct rq *src);
/* The tick's watchdog: true if it made rq run a starving task. */
bool policy_watchdog(struct rq *rq);
void policy_init(void);
/* A registered policy other than not (record.c), or NULL. */
const struct sched_policy_ops *
sched_policy_other(const struct sched_policy_ops * not );

/* task.c */
struct task *task_create(const char *name, int (*fn)(void *), void *data,
			 unsigned int flags);
/* Drop the dead task's own reference after its last switch away. */
void put_task_dead(struct task *p);
void task_init_boot(void);
/* Free the parked tasks whose TaskToken is gone. Process context. */
void task_free_parked(void);
void reaper_start(void);

/* arch: struct task *__switch_to(prev, next) and the first-run stub. */
struct task *__switch_to(struct task *prev, struct task *next);
void ret_from_kthread(void);
/* kthread.c: a new task's body (fn, then exit). */
void kthread_entry(void) __noreturn;

#endif
