/* SPDX-License-Identifier: MIT */
/*
 * keel/preempt.h - disabling preemption.
 *
 * The scheduler takes the CPU away from a task at the next preemption
 * point after need_resched was set: the return from an interrupt that
 * arrived with interrupts enabled, or preempt_enable() dropping the
 * count to zero. While this CPU's preempt_count is above zero the
 * running task stays (it may still be interrupted). Spinlocks hold it
 * for their critical section, so a lock holder is never preempted and
 * must never sleep (schedule() reports that, see kernel/sched/core.c).
 *
 * The count is per CPU: a task can only switch away at a count of zero
 * (plus schedule()'s own), so it always finds the count it left.
 */
#ifndef _KEEL_PREEMPT_H
#define _KEEL_PREEMPT_H

#include <keel/percpu.h>

static inline int preempt_count(void)
{
	return this_cpu_read(preempt_count);
}

static inline void preempt_disable(void)
{
	this_cpu_add_32(preempt_count, 1);
}

/* Re-enable without checking need_resched (the caller will). */
static inline void preempt_enable_no_resched(void)
{
	this_cpu_add_32(preempt_count, -1);
}

/* Run schedule() if a reschedule is pending and we may (core.c). */
void preempt_check_resched(void);

static inline void preempt_enable(void)
{
	preempt_enable_no_resched();
	if (unlikely(this_cpu_read(need_resched)))
		preempt_check_resched();
}

/* True where sleeping is forbidden: preemption off or in an IRQ. */
static inline bool in_atomic(void)
{
	return preempt_count() != 0 || this_cpu_read(irq_depth) != 0;
}

#endif
