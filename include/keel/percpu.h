/* SPDX-License-Identifier: MIT */
/*
 * keel/percpu.h - each CPU's own data, reached through the GS base.
 *
 * struct cpu holds what the running CPU needs without locks: the task it
 * runs, its preemption and hard-IRQ nesting counts and the reschedule
 * flag. Every CPU's GS base points at its struct cpu, whose first word
 * points at itself, so this_cpu() is one load and this_cpu_read(field)
 * is one %gs-relative instruction (asm/percpu.h): a field read or
 * updated that way cannot be torn by an interrupt or a migration.
 *
 * Fields are written only by their own CPU, except need_resched (any
 * CPU may set it, then sends a reschedule IPI) and the statistics that
 * other CPUs read racily for display.
 */
#ifndef _KEEL_PERCPU_H
#define _KEEL_PERCPU_H

#include <keel/compiler.h>

#define NR_CPUS 16

struct task;

struct cpu {
	struct cpu *self;	   /* %gs:0, for this_cpu() */
	struct task *current_task; /* the task running here */
	int preempt_count;	   /* > 0: the running task stays */
	unsigned int irq_depth;	   /* hard-IRQ handler nesting */
	unsigned int locks_held;   /* spinlocks held (debug checks) */
	bool need_resched;	   /* call schedule() at the next chance */
	bool online;		   /* running and scheduling */
	unsigned int id;	   /* logical number; 0 is the boot CPU */
	u32 apic_id;		   /* arch: hardware id */
	struct task *idle;	   /* this CPU's idle task */
	void *arch;		   /* arch: descriptor tables, stacks */
	u64 ticks;		   /* timer ticks taken */
	u64 ipis;		   /* IPIs received */
	void *policy_guard;	   /* sched: the policy call in progress */
	void *policy_stack;	  /* sched: top of the stack callbacks run on */
	void *policy_stack_spare; /* sched: the next one, after a panic */
	/*
	 * sched: the policy (ops table) whose TaskTokens may be used on
	 * this CPU now (rust/kernel/sched.rs): the one whose callback runs
	 * here (policy_guarded_tok; NULL in select_cpu), else the one whose
	 * init()/exit() the running task runs (its policy_ctx), else NULL
	 */
	const void *policy_tokens;

	/* local_interrupt_disable() nesting, and the flags the first saved */
	unsigned int irq_disable_depth;
	unsigned long irq_disable_flags;

	/*
	 * arch: the syscall entry's scratch, reached by %gs offsets before
	 * it has a stack (asm/percpu_offsets.h, checked at build time)
	 */
	unsigned long user_rsp;	    /* user %rsp while it finds its stack */
	unsigned long kernel_stack; /* top of current's kernel stack */
};

extern struct cpu cpu_data[NR_CPUS];

#include <asm/percpu.h>

/* This CPU's struct cpu. Stable only while preemption is disabled. */
static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)arch_this_cpu();
}

/* The running task: the same for a task wherever it runs. */
#define current this_cpu_read(current_task)

/* This CPU's number; meaningful only with preemption disabled. */
static inline unsigned int smp_processor_id(void)
{
	return this_cpu_read(id);
}

static inline struct cpu *cpu_of(unsigned int cpu)
{
	return &cpu_data[cpu];
}

#endif
