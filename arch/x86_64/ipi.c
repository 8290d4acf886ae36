// SPDX-License-Identifier: MIT
/*
 * ipi.c - inter-processor interrupts on x86: reschedule, call-function,
 * TLB shootdown, and stopping the other CPUs at a panic.
 *
 * Each IPI is a LAPIC vector (asm/apic.h) registered as an IRQ line,
 * so "irqs" counts them. A reschedule IPI does nothing itself: the
 * sender already set the target's need_resched, and the interrupt
 * return path (traps.c) calls the scheduler. Call-function runs the
 * target's queued requests (kernel/smp.c).
 *
 * TLB shootdown: flush_tlb_kernel_range() flushes locally, then, under
 * flush_lock, publishes the range and a mask of CPUs that must flush,
 * sends them the IPI and waits until each cleared its bit. Interrupts
 * stay off throughout; a CPU waiting for flush_lock (or for any other
 * cross-CPU request) flushes for others meanwhile (arch_poll_ipis), so
 * two CPUs never wait on each other with interrupts off.
 */
#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/tlbflush.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/smp.h>
#include <keel/spinlock.h>

#define FLUSH_ALL_PAGES 32 /* more than this: reload CR3 instead */

static DEFINE_SPINLOCK(flush_lock);
static unsigned long flush_start, flush_end;
static cpumask_t flush_pending;
static bool stopping;

static const u8 ipi_vectors[NR_IPI_KINDS] = {
	[IPI_RESCHEDULE] = RESCHEDULE_VECTOR,
	[IPI_CALL_FUNCTION] = CALL_FUNC_VECTOR,
};

void arch_send_ipi(unsigned int cpu, enum ipi_kind kind)
{
	lapic_send_ipi(cpu_of(cpu)->apic_id, ipi_vectors[kind]);
}

static void flush_local(unsigned long start, unsigned long end)
{
	if ((end - start) / PAGE_SIZE > FLUSH_ALL_PAGES) {
		write_cr3(read_cr3());
		return;
	}
	for (unsigned long a = start; a < end; a += PAGE_SIZE)
		invlpg(a);
}

/* Do this CPU's share of a pending shootdown. Interrupts off. */
static void flush_if_pending(void)
{
	cpumask_t me = cpumask_of(smp_processor_id());

	if (!(__atomic_load_n(&flush_pending, __ATOMIC_ACQUIRE) & me))
		return;
	flush_local(READ_ONCE(flush_start), READ_ONCE(flush_end));
	__atomic_fetch_and(&flush_pending, ~me, __ATOMIC_RELEASE);
}

void arch_poll_ipis(void)
{
	flush_if_pending();
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long flags = local_irq_save();
	cpumask_t others;
	unsigned int cpu;

	flush_local(start, end);
	others = READ_ONCE(cpu_online_mask) & ~cpumask_of(smp_processor_id());
	if (!others)
		goto out;
	while (!spin_trylock(&flush_lock)) {
		flush_if_pending();
		smp_call_function_interrupt();
		cpu_relax();
	}
	WRITE_ONCE(flush_start, start);
	WRITE_ONCE(flush_end, end);
	__atomic_store_n(&flush_pending, others, __ATOMIC_SEQ_CST);
	for_each_cpu(cpu, others)
		lapic_send_ipi(cpu_of(cpu)->apic_id, TLB_FLUSH_VECTOR);
	while (__atomic_load_n(&flush_pending, __ATOMIC_ACQUIRE) & others) {
		smp_call_function_interrupt();
		cpu_relax();
	}
	spin_unlock(&flush_lock);
out:
	local_irq_restore(flags);
}

static enum irqreturn resched_ipi(unsigned int irq, void *cookie)
{
	this_cpu_inc_64(ipis);
	return IRQ_HANDLED; /* traps.c reschedules on the way out */
}

static enum irqreturn call_func_ipi(unsigned int irq, void *cookie)
{
	this_cpu_inc_64(ipis);
	smp_call_function_interrupt();
	return IRQ_HANDLED;
}

static enum irqreturn tlb_flush_ipi(unsigned int irq, void *cookie)
{
	this_cpu_inc_64(ipis);
	flush_if_pending();
	return IRQ_HANDLED;
}

void smp_send_stop(void)
{
	WRITE_ONCE(stopping, true);
	if (num_online_cpus() > 1)
		lapic_send_icr(0, APIC_DEST_ALLBUT | APIC_DM_NMI);
}

bool smp_stopping(void)
{
	return READ_ONCE(stopping);
}

void ipi_init(void)
{
	static const struct {
		u8 vector;
		irq_handler_t fn;
		const char *name;
	} lines[] = {
		{ RESCHEDULE_VECTOR, resched_ipi, "ipi-resched" },
		{ CALL_FUNC_VECTOR, call_func_ipi, "ipi-call" },
		{ TLB_FLUSH_VECTOR, tlb_flush_ipi, "ipi-tlb" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(lines); i++) {
		unsigned int irq = VECTOR_TO_IRQ(lines[i].vector);

		irq_set_chip(irq, &lapic_chip);
		WARN_ON(request_irq(irq, lines[i].fn, lines[i].name, NULL));
	}
}
