// SPDX-License-Identifier: MIT
/*
 * syscall.c - the C half of the system-call entry (arch/x86_64/entry.S):
 * look the number up in sys_call_table (generated from
 * arch/x86_64/syscall_64.tbl), call it with interrupts on, put the
 * result in rax, do the work before user mode (exit_to_user_mode:
 * rescheduling, signals, restarts), and say whether the fast way back
 * (sysretq) is safe for this frame.
 *
 * A number without an entry point returns -ENOSYS and logs, once per
 * number, "keel: unimplemented syscall N (name) from PID comm" — the
 * list of what a program still needs.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/layout.h>
#include <keel/atomic.h>
#include <keel/errno.h>
#include <keel/preempt.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/syscalls.h>

#define X86_EFLAGS_TF (1UL << 8)
#define X86_EFLAGS_RF (1UL << 16)

#define NR_LOGGED 1024 /* numbers tracked for the once-only log line */

static unsigned long logged[NR_LOGGED / 64];
static unsigned long logged_out_of_range;

/* True the first time for nr (any CPU). */
static bool first_report(unsigned long nr)
{
	unsigned long *word = nr < NR_LOGGED ? &logged[nr / 64] :
					       &logged_out_of_range;
	unsigned long bit = 1UL << (nr < NR_LOGGED ? nr % 64 : 0);

	return !(__atomic_fetch_or(word, bit, __ATOMIC_RELAXED) & bit);
}

static long sys_ni_syscall(unsigned long nr)
{
	const char *name = nr < nr_syscalls && sys_call_names[nr] ?
				   sys_call_names[nr] :
				   "?";

	if (first_report(nr))
		pr_info("keel: unimplemented syscall %lu (%s) from %d %s\n", nr,
			name, current->pid, current->name);
	return -ENOSYS;
}

/* May the frame go back by sysretq (it restores only rip and rflags)? */
static bool syscall_can_sysret(const struct pt_regs *regs)
{
	return regs->rcx == regs->rip && regs->r11 == regs->rflags &&
	       regs->cs == USER_CS && regs->ss == USER_DS &&
	       regs->rip < TASK_SIZE_MAX &&
	       !(regs->rflags & (X86_EFLAGS_TF | X86_EFLAGS_RF));
}

bool do_syscall_64(struct pt_regs *regs)
{
	/*
	 * The number is rax's low 32 bits, as Linux decodes it (a signed
	 * int compared unsigned: negative numbers are out of range); -1
	 * is -ENOSYS without a log line (Linux's "no system call").
	 */
	int nr = (int)regs->error_code;
	unsigned int unr = nr;

	local_irq_enable();
	if (unr < nr_syscalls && sys_call_table[unr])
		regs->rax = sys_call_table[unr](regs);
	else if (nr != -1)
		regs->rax = sys_ni_syscall(unr);
	else
		regs->rax = -ENOSYS;
	exit_to_user_mode(regs);
	return syscall_can_sysret(regs);
}
