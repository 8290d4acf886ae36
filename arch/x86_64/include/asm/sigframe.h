/* SPDX-License-Identifier: MIT */
/*
 * asm/sigframe.h - the user signal frame, exactly as Linux x86_64
 * builds it (struct rt_sigframe: arch/x86_64/signal.c; the offsets are
 * checked against Linux's numbers by the sigframe ktest).
 *
 * On the user stack, from the frame's address up: the return address
 * the handler's ret pops (sa_restorer, which calls rt_sigreturn), the
 * ucontext (flags, link, the sigaltstack, the registers as struct
 * sigcontext, the signal mask to restore), the siginfo. The FPU state
 * (fxsave's 512 bytes, 64-byte aligned) lies above, pointed to by
 * uc_mcontext.fpstate.
 */
#ifndef _ASM_SIGFRAME_H
#define _ASM_SIGFRAME_H

#include <keel/signal.h>
#include <keel/types.h>

/* uc_flags */
#define UC_FP_XSTATE	     0x1
#define UC_SIGCONTEXT_SS     0x2
#define UC_STRICT_RESTORE_SS 0x4

/* Linux's struct sigcontext (64-bit), 256 bytes. */
struct sigcontext_64 {
	u64 r8, r9, r10, r11, r12, r13, r14, r15;
	u64 di, si, bp, bx, dx, ax, cx, sp, ip;
	u64 flags;
	u16 cs, gs, fs, ss;
	u64 err, trapno, oldmask, cr2;
	u64 fpstate; /* user address of the fxsave area, or 0 */
	u64 reserved1[8];
};

struct ucontext {
	unsigned long uc_flags;
	u64 uc_link;
	stack_t uc_stack;
	struct sigcontext_64 uc_mcontext;
	sigset_t uc_sigmask;
};

struct rt_sigframe {
	u64 pretcode;
	struct ucontext uc;
	u8 info[SI_MAX_SIZE]; /* siginfo_t */
};

#define FXSAVE_SIZE 512

/*
 * Below stack address sp (the red zone already skipped): where the
 * fxsave area (*fx, 64-aligned) and the rt_sigframe (returned; +8 is
 * 16-aligned) go.
 */
unsigned long sigframe_place(unsigned long sp, unsigned long *fx);

#endif
