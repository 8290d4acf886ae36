/* SPDX-License-Identifier: MIT */
/*
 * keel/irq.h - device interrupt handlers.
 *
 * An IRQ number is an index into the kernel's interrupt descriptors; on
 * x86 it is the CPU vector minus 32, and legacy ISA/GSI line g is IRQ g
 * (the IOAPIC routes it there). Handlers run in hard-IRQ context with
 * interrupts disabled and must not sleep. Up to IRQ_MAX_ACTIONS handlers
 * may share a line; each gets its own cookie back.
 */
#ifndef _KEEL_IRQ_H
#define _KEEL_IRQ_H

#include <keel/compiler.h>

#define NR_IRQS		224
#define IRQ_MAX_ACTIONS 4

enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
};

typedef enum irqreturn (*irq_handler_t)(unsigned int irq, void *cookie);

/* How the generic layer drives the interrupt controller for a line. */
struct irq_chip {
	const char *name;
	void (*unmask)(unsigned int irq);
	void (*mask)(unsigned int irq);
	void (*eoi)(unsigned int irq);
};

/*
 * Install handler on irq and unmask the line if it was unused.
 * Returns 0, -EINVAL (bad irq or NULL handler), -EBUSY (all sharing slots
 * taken) or -ENODEV (no controller drives that line).
 */
int request_irq(unsigned int irq, irq_handler_t handler, const char *name,
		void *cookie);
/*
 * Remove the handler registered with cookie; masks the line if unused.
 * Returns once no other CPU runs any handler of the line any more (so
 * the cookie may be freed); called from one of the line's handlers, it
 * does not wait for that CPU's own calls (its callers). Until it
 * returns the slot stays reserved: request_irq() does not hand it to
 * another handler, whose cookie a dispatch still running the old
 * handler would otherwise read.
 */
void free_irq(unsigned int irq, void *cookie);

void irq_set_chip(unsigned int irq, const struct irq_chip *chip);

/*
 * Message-signalled interrupts need IRQ numbers (vectors) no controller
 * line owns: irq_alloc() hands out an unused one from
 * [IRQ_DYNAMIC_FIRST, IRQ_DYNAMIC_END), attached to chip, or -ENOSPC;
 * irq_release() gives it back (its handlers must be freed first).
 */
#define IRQ_DYNAMIC_FIRST 64
#define IRQ_DYNAMIC_END	  192
int irq_alloc(const struct irq_chip *chip);
void irq_release(unsigned int irq);

/*
 * The MSI message that raises irq on this CPU (arch): the address and
 * data a device writes. irq must come from irq_alloc().
 */
void arch_msi_compose(unsigned int irq, u64 *addr, u32 *data);
/* The irq_chip of MSI vectors (EOI at the local APIC). */
extern const struct irq_chip msi_irq_chip;
u64 irq_count(unsigned int irq);
/* Print every line with handlers and counts (monitor "irqs"). */
void irq_show(void);

/* Bring up the interrupt controllers (arch); lines start masked. */
void irq_init(void);

struct pt_regs;
void irq_dispatch(unsigned int vector, struct pt_regs *regs);
/* Did this CPU's outermost interrupt in progress come from user mode? */
bool irq_from_user(void);
/*
 * A line tests can trigger by software (x86: a LAPIC self-IPI).
 * irq_test_line_get() gives its number and attaches its controller;
 * irq_test_line_raise() delivers one interrupt and returns once handlers
 * ran (interrupts must be enabled; -ETIMEDOUT after a second).
 */
unsigned int irq_test_line_get(void);
int irq_test_line_raise(void);
void irq_test_line_put(void);
/* The architecture's part: the line's number and controller; raise it. */
unsigned int arch_irq_test_line(const struct irq_chip **chip);
void arch_irq_test_line_send(void);

/* Nesting depth of hard-IRQ handlers on this CPU (0: not in an IRQ). */
bool in_irq(void);
/*
 * For the test runner only: a panic inside a handler was caught and its
 * frames abandoned (longjmp). End this CPU's handlers in progress as
 * irq_dispatch() would have (running counts, EOI) and clear irq_depth.
 * Interrupts must be off.
 */
void irq_abandon_handlers(void);

#endif
