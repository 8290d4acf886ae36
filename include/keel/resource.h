/* SPDX-License-Identifier: MIT */
/*
 * keel/resource.h - resource limits and usage (Linux's
 * uapi/asm-generic/resource.h numbers and x86_64 layouts;
 * kernel/sys.c).
 *
 * Each process has RLIM_NLIMITS limits, inherited at fork and kept
 * across exec. Enforced: RLIMIT_NOFILE (the fd table, fs/file.c).
 * RLIMIT_STACK is reported (exec maps STACK_SIZE, the default); the
 * others are stored and reported only (TODO: enforce RLIMIT_AS,
 * RLIMIT_DATA, RLIMIT_FSIZE, RLIMIT_NPROC).
 */
#ifndef _KEEL_RESOURCE_H
#define _KEEL_RESOURCE_H

#include <keel/types.h>

#define RLIMIT_CPU	  0
#define RLIMIT_FSIZE	  1
#define RLIMIT_DATA	  2
#define RLIMIT_STACK	  3
#define RLIMIT_CORE	  4
#define RLIMIT_RSS	  5
#define RLIMIT_NPROC	  6
#define RLIMIT_NOFILE	  7
#define RLIMIT_MEMLOCK	  8
#define RLIMIT_AS	  9
#define RLIMIT_LOCKS	  10
#define RLIMIT_SIGPENDING 11
#define RLIMIT_MSGQUEUE	  12
#define RLIMIT_NICE	  13
#define RLIMIT_RTPRIO	  14
#define RLIMIT_RTTIME	  15
#define RLIM_NLIMITS	  16

#define RLIM_INFINITY (~0UL)

struct rlimit {
	unsigned long rlim_cur;
	unsigned long rlim_max;
};

struct rlimit64 {
	u64 rlim_cur;
	u64 rlim_max;
};

#define RUSAGE_SELF	0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD	1

struct task;

/* p's limits as a new process gets them (Linux's INIT_RLIMITS). */
void rlimits_init(struct rlimit *rlim);
/* current's soft limit resource. */
unsigned long rlimit(unsigned int resource);

#endif
