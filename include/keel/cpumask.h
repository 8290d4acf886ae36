/* SPDX-License-Identifier: MIT */
/*
 * keel/cpumask.h - sets of CPUs as one 64-bit word (NR_CPUS <= 64).
 *
 * A cpumask_t is passed by value. cpu_online_mask is the set of CPUs
 * that run the scheduler; bits are only ever added (no CPU hotplug), so
 * a racy read is a subset of the current set.
 */
#ifndef _KEEL_CPUMASK_H
#define _KEEL_CPUMASK_H

#include <keel/percpu.h>

typedef u64 cpumask_t;

#define CPU_MASK_ALL  (~0ULL)
#define CPU_MASK_NONE 0ULL

extern cpumask_t cpu_online_mask;

/* The mask of cpu alone; empty for a CPU number a mask cannot hold. */
static inline cpumask_t cpumask_of(unsigned int cpu)
{
	return cpu < 64 ? 1ULL << cpu : 0;
}

static inline bool cpumask_test(cpumask_t m, unsigned int cpu)
{
	return cpu < NR_CPUS && (m >> cpu) & 1;
}

static inline bool cpu_online(unsigned int cpu)
{
	return cpumask_test(READ_ONCE(cpu_online_mask), cpu);
}

static inline unsigned int cpumask_weight(cpumask_t m)
{
	unsigned int n = 0;

	for (; m; m &= m - 1)
		n++;
	return n;
}

static inline unsigned int num_online_cpus(void)
{
	return cpumask_weight(READ_ONCE(cpu_online_mask));
}

/* Lowest CPU in m, or NR_CPUS if m is empty. */
static inline unsigned int cpumask_first(cpumask_t m)
{
	return m ? (unsigned int)__builtin_ctzll(m) : NR_CPUS;
}

#define for_each_cpu(cpu, mask)      \
	for (cpumask_t __m = (mask); \
	     __m && ((cpu) = cpumask_first(__m), __m &= __m - 1, true);)

#define for_each_online_cpu(cpu) for_each_cpu(cpu, READ_ONCE(cpu_online_mask))

#endif
