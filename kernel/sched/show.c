// SPDX-License-Identifier: MIT
/*
 * show.c - the scheduler's tables for the monitor: "ps" (one line per
 * task) and "cpus" (one line per CPU, then the policy's record).
 *
 * Both copy what they show under the locks that keep it consistent
 * (tasklist_lock for the task list, each rq lock for its running task)
 * into a buffer and print afterwards, so that slow console output never
 * runs with a scheduler lock held.
 */
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/time.h>

#include "sched.h"

#define MAX_SHOWN 256

struct task_line {
	bool idle;
	int pid;
	char name[TASK_COMM_LEN];
	enum task_state state;
	unsigned int cpu;
	int nice;
	u64 runtime_ns;
	u64 switches;
	u64 cpu_ns[NR_CPUS];
};

static void ms_fmt(char *buf, size_t size, u64 ns)
{
	snprintf(buf, size, "%llu.%03llu", ns / NSEC_PER_MSEC,
		 ns % NSEC_PER_MSEC / NSEC_PER_USEC);
}

static unsigned int snapshot_tasks(struct task_line *out, unsigned int max)
{
	unsigned int n = 0;
	unsigned long flags;
	struct task *p;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks) {
		struct task_line *l = &out[n];

		if (n == max)
			break;
		l->idle = p->flags & PF_IDLE;
		l->pid = l->idle ? 0 : p->pid;
		memcpy(l->name, p->name, TASK_COMM_LEN);
		l->state = task_state(p);
		l->cpu = READ_ONCE(p->cpu);
		l->nice = READ_ONCE(p->nice);
		l->runtime_ns = READ_ONCE(p->runtime_ns);
		l->switches = READ_ONCE(p->nr_switches);
		for (int c = 0; c < NR_CPUS; c++)
			l->cpu_ns[c] = READ_ONCE(p->cpu_runtime_ns[c]);
		n++;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

static void print_task_line(const struct task_line *l)
{
	const char *state = task_state_name(l->state);
	char ms[32];

	if (l->idle && l->state != TS_RUNNING)
		state = "idle"; /* an idle task waits for nothing */
	ms_fmt(ms, sizeof(ms), l->runtime_ns);
	monitor_printf("%5d %-15s %-8s %3u %4d %12s %9llu ", l->pid, l->name,
		       state, l->cpu, l->nice, ms, l->switches);
	for (unsigned int c = 0; c < NR_CPUS; c++) {
		if (!l->cpu_ns[c])
			continue;
		ms_fmt(ms, sizeof(ms), l->cpu_ns[c]);
		monitor_printf(" %u:%s", c, ms);
	}
	monitor_printf("\n");
}

void sched_show_tasks(void)
{
	struct task_line *lines =
		kmalloc(MAX_SHOWN * sizeof(*lines), GFP_KERNEL);
	unsigned int n;

	if (!lines) {
		pr_err("ps: out of memory\n");
		return;
	}
	n = snapshot_tasks(lines, MAX_SHOWN);
	monitor_printf(
		"  PID NAME            STATE    CPU NICE   RUNTIME ms  SWITCHES  PER-CPU ms\n");
	for (unsigned int i = 0; i < n; i++)
		print_task_line(&lines[i]);
	kfree(lines);
}

struct cpu_line {
	bool online;
	u32 apic_id;
	char curr[TASK_COMM_LEN];
	unsigned int queued;
	u64 ticks, ipis, switches, idle_ns;
};

static void snapshot_cpu(unsigned int cpu, struct cpu_line *l)
{
	struct rq *rq = cpu_rq(cpu);
	const struct cpu *c = cpu_of(cpu);
	unsigned long flags;

	l->online = cpu_online(cpu);
	l->apic_id = c->apic_id;
	l->ticks = READ_ONCE(c->ticks);
	l->ipis = READ_ONCE(c->ipis);
	spin_lock_irqsave(&rq->lock, flags);
	memcpy(l->curr, rq->curr ? rq->curr->name : "-", TASK_COMM_LEN);
	l->queued = rq->nr_queued;
	l->switches = rq->nr_switches;
	l->idle_ns = rq->idle ? rq->idle->runtime_ns : 0;
	spin_unlock_irqrestore(&rq->lock, flags);
}

void sched_show_cpus(void)
{
	struct sched_policy_stats s;
	char ms[32];

	monitor_printf(
		"CPU APIC STATE   RUNNING          QUEUED     TICKS   IPIS  SWITCHES      IDLE ms\n");
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		struct cpu_line l;

		if (!cpu_online(cpu))
			continue;
		snapshot_cpu(cpu, &l);
		ms_fmt(ms, sizeof(ms), l.idle_ns);
		monitor_printf(
			"%3u %4u %-7s %-15.15s %7u %9llu %6llu %9llu %12s\n",
			cpu, l.apic_id, l.online ? "online" : "offline", l.curr,
			l.queued, l.ticks, l.ipis, l.switches, ms);
	}
	sched_policy_stats(&s);
	monitor_printf(
		"policy %s; rejected: pick %lu, lost %lu, select %lu, balance %lu, task_new %lu; starved %lu; ejected %lu\n",
		sched_policy_name(), s.pick_invalid, s.pick_lost,
		s.select_invalid, s.balance_invalid, s.task_new_invalid,
		s.starved, s.ejected);
}
