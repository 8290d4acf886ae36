// SPDX-License-Identifier: MIT
/*
 * irq.c - the generic interrupt layer: a descriptor per IRQ line with its
 * controller (struct irq_chip), shared handlers and a count. The arch
 * trap code calls irq_dispatch() with interrupts disabled; each handler of
 * the line runs, then the controller gets its end-of-interrupt, then
 * pending softirqs run (kernel/softirq.c).
 *
 * Locking: irq_lock (irqsave) guards the action slots against
 * request/free; dispatch reads the slots without it, which is safe because
 * a slot is only cleared with the line masked and interrupts off on the
 * only CPU (SMP will add a synchronize step).
 */
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/printk.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>

struct irq_action {
	irq_handler_t handler;
	void *cookie;
	const char *name;
};

struct irq_desc {
	const struct irq_chip *chip;
	struct irq_action actions[IRQ_MAX_ACTIONS];
	u64 count;
	u64 unhandled;
};

static struct irq_desc irq_descs[NR_IRQS];
static DEFINE_SPINLOCK(irq_lock);
static unsigned int irq_depth;

bool in_irq(void)
{
	return irq_depth != 0;
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
		if (!d->actions[i].handler) {
			d->actions[i] =
				(struct irq_action){ handler, cookie, name };
			err = 0;
			break;
		}
	}
	if (!err && first && d->chip->unmask)
		d->chip->unmask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
	return err;
}

void free_irq(unsigned int irq, void *cookie)
{
	struct irq_desc *d;
	unsigned long flags;

	if (irq >= NR_IRQS)
		return;
	d = &irq_descs[irq];
	spin_lock_irqsave(&irq_lock, flags);
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++) {
		if (d->actions[i].handler && d->actions[i].cookie == cookie) {
			d->actions[i] = (struct irq_action){ 0 };
			break;
		}
	}
	if (line_unused(d) && d->chip && d->chip->mask)
		d->chip->mask(irq);
	spin_unlock_irqrestore(&irq_lock, flags);
}

void irq_dispatch(unsigned int vector, struct pt_regs *regs)
{
	unsigned int irq = vector - 32;
	struct irq_desc *d = &irq_descs[irq];
	enum irqreturn ret = IRQ_NONE;

	(void)regs;
	irq_depth++;
	d->count++;
	for (int i = 0; i < IRQ_MAX_ACTIONS; i++) {
		const struct irq_action *a = &d->actions[i];

		if (a->handler)
			ret |= a->handler(irq, a->cookie);
	}
	if (ret == IRQ_NONE)
		d->unhandled++;
	if (d->chip && d->chip->eoi)
		d->chip->eoi(irq);
	irq_depth--;
	irq_exit(); /* softirqs, with interrupts on */
}

u64 irq_count(unsigned int irq)
{
	return irq < NR_IRQS ? irq_descs[irq].count : 0;
}

void irq_show(void)
{
	for (unsigned int irq = 0; irq < NR_IRQS; irq++) {
		const struct irq_desc *d = &irq_descs[irq];

		if (line_unused(d) && !d->count)
			continue;
		printk(KERN_INFO "%3u: %10llu %-8s", irq, d->count,
		       d->chip ? d->chip->name : "none");
		for (int i = 0; i < IRQ_MAX_ACTIONS; i++)
			if (d->actions[i].handler)
				pr_cont(" %s", d->actions[i].name);
		pr_cont("\n");
	}
}
