/* SPDX-License-Identifier: MIT */
/*
 * keel/timer.h - jiffy timers, timed sleeps and msleep().
 *
 * A timer runs its function in hard-IRQ context on the CPU that armed
 * it, at the first tick of that CPU at or after jiffy `expires`. The
 * resolution is one tick (1/HZ s). Timers are kept per CPU, so arming
 * one takes only that CPU's lock; del_timer_sync() also waits for a
 * function that is running on another CPU.
 *
 * schedule_timeout() sleeps (in the state the caller set) for at most
 * timeout jiffies; msleep() sleeps at least ms milliseconds.
 */
#ifndef _KEEL_TIMER_H
#define _KEEL_TIMER_H

#include <keel/list.h>
#include <keel/time.h>

struct timer_list {
	struct list_head entry; /* on its CPU's list while pending */
	u64 expires;		/* jiffies */
	void (*function)(struct timer_list *t);
	unsigned int cpu; /* whose list it is on */
};

#define MAX_SCHEDULE_TIMEOUT LONG_MAX

/* jiffies a after b (wrap-safe). */
static inline bool time_after_eq64(u64 a, u64 b)
{
	return (s64)(a - b) >= 0;
}

unsigned long msecs_to_jiffies(unsigned int ms);

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t));
/* Arm t on this CPU (re-arm if pending). Returns 1 if it was pending. */
int mod_timer(struct timer_list *t, u64 expires);
/* Disarm; returns 1 if it was pending. Does not wait for a running fn. */
int del_timer(struct timer_list *t);
/* Disarm and wait until t's function runs nowhere. Not from t's fn. */
int del_timer_sync(struct timer_list *t);
bool timer_pending(const struct timer_list *t);
/* The tick: run this CPU's expired timers (hard IRQ, kernel/time.c). */
void run_local_timers(void);

/*
 * Sleep at most timeout jiffies in the state set before (a wake-up
 * ends it early; MAX_SCHEDULE_TIMEOUT: no limit). Returns the jiffies
 * left, 0 if the time ran out.
 */
/* NOLINTNEXTLINE(readability-redundant-declaration): also in wait.h */
long schedule_timeout(long timeout);
/* Same, setting TASK_BLOCKED first. */
long schedule_timeout_uninterruptible(long timeout);
/* Same, TASK_INTERRUPTIBLE: a signal wakes it early (check for it). */
long schedule_timeout_interruptible(long timeout);
/* Sleep at least ms milliseconds. Process context. */
void msleep(unsigned int ms);

#endif
