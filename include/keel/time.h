/* SPDX-License-Identifier: MIT */
/*
 * keel/time.h - monotonic time and delays.
 *
 * ktime_get_ns() counts nanoseconds since boot from the TSC once
 * time_init() has calibrated it (0 before). jiffies counts timer ticks
 * at HZ.
 */
#ifndef _KEEL_TIME_H
#define _KEEL_TIME_H

#include <keel/types.h>

#ifndef HZ
#define HZ 100
#endif

#define NSEC_PER_USEC	1000ULL
#define NSEC_PER_MSEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

extern volatile u64 jiffies;

u64 ktime_get_ns(void);
void udelay(unsigned long usecs);
void mdelay(unsigned long msecs);
u64 tsc_khz_get(void);

#endif
