// SPDX-License-Identifier: MIT
/*
 * process.c - the x86_64 side of user processes: the syscall MSRs, what
 * a context switch changes for user mode (the kernel stack the CPU and
 * the syscall entry switch to, the FS base), a new program's first
 * registers, and arch_prctl.
 *
 * Each task's user register frame sits at the top of its kernel stack
 * (asm/ptrace.h); TSS.rsp0 and this CPU's kernel_stack always point at
 * the top of current's stack, so a trap or syscall from user mode builds
 * the frame exactly there. The user's x87/SSE registers are saved in
 * task->fpu_state when a user task leaves the CPU and restored when one
 * comes back (eagerly: kernel code never touches them).
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/layout.h>
#include <asm/percpu_offsets.h>
#include <asm/ptrace.h>
#include <keel/errno.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/uaccess.h>

#define MSR_STAR	   0xc0000081
#define MSR_LSTAR	   0xc0000082
#define MSR_SYSCALL_MASK   0xc0000084
#define EFER_SCE	   (1UL << 0)
#define X86_CR0_MP	   (1UL << 1)
#define X86_CR0_EM	   (1UL << 2)
#define X86_CR0_TS	   (1UL << 3)
#define X86_CR4_OSFXSR	   (1UL << 9)
#define X86_CR4_OSXMMEXCPT (1UL << 10)

/* rflags bits syscall clears (Linux's mask: interrupts, AC, DF, TF...) */
#define SYSCALL_MASK 0x257fd5UL

#define ARCH_SET_GS 0x1001
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#define ARCH_GET_GS 0x1004

extern char entry_SYSCALL_64[];

/*
 * This CPU's syscall entry: LSTAR, STAR (kernel CS 0x08 for syscall;
 * 0x13 so that sysret would load SS 0x1b and CS 0x23), the flag mask,
 * EFER.SCE; the user GS base (swapped in on return) is 0.
 */
void syscall_init(void)
{
	BUILD_BUG_ON(offsetof(struct cpu, user_rsp) != CPU_user_rsp);
	BUILD_BUG_ON(offsetof(struct cpu, kernel_stack) != CPU_kernel_stack);
	wrmsr(MSR_STAR, (0x13ULL << 48) | ((u64)KERNEL_CS << 32));
	wrmsr(MSR_LSTAR, (u64)entry_SYSCALL_64);
	wrmsr(MSR_SYSCALL_MASK, SYSCALL_MASK);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

/* Point the CPU's user-mode entries at the top of p's kernel stack. */
static void load_kernel_stack(struct task *p)
{
	struct cpu_tables *t = this_cpu()->arch;

	t->tss.rsp[0] = (u64)p->stack_top;
	this_cpu_write(kernel_stack, (unsigned long)p->stack_top);
}

#define FXSAVE_SIZE 512
/* fxsave's area in p->fpu_state: 16-aligned (struct task is 8-aligned) */
#define task_fpu(p) ((void *)ALIGN_UP((unsigned long)(p)->fpu_state, 16))

static void fxsave(void *area)
{
	__asm__ __volatile__("fxsaveq (%0)" : : "r"(area) : "memory");
}

static void fxrstor(const void *area)
{
	__asm__ __volatile__("fxrstorq (%0)" : : "r"(area) : "memory");
}

/*
 * x87 and SSE for user programs: CR0.MP on, EM and TS off, CR4.OSFXSR
 * and OSXMMEXCPT on. (OSXSAVE stays off, so CPUID tells programs there
 * is no AVX state to use: fxsave covers all they may touch.)
 */
void fpu_init(void)
{
	write_cr0((read_cr0() | X86_CR0_MP) & ~(X86_CR0_EM | X86_CR0_TS));
	write_cr4(read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	__asm__ __volatile__("fninit");
}

/* A program's first FPU state: as after fninit, MXCSR's default. */
static void fpu_reset(void *area)
{
	memset(area, 0, FXSAVE_SIZE);
	*(u16 *)area = 0x37f;		      /* FCW */
	*(u32 *)((char *)area + 24) = 0x1f80; /* MXCSR */
}

void fpu_copy_current(struct task *child)
{
	fxsave(task_fpu(child));
}

/* MXCSR bits fxrstor accepts (fxsave's MXCSR_MASK; 0 means 0xffbf). */
static u32 mxcsr_mask;

void fpu_save_user(void *buf)
{
	u8 tmp[FXSAVE_SIZE] __aligned(16);

	fxsave(tmp);
	memcpy(buf, tmp, 464); /* the rest is software's (left zero) */
}

/* Load area into the task's saved state and the registers, atomically. */
static void fpu_load_current(const void *area)
{
	unsigned long flags = local_irq_save(); /* no switch in between */

	memcpy(task_fpu(current), area, FXSAVE_SIZE);
	fxrstor(task_fpu(current));
	local_irq_restore(flags);
}

void fpu_restore_user(const void *buf)
{
	u8 tmp[FXSAVE_SIZE] __aligned(16);
	u32 mxcsr;

	if (!mxcsr_mask) {
		u8 probe[FXSAVE_SIZE] __aligned(16);

		memset(probe, 0, sizeof(probe));
		fxsave(probe);
		memcpy(&mxcsr_mask, probe + 28, 4);
		if (!mxcsr_mask)
			mxcsr_mask = 0xffbf;
	}
	memcpy(tmp, buf, FXSAVE_SIZE);
	memcpy(&mxcsr, tmp + 24, 4);
	mxcsr &= mxcsr_mask; /* a reserved bit would fault in fxrstor */
	memcpy(tmp + 24, &mxcsr, 4);
	fpu_load_current(tmp);
}

void fpu_reset_user(void)
{
	u8 tmp[FXSAVE_SIZE] __aligned(16);

	fpu_reset(tmp);
	fpu_load_current(tmp);
}

void arch_switch_to(struct task *prev, struct task *next)
{
	if (prev->mm)
		fxsave(task_fpu(prev));
	if (next->mm)
		fxrstor(task_fpu(next));
	load_kernel_stack(next);
	if (prev->fsbase != next->fsbase)
		wrmsr(MSR_FS_BASE, next->fsbase);
}

void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp)
{
	memset(regs, 0, sizeof(*regs));
	regs->rip = ip;
	regs->rsp = sp;
	regs->cs = USER_CS;
	regs->ss = USER_DS;
	regs->rflags = X86_EFLAGS_IF | 0x2; /* bit 1 is always set */
	current->fsbase = 0;
	wrmsr(MSR_FS_BASE, 0);
	fpu_reset(task_fpu(current));
	fxrstor(task_fpu(current)); /* execve returns by syscall exit */
}

void __noreturn enter_user_mode(void)
{
	exit_to_user_mode(current_pt_regs()); /* returns with irqs off */
	load_kernel_stack(current);
	fxrstor(task_fpu(current));
	ret_to_user_mode(current_pt_regs());
}

SYSCALL_DEFINE2(arch_prctl, int, option, unsigned long, addr)
{
	switch (option) {
	case ARCH_SET_FS:
		if (addr >= TASK_SIZE_MAX)
			return -EPERM;
		current->fsbase = addr;
		wrmsr(MSR_FS_BASE, addr);
		return 0;
	case ARCH_GET_FS:
		return put_user(current->fsbase, (unsigned long __user *)addr);
	case ARCH_GET_GS: return put_user(0UL, (unsigned long __user *)addr);
	case ARCH_SET_GS: /* TODO: per-task GS base (swapped on switch) */
	default: return -EINVAL;
	}
}
