// SPDX-License-Identifier: MIT
/*
 * smp.c - per-CPU data, the online mask and cross-CPU function calls.
 *
 * cpu_data[] holds each CPU's struct cpu (keel/percpu.h); the boot CPU's
 * GS base points at cpu_data[0] from the first line of start_kernel().
 *
 * A call request (struct call_request) goes on the target CPU's queue
 * under that queue's lock, then a call-function IPI makes the target run
 * it with interrupts off. A waiting caller keeps the request on its
 * stack and spins until the target marks it done, serving its own queue
 * meanwhile; a caller that does not wait allocates the request and the
 * target frees it.
 */
#include <asm/cpu.h>
#include <keel/atomic.h>
#include <keel/errno.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/smp.h>

struct cpu cpu_data[NR_CPUS];
cpumask_t cpu_online_mask;

struct call_request {
	struct list_head node;
	void (*fn)(void *info);
	void *info;
	int done;
	bool allocated; /* kfree() after running */
};

struct call_queue {
	spinlock_t lock;
	struct list_head list; /* NULL until first used */
};

static struct call_queue call_queues[NR_CPUS];

void smp_prepare_boot_cpu(void)
{
	struct cpu *c = &cpu_data[0];

	c->self = c;
	c->id = 0;
	c->current_task = &init_task;
	arch_set_this_cpu(c);
}

void smp_mark_cpu_online(unsigned int cpu)
{
	smp_store_release(&cpu_data[cpu].online, true);
	__atomic_fetch_or(&cpu_online_mask, cpumask_of(cpu), __ATOMIC_SEQ_CST);
}

static struct list_head *queue_list(struct call_queue *q)
{
	if (!q->list.next)
		INIT_LIST_HEAD(&q->list);
	return &q->list;
}

void smp_call_function_interrupt(void)
{
	struct call_queue *q = &call_queues[smp_processor_id()];
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	while (q->list.next && !list_empty(&q->list)) {
		struct call_request *r =
			list_first_entry(&q->list, struct call_request, node);

		list_del_init(&r->node);
		spin_unlock(&q->lock);
		r->fn(r->info);
		if (r->allocated)
			kfree(r);
		else
			smp_store_release(&r->done, 1);
		spin_lock(&q->lock);
	}
	spin_unlock_irqrestore(&q->lock, flags);
}

static int queue_call(unsigned int cpu, struct call_request *r)
{
	struct call_queue *q = &call_queues[cpu];
	unsigned long flags;

	spin_lock_irqsave(&q->lock, flags);
	list_add_tail(&r->node, queue_list(q));
	spin_unlock_irqrestore(&q->lock, flags);
	arch_send_ipi(cpu, IPI_CALL_FUNCTION);
	return 0;
}

int smp_call_function_single(unsigned int cpu, void (*fn)(void *info),
			     void *info, bool wait)
{
	struct call_request local = { .fn = fn, .info = info }, *r = &local;
	unsigned long flags;
	int err = 0;

	if (!cpu_online(cpu))
		return -ENXIO;
	preempt_disable();
	if (cpu == smp_processor_id()) {
		flags = local_irq_save();
		fn(info);
		local_irq_restore(flags);
		goto out;
	}
	if (!wait) {
		r = kmalloc(sizeof(*r), GFP_ATOMIC);
		if (!r) {
			err = -ENOMEM;
			goto out;
		}
		*r = (struct call_request){ .fn = fn,
					    .info = info,
					    .allocated = true };
	}
	queue_call(cpu, r);
	while (wait && !smp_load_acquire(&local.done)) {
		smp_call_function_interrupt(); /* serve calls to us */
		arch_poll_ipis();
		cpu_relax();
	}
out:
	preempt_enable();
	return err;
}

void smp_call_function(void (*fn)(void *info), void *info, bool wait)
{
	unsigned int cpu, me;

	preempt_disable();
	me = smp_processor_id();
	for_each_online_cpu(cpu)
		if (cpu != me)
			smp_call_function_single(cpu, fn, info, wait);
	preempt_enable();
}

void on_each_cpu(void (*fn)(void *info), void *info, bool wait)
{
	unsigned long flags;

	preempt_disable();
	smp_call_function(fn, info, wait);
	flags = local_irq_save();
	fn(info);
	local_irq_restore(flags);
	preempt_enable();
}
