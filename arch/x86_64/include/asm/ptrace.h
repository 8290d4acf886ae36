/* SPDX-License-Identifier: MIT */
/* asm/ptrace.h - the register frame entry.S builds for every trap. */
#ifndef _ASM_PTRACE_H
#define _ASM_PTRACE_H

#include <keel/types.h>

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

#endif
