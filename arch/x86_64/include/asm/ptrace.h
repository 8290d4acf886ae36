/* SPDX-License-Identifier: MIT */
/*
 * asm/ptrace.h - the register frame entry.S builds for every trap and
 * system call.
 *
 * A trap from user mode and a system call both build it at the very top
 * of the task's kernel stack (task_pt_regs()): the CPU (or the syscall
 * entry) pushes ss..rip, the entry code the rest. Every kernel stack
 * keeps that space free (kernel/sched/task.c), so any task can become a
 * user process by filling it and returning to user mode.
 *
 * For a system call, vector is SYSCALL_VECTOR_MARK and error_code holds
 * the call number as it came in (Linux's orig_rax); rax is the return
 * value on the way out.
 */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

#include <keel/types.h>

#define SYSCALL_VECTOR_MARK (~0ULL)

struct pt_regs {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error_code;
	/* pushed by the CPU */
	u64 rip, cs, rflags, rsp, ss;
};

static inline bool user_mode(const struct pt_regs *regs)
{
	return (regs->cs & 3) != 0;
}

/* The user frame at the top of the kernel stack whose top is top. */
static inline struct pt_regs *stack_pt_regs(void *top)
{
	return (struct pt_regs *)top - 1;
}

/* Where kernel code starts on a stack: below the frame. */
static inline void *stack_kernel_top(void *top)
{
	return stack_pt_regs(top);
}

#define task_pt_regs(p)	  stack_pt_regs((p)->stack_top)
#define current_pt_regs() task_pt_regs(current)

#endif
