// SPDX-License-Identifier: MIT
/*
 * softirq.c - softirqs and tasklets (keel/softirq.h).
 *
 * irq_dispatch() calls irq_exit() with interrupts off after the
 * outermost handler; if a softirq is pending and none is running (or
 * held off by local_bh_disable), the pending mask is taken, interrupts
 * are enabled and each pending action runs, for up to MAX_RESTARTS
 * rounds. Work still pending after that waits for the next interrupt
 * (the tick at the latest): Linux hands it to ksoftirqd, which is what
 * this will do once kernel threads exist.
 *
 * bh_depth counts local_bh_disable() nesting plus one while actions
 * run; pending is only changed with interrupts off.
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/softirq.h>

#define MAX_RESTARTS 10

static void tasklet_action(void);

static void (*actions[NR_SOFTIRQS])(void) = {
	[TASKLET_SOFTIRQ] = tasklet_action,
};
static unsigned long counts[NR_SOFTIRQS];
static volatile unsigned long pending;
static unsigned int bh_depth;
static bool serving;

static struct tasklet *tasklet_head;

void open_softirq(unsigned int nr, void (*action)(void))
{
	if (nr < NR_SOFTIRQS)
		actions[nr] = action;
}

void raise_softirq(unsigned int nr)
{
	unsigned long flags = local_irq_save();

	pending |= 1UL << nr;
	local_irq_restore(flags);
}

/* Run pending actions; interrupts off on entry and on return. */
static void do_softirq(void)
{
	int rounds = MAX_RESTARTS;

	bh_depth++;
	serving = true;
	while (pending && rounds--) {
		unsigned long mask = pending;

		pending = 0;
		local_irq_enable();
		for (unsigned int nr = 0; nr < NR_SOFTIRQS; nr++) {
			if (!(mask & (1UL << nr)) || !actions[nr])
				continue;
			counts[nr]++;
			actions[nr]();
		}
		local_irq_disable();
	}
	serving = false;
	bh_depth--;
}

void irq_exit(void)
{
	if (!in_irq() && !bh_depth && pending)
		do_softirq();
}

void local_bh_disable(void)
{
	unsigned long flags = local_irq_save();

	bh_depth++;
	local_irq_restore(flags);
}

void local_bh_enable(void)
{
	unsigned long flags = local_irq_save();

	WARN_ON_ONCE(!bh_depth);
	if (bh_depth)
		bh_depth--;
	if (!bh_depth && !in_irq() && pending && (flags & X86_EFLAGS_IF))
		do_softirq();
	local_irq_restore(flags);
}

bool in_softirq(void)
{
	return bh_depth != 0;
}

bool in_serving_softirq(void)
{
	return serving;
}

unsigned long softirq_count(unsigned int nr)
{
	return nr < NR_SOFTIRQS ? counts[nr] : 0;
}

/* TASKLET_SOFTIRQ: run each scheduled tasklet once. */
static void tasklet_action(void)
{
	unsigned long flags = local_irq_save();
	struct tasklet *list = tasklet_head;

	tasklet_head = NULL;
	local_irq_restore(flags);
	while (list) {
		struct tasklet *t = list;

		list = t->next;
		flags = local_irq_save();
		t->scheduled = false;
		t->next = NULL;
		local_irq_restore(flags);
		t->func(t);
	}
}

void tasklet_schedule(struct tasklet *t)
{
	unsigned long flags = local_irq_save();

	if (!t->scheduled) {
		t->scheduled = true;
		t->next = tasklet_head;
		tasklet_head = t;
		pending |= 1UL << TASKLET_SOFTIRQ;
	}
	local_irq_restore(flags);
}

void tasklet_kill(struct tasklet *t)
{
	unsigned long flags = local_irq_save();
	struct tasklet **pp = &tasklet_head;

	while (*pp && *pp != t)
		pp = &(*pp)->next;
	if (*pp)
		*pp = t->next;
	t->next = NULL;
	t->scheduled = false;
	local_irq_restore(flags);
}
