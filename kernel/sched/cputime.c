// SPDX-License-Identifier: MIT
/*
 * cputime.c - where the CPU time goes, for /proc/stat, /proc/PID/stat,
 * times() and getrusage(): tick-based accounting as Linux does it
 * without CONFIG_VIRT_CPU_ACCOUNTING, and the load averages.
 *
 * Each timer tick charges one tick (1/HZ s) to the task it interrupted:
 * to its utime if the interrupt came from user mode, else to its stime;
 * and to the CPU's user (nice, for a task with nice > 0), system or
 * (the idle task running) idle count.
 * A program that runs shorter than a tick between ticks is invisible,
 * as on Linux. The scheduler's runtime_ns stays the precise total.
 *
 * Load averages: every LOAD_FREQ (5 s) CPU 0 folds the number of
 * runnable and running tasks into three exponentially decaying averages
 * (1, 5 and 15 minutes) in Linux's fixed point (FSHIFT bits), with
 * Linux's decay constants, so /proc/loadavg and sysinfo() read as on
 * Linux.
 *
 * Locking: none. Each CPU writes only its own counters and current's
 * tick counts (only the CPU running a task charges it); readers are
 * racy and see whole 64-bit values.
 */
#include <keel/time.h>

#include "sched.h"

#define LOAD_FREQ (5 * HZ + 1) /* ticks between load samples */
#define EXP_1	  1884	       /* 1/exp(5s/1min) in fixed point */
#define EXP_5	  2014	       /* 1/exp(5s/5min) */
#define EXP_15	  2037	       /* 1/exp(5s/15min) */

static struct cpu_times cpu_times[NR_CPUS];
static unsigned long avenrun[3];
static unsigned int load_ticks;

void cpu_times_get(unsigned int cpu, struct cpu_times *t)
{
	t->user = READ_ONCE(cpu_times[cpu].user);
	t->nice = READ_ONCE(cpu_times[cpu].nice);
	t->system = READ_ONCE(cpu_times[cpu].system);
	t->idle = READ_ONCE(cpu_times[cpu].idle);
}

unsigned int nr_running(void)
{
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);

		n += READ_ONCE(rq->nr_queued);
		if (READ_ONCE(rq->curr) != rq->idle)
			n++;
	}
	return n;
}

u64 nr_context_switches(void)
{
	unsigned int cpu;
	u64 n = 0;

	for_each_online_cpu(cpu)
		n += READ_ONCE(cpu_rq(cpu)->nr_switches);
	return n;
}

void get_avenrun(unsigned long loads[3])
{
	for (int i = 0; i < 3; i++)
		loads[i] = READ_ONCE(avenrun[i]);
}

/* Linux's calc_load(): load = load * exp + active * (1 - exp), rounded. */
static unsigned long calc_load(unsigned long load, unsigned long exp,
			       unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

static void calc_global_load(void)
{
	unsigned long active = (unsigned long)nr_running() * FIXED_1;

	WRITE_ONCE(avenrun[0], calc_load(avenrun[0], EXP_1, active));
	WRITE_ONCE(avenrun[1], calc_load(avenrun[1], EXP_5, active));
	WRITE_ONCE(avenrun[2], calc_load(avenrun[2], EXP_15, active));
}

void account_process_tick(bool user)
{
	unsigned int cpu = smp_processor_id();
	struct cpu_times *t = &cpu_times[cpu];
	struct task *p = current;

	if (p->flags & PF_IDLE)
		WRITE_ONCE(t->idle, t->idle + 1);
	else if (user && p->nice > 0)
		WRITE_ONCE(t->nice, t->nice + 1);
	else if (user)
		WRITE_ONCE(t->user, t->user + 1);
	else
		WRITE_ONCE(t->system, t->system + 1);
	if (!(p->flags & PF_IDLE)) {
		if (user)
			WRITE_ONCE(p->utime, p->utime + 1);
		else
			WRITE_ONCE(p->stime, p->stime + 1);
	}
	if (cpu == 0 && ++load_ticks >= LOAD_FREQ) {
		load_ticks = 0;
		calc_global_load();
	}
}
