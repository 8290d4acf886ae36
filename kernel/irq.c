// SPDX-License-Identifier: MIT
/*
 * irq.c - the generic interrupt layer: a descriptor per IRQ line with its
 * controller (struct irq_chip), shared handlers and a count. The arch
 * trap code calls irq_dispatch() with interrupts disabled; each handler of
 * the line runs, then the controller gets its end-of-interrupt, then
 * pending softirqs run (kernel/softirq.c).
 *
 * Locking: irq_lock (irqsave) guards the action slots against
 * request/free; dispatch reads the slots without it, on any CPU. So a
 * handler is published cookie first, handler pointer last (release),
 * and dispatch loads the handler (acquire), then the cookie.
 *
 * A slot goes free -> active (request_irq) -> draining (free_irq clears
 * the handler) -> free. free_irq() waits until no other CPU is inside
 * the line's handlers (d->running, counted by dispatch around them)
 * before it clears the cookie and frees the slot; request_irq() takes
 * only free slots. So a dispatch that loaded a handler pointer reads
 * that handler's own cookie: the slot cannot be handed to a new
 * (handler, cookie) pair until every dispatch that may have loaded the
 * old handler has finished. (A free_irq() from inside one of the line's
 * handlers does not wait for its own CPU's calls, its callers; they
 * read their pair before it was called, with interrupts off.) After
 * free_irq() the handler runs nowhere and its cookie may be freed. The
 * per-line counts are atomic; the hard-IRQ nesting depth is per CPU.
 */
#include <asm/ptrace.h>
#include <keel/atomic.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/monitor.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>

struct irq_action {
	irq_handler_t handler;
	void *cookie;
	const char *name;
	bool draining; /* freed, but a dispatch may still use the cookie */
};

struct irq_desc {
	const struct irq_chip *chip;
	struct irq_action actions[IRQ_MAX_ACTIONS];
	u64 count;
	u64 unhandled;
	int running; /* CPUs inside this line's handlers */
};

static struct irq_desc irq_descs[NR_IRQS];
static DEFINE_SPINLOCK(irq_lock);

/*
 * The lines each CPU is dispatching, innermost last (interrupts nest at
 * most once per vector priority class; 16 levels is ample). free_irq()
 * called from inside a handler uses it to wait for the other CPUs only,
 * not for the handler it is called from.
 */
#define IRQ_NEST_MAX 16
static unsigned int dispatching[NR_CPUS][IRQ_NEST_MAX];
static bool irq_user[NR_CPUS]; /* outermost interrupt came from user mode */

bool in_irq(void)
{
	return this_cpu_read(irq_depth) != 0;
}

void irq_set_chip(unsigned int irq, const struct irq_chip *chip)
{
	if (irq < NR_IRQS)
		irq_descs[irq].chip = chip;
}

static bool line_unused(const struct irq_desc *d);

int irq_alloc(const struct irq_chip *chip)
{
	unsigned long flags;
	int irq = -ENOSPC;

	spin_lock_irqsave(&irq_lock, flags);
	for (unsigned int i = IRQ_DYNAMIC_FIRST; i < IRQ_DYNAMIC_END; i++) {
		if (!irq_descs[i].chip) {
			irq_descs[i].chip = chip;
			irq = i;
			break;
		}
	}
	spin_unlock_irqrestore(&irq_lock, flags);
	return irq;
}

void irq_release(unsigned int irq)
{
	unsigned long flags;

	if (irq < IRQ_DYNAMIC_FIRST || irq >= IRQ_DYNAMIC_END)
		return;
	spin_lock_irqsave(&irq_lock, flags);
	WARN_ON_ONCE(!line_unused(&irq_descs[irq]));
	irq_descs[irq].chip = NULL;
	spin_unlock_irqrestore(&irq_lock, flags);
}

static bool line_unused(const struct irq_desc *d)
{
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++)
		if (d->actions[i].handler)
			return false;
	return true;
}

int request_irq(unsigned int irq, irq_handler_t handler, const char *name,
		void *cookie)
{
	struct irq_desc *d;
	unsigned long flags;
	bool first;
	int i, err = -EBUSY;

	if (irq >= NR_IRQS || !handler)
		return -EINVAL;
	d = &irq_descs[irq];
	if (!d->chip)
		return -ENODEV;
	spin_lock_irqsave(&irq_lock, flags);
	first = line_unused(d);
	for (i = 0; i < IRQ_MAX_ACTIONS; i++) {
		struct irq_action *a = &d->actions[i];

		if (!a->handler && !a->draining) {
			a->cookie = cookie;
			a->name = name;
			smp_store_release(&a->handler, handler);
			err = 0;
			break;
		}
	}
	if (!err && first && d->chip->unmask)
		d->chip->unmask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
	return err;
}

/* How many of d's running handlers are this CPU's own (nested) calls. */
static int own_calls(const struct irq_desc *d)
{
	unsigned int depth = this_cpu_read(irq_depth), cpu = smp_processor_id();
	unsigned int irq = d - irq_descs;
	int n = 0;

	for (unsigned int i = 0; i < depth && i < IRQ_NEST_MAX; i++)
		n += dispatching[cpu][i] == irq;
	return n;
}

/*
 * Wait until no other CPU runs a handler of d. From inside one of d's
 * handlers (a handler freeing its own line), the calls on this CPU are
 * not waited for: they are our callers.
 */
static void synchronize_line(struct irq_desc *d)
{
	int own = own_calls(d);

	smp_mb(); /* the cleared handler before the running count */
	while (__atomic_load_n(&d->running, __ATOMIC_ACQUIRE) > own)
		cpu_relax();
}

void free_irq(unsigned int irq, void *cookie)
{
	struct irq_action *found = NULL;
	struct irq_desc *d;
	unsigned long flags;

	if (irq >= NR_IRQS)
		return;
	d = &irq_descs[irq];
	spin_lock_irqsave(&irq_lock, flags);
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++) {
		if (d->actions[i].handler && d->actions[i].cookie == cookie) {
			found = &d->actions[i];
			WRITE_ONCE(found->handler, NULL);
			/* not free until the dispatches that saw it are done */
			found->draining = true;
			break;
		}
	}
	if (line_unused(d) && d->chip && d->chip->mask)
		d->chip->mask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
	if (!found)
		return;
	synchronize_line(d);
	spin_lock_irqsave(&irq_lock, flags);
	found->cookie = NULL;
	found->name = NULL;
	found->draining = false;
	spin_unlock_irqrestore(&irq_lock, flags);
}

bool irq_from_user(void)
{
	return this_cpu_read(irq_depth) && irq_user[smp_processor_id()];
}

void irq_dispatch(unsigned int vector, struct pt_regs *regs)
{
	unsigned int irq = vector - 32;
	struct irq_desc *d = &irq_descs[irq];
	unsigned int depth = this_cpu_read(irq_depth);
	enum irqreturn ret = IRQ_NONE;

	if (!depth) /* the tick's user/system accounting asks */
		irq_user[smp_processor_id()] = regs && user_mode(regs);
	if (depth < IRQ_NEST_MAX)
		dispatching[smp_processor_id()][depth] = irq;
	this_cpu_add_32(irq_depth, 1);
	__atomic_fetch_add(&d->count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&d->running, 1, __ATOMIC_SEQ_CST);
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++) {
		const struct irq_action *a = &d->actions[i];
		irq_handler_t h = smp_load_acquire(&a->handler);

		/*
		 * h's own cookie: written before h was published, and the
		 * slot stays draining (not reusable) until free_irq() saw
		 * this dispatch leave the line.
		 */
		if (h)
			ret |= h(irq, READ_ONCE(a->cookie));
	}
	__atomic_fetch_sub(&d->running, 1, __ATOMIC_RELEASE);
	if (ret == IRQ_NONE)
		__atomic_fetch_add(&d->unhandled, 1, __ATOMIC_RELAXED);
	if (d->chip && d->chip->eoi)
		d->chip->eoi(irq);
	this_cpu_add_32(irq_depth, -1);
	irq_exit(); /* softirqs, with interrupts on */
}

void irq_abandon_handlers(void)
{
	unsigned int depth = this_cpu_read(irq_depth);
	unsigned int cpu = smp_processor_id();

	while (depth--) {
		struct irq_desc *d;
		unsigned int irq;

		if (depth >= IRQ_NEST_MAX)
			continue;
		irq = dispatching[cpu][depth];
		d = &irq_descs[irq];
		__atomic_fetch_sub(&d->running, 1, __ATOMIC_RELEASE);
		if (d->chip && d->chip->eoi)
			d->chip->eoi(irq);
	}
	this_cpu_write(irq_depth, 0);
}

u64 irq_count(unsigned int irq)
{
	return irq < NR_IRQS ? READ_ONCE(irq_descs[irq].count) : 0;
}

void irq_show(void)
{
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		const struct irq_desc *d = &irq_descs[irq];

		if (line_unused(d) && !d->count)
			continue;
		monitor_printf("%3u: %10llu %-8s", irq, d->count,
			       d->chip ? d->chip->name : "none");
		for (int i = 0; i < IRQ_MAX_ACTIONS; i++)
			if (d->actions[i].handler)
				monitor_printf(" %s", d->actions[i].name);
		monitor_printf("\n");
	}
}

static int cmd_irqs(int argc, char **argv)
{
	irq_show();
	return 0;
}
MONITOR_CMD(irqs, NULL, "interrupt lines and counts", 0, 0, cmd_irqs);
