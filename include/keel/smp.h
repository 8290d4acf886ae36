/* SPDX-License-Identifier: MIT */
/*
 * keel/smp.h - several CPUs: bring-up, inter-processor interrupts and
 * cross-CPU function calls.
 *
 * smp_init() (arch) starts every CPU the firmware lists; each comes up
 * on its idle task, joins the scheduler and is then in cpu_online_mask.
 * CPUs talk through three IPIs: reschedule (the target runs schedule()
 * at its interrupt return), call-function (the target runs queued
 * functions) and TLB shootdown (arch, flush_tlb_kernel_range()).
 *
 * A CPU waiting for another to run something polls its own queue of
 * requests meanwhile, so two CPUs calling each other with interrupts
 * off do not deadlock. Do not wait on a CPU while holding a lock it may
 * spin on with interrupts off.
 */
#ifndef _KEEL_SMP_H
#define _KEEL_SMP_H

#include <keel/cpumask.h>
#include <keel/percpu.h>

enum ipi_kind {
	IPI_RESCHEDULE,
	IPI_CALL_FUNCTION,
	NR_IPI_KINDS,
};

/* Per-CPU data of the boot CPU: GS base, so this_cpu() works. */
void smp_prepare_boot_cpu(void);
/* Start the other CPUs (arch). Requires the scheduler and the tick. */
void smp_init(void);
/* cpu runs the scheduler now (kernel/sched/core.c calls it). */
void smp_mark_cpu_online(unsigned int cpu);

/* arch: deliver an IPI of this kind to cpu. */
void arch_send_ipi(unsigned int cpu, enum ipi_kind kind);
/* arch: serve pending arch requests (TLB) while spinning, IRQs off. */
void arch_poll_ipis(void);
/* arch: stop every other CPU (panic); they halt with interrupts off. */
void smp_send_stop(void);
/* True once smp_send_stop() ran: NMI handlers halt. */
bool smp_stopping(void);

static inline void smp_send_reschedule(unsigned int cpu)
{
	arch_send_ipi(cpu, IPI_RESCHEDULE);
}

/*
 * Run fn(info) on cpu with interrupts off there; with wait, return when
 * it finished. Returns 0, -ENXIO (cpu offline) or -ENOMEM (no wait and
 * no memory for the request). Any context that can be preempted or
 * not, but not a hard-IRQ handler when wait is set.
 */
int smp_call_function_single(unsigned int cpu, void (*fn)(void *info),
			     void *info, bool wait);
/* The same on every other online CPU. */
void smp_call_function(void (*fn)(void *info), void *info, bool wait);
/* ... and on this one too. */
void on_each_cpu(void (*fn)(void *info), void *info, bool wait);
/* The call-function IPI's work: run this CPU's queued requests. */
void smp_call_function_interrupt(void);

#endif
