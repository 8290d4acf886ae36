// SPDX-License-Identifier: MIT
/*
 * signal.c - the x86_64 side of signals: the user frame a handler runs
 * on (asm/sigframe.h, Linux's layout), rt_sigreturn, and the restart of
 * an interrupted system call.
 *
 * The frame goes below the interrupted stack pointer and its 128-byte
 * red zone, or at the top of the alternate stack (SA_ONSTACK, when not
 * already on it): first the FPU state (fxsave, 64-byte aligned), then
 * struct rt_sigframe placed so that the handler starts as if called
 * (rsp + 8 16-byte aligned). rdi = signo, rsi = &info, rdx = &uc, the
 * handler's return address is sa_restorer (required, as on Linux).
 *
 * rt_sigreturn trusts nothing in the frame: the selectors are the user
 * ones whatever it says, rflags keeps only the flags a program may set
 * (interrupts stay on), a non-canonical rip or rsp, an unreadable frame
 * or FPU area, is SIGSEGV. A kernel rip is left alone: the program
 * faults at it in user mode.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/ptrace.h>
#include <asm/sigframe.h>
#include <keel/errno.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/uaccess.h>

#define X86_EFLAGS_CF  0x00000001UL
#define X86_EFLAGS_PF  0x00000004UL
#define X86_EFLAGS_AF  0x00000010UL
#define X86_EFLAGS_ZF  0x00000040UL
#define X86_EFLAGS_SF  0x00000080UL
#define X86_EFLAGS_TF  0x00000100UL
#define X86_EFLAGS_DF  0x00000400UL
#define X86_EFLAGS_OF  0x00000800UL
#define X86_EFLAGS_RF  0x00010000UL
#define X86_EFLAGS_AC_ 0x00040000UL

/* What sigreturn takes from the frame's rflags (Linux's FIX_EFLAGS). */
#define FIX_EFLAGS                                                        \
	(X86_EFLAGS_AC_ | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | \
	 X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF |  \
	 X86_EFLAGS_CF | X86_EFLAGS_RF)

#define NR_restart_syscall 219

static bool canonical(u64 a)
{
	return (u64)((s64)(a << 16) >> 16) == a;
}

unsigned long sigframe_place(unsigned long sp, unsigned long *fx)
{
	sp = (sp - FXSAVE_SIZE) & ~63UL;
	*fx = sp;
	sp -= sizeof(struct rt_sigframe);
	return ((sp + 8) & ~15UL) - 8; /* as if called: rsp + 8 aligned */
}

/* Where the frame goes; ~0UL when it cannot (altstack overflow). */
static unsigned long get_sigframe(struct ksignal *ksig, struct pt_regs *regs,
				  unsigned long *fx)
{
	unsigned long sp = regs->rsp - 128; /* the red zone */
	bool nested = on_sig_stack(regs->rsp), entering = false;

	if ((ksig->ka.sa.sa_flags & SA_ONSTACK) && sas_ss_flags(sp) == 0) {
		sp = current->sig.sas_ss_sp + current->sig.sas_ss_size;
		entering = true;
	}
	sp = sigframe_place(sp, fx);
	if ((nested || entering) && !__on_sig_stack(sp))
		return ~0UL; /* would overflow the alternate stack */
	return sp;
}

static int setup_rt_frame(struct ksignal *ksig, struct pt_regs *regs)
{
	struct task_signal *s = &current->sig;
	struct rt_sigframe __user *frame;
	struct sigcontext_64 *sc;
	u8 fxbuf[FXSAVE_SIZE] __aligned(16);
	struct rt_sigframe k;
	unsigned long sp, fx;

	if (!(ksig->ka.sa.sa_flags & SA_RESTORER))
		return -EFAULT; /* x86_64 programs always give one */
	sp = get_sigframe(ksig, regs, &fx);
	if (sp == ~0UL || !access_ok((void __user *)sp, sizeof(k)))
		return -EFAULT;
	frame = (struct rt_sigframe __user *)sp;

	memset(fxbuf, 0, sizeof(fxbuf));
	fpu_save_user(fxbuf);
	if (copy_to_user((void __user *)fx, fxbuf, sizeof(fxbuf)))
		return -EFAULT;

	memset(&k, 0, sizeof(k));
	k.pretcode = (u64)ksig->ka.sa.sa_restorer;
	k.uc.uc_flags = UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS;
	k.uc.uc_stack.ss_sp = (void __user *)s->sas_ss_sp;
	k.uc.uc_stack.ss_flags = sas_ss_flags(regs->rsp) | (int)s->sas_ss_flags;
	k.uc.uc_stack.ss_size = s->sas_ss_size;
	sc = &k.uc.uc_mcontext;
	sc->r8 = regs->r8;
	sc->r9 = regs->r9;
	sc->r10 = regs->r10;
	sc->r11 = regs->r11;
	sc->r12 = regs->r12;
	sc->r13 = regs->r13;
	sc->r14 = regs->r14;
	sc->r15 = regs->r15;
	sc->di = regs->rdi;
	sc->si = regs->rsi;
	sc->bp = regs->rbp;
	sc->bx = regs->rbx;
	sc->dx = regs->rdx;
	sc->ax = regs->rax;
	sc->cx = regs->rcx;
	sc->sp = regs->rsp;
	sc->ip = regs->rip;
	sc->flags = regs->rflags;
	sc->cs = regs->cs;
	sc->ss = regs->ss;
	sc->fpstate = fx;
	sc->oldmask = sigmask_to_save()->sig[0];
	if (ksig->info.si_code > 0 && ksig->info.si_code < SI_KERNEL &&
	    (ksig->sig == SIGSEGV || ksig->sig == SIGBUS ||
	     ksig->sig == SIGILL || ksig->sig == SIGFPE)) {
		sc->trapno = s->fault_trapno;
		sc->err = s->fault_err;
		sc->cr2 = (u64)ksig->info.si_addr;
	}
	k.uc.uc_sigmask = *sigmask_to_save();
	if (ksig->ka.sa.sa_flags & SA_SIGINFO)
		memcpy(k.info, &ksig->info, sizeof(ksig->info));
	if (copy_to_user(frame, &k, sizeof(k)))
		return -EFAULT;
	/* SS_AUTODISARM: the handler's stack is forgotten while it runs */
	if (s->sas_ss_flags & SS_AUTODISARM) {
		s->sas_ss_sp = 0;
		s->sas_ss_size = 0;
	}

	regs->rdi = ksig->sig;
	regs->rax = 0;
	regs->rsi = (u64)&frame->info;
	regs->rdx = (u64)&frame->uc;
	regs->rip = (u64)ksig->ka.sa.sa_handler;
	regs->rsp = sp;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags &= ~(X86_EFLAGS_DF | X86_EFLAGS_RF | X86_EFLAGS_TF);
	fpu_reset_user(); /* the handler starts with a clean FPU */
	return 0;
}

static bool in_syscall(const struct pt_regs *regs)
{
	return regs->vector == SYSCALL_VECTOR_MARK &&
	       (long)regs->error_code >= 0;
}

static void handle_signal(struct ksignal *ksig, struct pt_regs *regs)
{
	bool failed;

	if (in_syscall(regs)) {
		switch ((long)regs->rax) {
		case -ERESTART_RESTARTBLOCK:
		case -ERESTARTNOHAND: regs->rax = -EINTR; break;
		case -ERESTARTSYS:
			if (!(ksig->ka.sa.sa_flags & SA_RESTART)) {
				regs->rax = -EINTR;
				break;
			}
			__attribute__((__fallthrough__));
		case -ERESTARTNOINTR:
			regs->rax = regs->error_code;
			regs->rip -= 2; /* the syscall instruction again */
			break;
		}
		regs->error_code = -1UL; /* no second restart */
	}
	failed = setup_rt_frame(ksig, regs) != 0;
	signal_setup_done(failed, ksig);
}

void arch_do_signal_or_restart(struct pt_regs *regs, bool has_signal)
{
	struct ksignal ksig;

	if (has_signal && get_signal(&ksig)) {
		handle_signal(&ksig, regs);
		return;
	}
	/* no handler ran: a restartable call restarts */
	if (in_syscall(regs)) {
		switch ((long)regs->rax) {
		case -ERESTARTNOHAND:
		case -ERESTARTSYS:
		case -ERESTARTNOINTR:
			regs->rax = regs->error_code;
			regs->rip -= 2;
			break;
		case -ERESTART_RESTARTBLOCK:
			regs->rax = NR_restart_syscall;
			regs->rip -= 2;
			break;
		}
	}
}

static int restore_sigcontext(struct pt_regs *regs,
			      const struct sigcontext_64 *sc)
{
	u8 fxbuf[FXSAVE_SIZE] __aligned(16);

	if (!canonical(sc->ip) || !canonical(sc->sp))
		return -EFAULT;
	regs->r8 = sc->r8;
	regs->r9 = sc->r9;
	regs->r10 = sc->r10;
	regs->r11 = sc->r11;
	regs->r12 = sc->r12;
	regs->r13 = sc->r13;
	regs->r14 = sc->r14;
	regs->r15 = sc->r15;
	regs->rdi = sc->di;
	regs->rsi = sc->si;
	regs->rbp = sc->bp;
	regs->rbx = sc->bx;
	regs->rdx = sc->dx;
	regs->rax = sc->ax;
	regs->rcx = sc->cx;
	regs->rsp = sc->sp;
	regs->rip = sc->ip;
	regs->rflags = (regs->rflags & ~FIX_EFLAGS) | (sc->flags & FIX_EFLAGS) |
		       X86_EFLAGS_IF | 0x2;
	regs->cs = USER_CS; /* whatever the frame says */
	regs->ss = USER_DS;
	regs->error_code = -1UL; /* not a system call to restart */
	if (!sc->fpstate) {
		fpu_reset_user();
		return 0;
	}
	if (copy_from_user(fxbuf, (const void __user *)sc->fpstate,
			   sizeof(fxbuf)))
		return -EFAULT;
	fpu_restore_user(fxbuf);
	return 0;
}

SYSCALL_DEFINE0(rt_sigreturn)
{
	struct pt_regs *regs = current_pt_regs();
	struct rt_sigframe __user *frame =
		(struct rt_sigframe __user *)(regs->rsp - 8);
	struct ucontext uc;

	if (copy_from_user(&uc, &frame->uc, sizeof(uc)))
		goto badframe;
	set_current_blocked(&uc.uc_sigmask);
	if (restore_sigcontext(regs, &uc.uc_mcontext))
		goto badframe;
	restore_altstack(&frame->uc.uc_stack);
	return regs->rax;

badframe:
	pr_info("%s[%d] bad frame in rt_sigreturn frame:%p ip:%llx sp:%llx\n",
		current->name, current->pid, frame, regs->rip, regs->rsp);
	force_sigsegv(SIGSEGV);
	return 0;
}
