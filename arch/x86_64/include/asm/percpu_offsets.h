/* SPDX-License-Identifier: MIT */
/*
 * asm/percpu_offsets.h - offsets in struct cpu (keel/percpu.h) that the
 * syscall entry (entry.S) reaches through %gs before it has a stack.
 * arch/x86_64/process.c checks them against offsetof at build time.
 */
#ifndef _ASM_PERCPU_OFFSETS_H
#define _ASM_PERCPU_OFFSETS_H

#define CPU_user_rsp	 120
#define CPU_kernel_stack 128

#endif
