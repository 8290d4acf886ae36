/* SPDX-License-Identifier: MIT */
/*
 * keel/setjmp.h - non-local return for the test runner: a failed ASSERT,
 * a fault or a panic inside a test case jumps back to the runner.
 */
#ifndef _KEEL_SETJMP_H
#define _KEEL_SETJMP_H

#include <keel/compiler.h>

struct jmp_buf {
	unsigned long rbx, rbp, r12, r13, r14, r15, rsp, rip;
};

int kernel_setjmp(struct jmp_buf *jb) __attribute__((returns_twice));
void kernel_longjmp(struct jmp_buf *jb, int val) __noreturn;

#endif
