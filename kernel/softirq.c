// SPDX-License-Identifier: MIT
/*
 * softirq.c - softirqs and tasklets (keel/softirq.h).
 *
 * irq_dispatch() calls irq_exit() with interrupts off after the
 * outermost handler; if a softirq is pending and none is running (or
 * held off by local_bh_disable), the pending mask is taken, interrupts
 * are enabled and each pending action runs, for up to MAX_RESTARTS
 * rounds. Work still pending after that waits for the next interrupt
 * (the tick at the latest). TODO: a per-CPU ksoftirqd thread to take
 * that leftover work, as Linux has, so it need not wait for a tick.
 *
 * SMP: the network code was written with one CPU in mind and uses
 * local_bh_disable() to keep its process-context sections apart from the
 * softirq actions. To keep that true on several CPUs, bottom halves are
 * global here, not per CPU: softirq_lock guards the pending mask, the
 * tasklet list, the CPU serving softirqs (at most one at a time) and the
 * count of CPUs inside local_bh_disable(); actions never run while any
 * CPU holds bottom halves off, and local_bh_disable() waits while another
 * CPU serves them. bh_depth (nesting) is per CPU, and a task inside
 * local_bh_disable() runs with preemption off, so it cannot migrate and
 * leave another CPU's count raised.
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/percpu.h>
#include <keel/preempt.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>

#define MAX_RESTARTS 10

static void tasklet_action(void);

static void (*actions[NR_SOFTIRQS])(void) = {
	[TASKLET_SOFTIRQ] = tasklet_action,
};
static unsigned long counts[NR_SOFTIRQS];
static volatile unsigned long pending;
static DEFINE_SPINLOCK(softirq_lock);
static int serving_cpu = -1;	       /* the CPU running actions, or -1 */
static unsigned int bh_holders;	       /* CPUs inside local_bh_disable() */
static unsigned int bh_depth[NR_CPUS]; /* local_bh_disable() nesting */

static struct tasklet *tasklet_head;

void open_softirq(unsigned int nr, void (*action)(void))
{
	if (nr < NR_SOFTIRQS)
		actions[nr] = action;
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags;

	spin_lock_irqsave(&softirq_lock, flags);
	pending |= 1UL << nr;
	spin_unlock_irqrestore(&softirq_lock, flags);
}

/*
 * Run pending actions if no CPU serves them and none holds bottom halves
 * off; interrupts off on entry and on return.
 */
static void do_softirq(void)
{
	unsigned int cpu = smp_processor_id();
	int rounds = MAX_RESTARTS;

	spin_lock(&softirq_lock);
	if (serving_cpu >= 0 || bh_holders) {
		spin_unlock(&softirq_lock);
		return;
	}
	serving_cpu = cpu;
	bh_depth[cpu]++;
	/* actions run with interrupts on: no preemption out of them */
	preempt_disable();
	while (pending && rounds--) {
		unsigned long mask = pending;

		pending = 0;
		spin_unlock(&softirq_lock);
		local_irq_enable();
		for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++) {
			if (!(mask & (1UL << nr)) || !actions[nr])
				continue;
			counts[nr]++;
			actions[nr]();
		}
		local_irq_disable();
		spin_lock(&softirq_lock);
	}
	preempt_enable_no_resched();
	bh_depth[cpu]--;
	serving_cpu = -1;
	spin_unlock(&softirq_lock);
}

void irq_exit(void)
{
	if (!in_irq() && !bh_depth[smp_processor_id()] && pending)
		do_softirq();
}

void local_bh_disable(void)
{
	unsigned long flags;
	unsigned int cpu;

	/* no migration until local_bh_enable(): bh_depth is this CPU's */
	preempt_disable();
	flags = local_irq_save();
	cpu = smp_processor_id();

	if (bh_depth[cpu]++ == 0) {
		spin_lock(&softirq_lock);
		/* another CPU running actions: wait for it to finish */
		while (serving_cpu >= 0 && serving_cpu != (int)cpu) {
			spin_unlock(&softirq_lock);
			cpu_relax();
			spin_lock(&softirq_lock);
		}
		bh_holders++;
		spin_unlock(&softirq_lock);
	}
	local_irq_restore(flags);
}

void local_bh_enable(void)
{
	unsigned long flags = local_irq_save();
	unsigned int cpu = smp_processor_id();

	if (!WARN_ON_ONCE(!bh_depth[cpu]) && --bh_depth[cpu] == 0) {
		spin_lock(&softirq_lock);
		bh_holders--;
		spin_unlock(&softirq_lock);
	}
	if (!bh_depth[cpu] && !in_irq() && pending && (flags & X86_EFLAGS_IF))
		do_softirq();
	local_irq_restore(flags);
	preempt_enable();
}

bool in_softirq(void)
{
	return bh_depth[smp_processor_id()] != 0;
}

bool in_serving_softirq(void)
{
	return READ_ONCE(serving_cpu) == (int)smp_processor_id();
}

unsigned long softirq_count(unsigned int nr)
{
	return nr < NR_SOFTIRQS ? counts[nr] : 0;
}

/*
 * TASKLET_SOFTIRQ: run each tasklet scheduled when the action started
 * once. Tasklets are taken off the shared list one at a time under
 * softirq_lock, never as a private batch, so tasklet_kill() always finds
 * a tasklet that has not run yet (a batch taken off the list let a
 * tasklet killed meanwhile run anyway, and losing track of the batch's
 * tail left its tasklets "scheduled" and never run again). Tasklets
 * (re)scheduled while it runs wait for the next round.
 */
static void tasklet_action(void)
{
	unsigned int n = 0;
	unsigned long flags;
	struct tasklet *t;

	spin_lock_irqsave(&softirq_lock, flags);
	for (t = tasklet_head; t; t = t->next)
		n++;
	while (n-- && (t = tasklet_head)) {
		tasklet_head = t->next;
		t->next = NULL;
		t->scheduled = false;
		spin_unlock_irqrestore(&softirq_lock, flags);
		t->func(t);
		spin_lock_irqsave(&softirq_lock, flags);
	}
	if (tasklet_head)
		pending |= 1UL << TASKLET_SOFTIRQ;
	spin_unlock_irqrestore(&softirq_lock, flags);
}

void tasklet_schedule(struct tasklet *t)
{
	unsigned long flags;

	spin_lock_irqsave(&softirq_lock, flags);
	if (!t->scheduled) {
		t->scheduled = true;
		t->next = tasklet_head;
		tasklet_head = t;
		pending |= 1UL << TASKLET_SOFTIRQ;
	}
	spin_unlock_irqrestore(&softirq_lock, flags);
}

void tasklet_kill(struct tasklet *t)
{
	struct tasklet **pp = &tasklet_head;
	unsigned long flags;

	/* no tasklet runs on any CPU while bottom halves are off */
	local_bh_disable();
	spin_lock_irqsave(&softirq_lock, flags);
	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->next = NULL;
	t->scheduled = false;
	spin_unlock_irqrestore(&softirq_lock, flags);
	local_bh_enable();
}
