/* SPDX-License-Identifier: MIT */
/*
 * keel/time.h - monotonic time and delays.
 *
 * ktime_get_ns() counts nanoseconds since boot from the TSC once
 * time_init() has calibrated it (0 before); it never goes backwards.
 * jiffies counts periods of 1/HZ s (make HZ=...; default 100) of that
 * clock, advanced by the tick: a late tick catches up, early ones do not
 * run ahead, so n jiffies never take less than n/HZ s by ktime.
 */
#ifndef _KEEL_TIME_H
#define _KEEL_TIME_H

#include <keel/types.h>

#ifndef HZ
#define HZ 100
#endif

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC  1000000000ULL
#define TICK_NSEC     (NSEC_PER_SEC / HZ)

extern volatile u64 jiffies;

u64 ktime_get_ns(void);
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);
u64 tsc_khz_get(void);

/* Calibrate the clock and start the HZ tick. Requires: irq_init(). */
void time_init(void);
/* Print uptime, clock rate, HZ, jiffies and the tick source (monitor). */
void time_show(void);

/*
 * The per-tick work, in hard-IRQ context on the ticking CPU after jiffies
 * moved: timers and the scheduler's tick. Called by tick_periodic().
 */
void timer_tick(void);
/* Called by the arch timer interrupt once per tick: jiffies, hooks. */
void tick_periodic(void);
/*
 * CPU 0's part of the tick: advance jiffies by the periods the clock
 * moved since the last jiffy. Interrupts off; for tick_periodic() and
 * the tests (however often it is called, jiffies follow the clock).
 */
void tick_update_jiffies(void);

/*
 * Cycle -> nanosecond conversion of ktime_get_ns(), exposed for tests:
 * ns = cycles * mult >> CLOCK_SHIFT, computed in 128 bits, so it neither
 * overflows nor loses precision for any u64 cycle count.
 */
#define CLOCK_SHIFT 32
u64 clock_mult_for_khz(u64 khz);
u64 clock_cycles_to_ns(u64 cycles, u64 mult);

/*
 * The current task's CPU time (CLOCK_PROCESS/THREAD_CPUTIME_ID): what
 * was charged plus the running slice; never less than its last answer.
 */
u64 task_cpu_time_now(void);

#endif
