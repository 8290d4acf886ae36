// SPDX-License-Identifier: MIT
/*
 * traps.c - what happens after entry.S: exceptions and device interrupts.
 *
 * trap_dispatch() sends vectors >= 32 to the generic IRQ layer
 * (kernel/irq.c) and, on the way back to code that ran with interrupts
 * enabled, gives the scheduler its preemption point. An NMI after
 * smp_send_stop() (another CPU panicked) halts this CPU. An exception
 * is first looked up in the exception table (probe_write_u8 and friends
 * recover from expected faults); otherwise it
 * is reported with its name, error code, CR2, all registers and a
 * symbolized backtrace, handed to ktest if a test case caused it, and ends
 * in panic().
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/extable.h>
#include <asm/layout.h>
#include <asm/ptrace.h>
#include <asm/smap.h>
#include <keel/process.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/mm_user.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <keel/stacktrace.h>

static struct cpu_tables boot_cpu_tables;

static const char *const exception_names[32] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range exceeded",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack-segment fault",
	"general protection fault",
	"page fault",
	"reserved",
	"x87 floating-point error",
	"alignment check",
	"machine check",
	"SIMD floating-point error",
	"virtualization exception",
	"control protection",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"reserved",
	"hypervisor injection",
	"VMM communication",
	"security exception",
	"reserved",
};

#define PF_PRESENT 0x01
#define PF_WRITE   0x02
#define PF_USER	   0x04
#define PF_INSTR   0x10

extern const struct exception_table_entry __ex_table_start[];
extern const struct exception_table_entry __ex_table_end[];

static const struct exception_table_entry *search_exception_tables(u64 rip)
{
	const struct exception_table_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e;
	return NULL;
}

static bool fixup_exception(struct pt_regs *regs)
{
	const struct exception_table_entry *e =
		search_exception_tables(regs->rip);

	if (e)
		regs->rip = e->fixup;
	return e;
}

/*
 * A page fault on a user address that the process may take: from user
 * mode, or from a uaccess routine (its instruction is in the exception
 * table). Any other kernel access to user memory is a bug (and with
 * SMAP, a protection fault on a present page).
 */
static bool user_fault_allowed(const struct pt_regs *regs, unsigned long addr)
{
	if (addr >= TASK_SIZE_MAX || !current->mm)
		return false;
	if (user_mode(regs))
		return true;
	/* SMAP refused a kernel access outside stac/clac: never serve it */
	if (cpu_has_smap && !(regs->rflags & X86_EFLAGS_AC))
		return false;
	return search_exception_tables(regs->rip);
}

/* Demand paging: true if the fault was resolved (retry the access). */
static bool do_user_addr_fault(struct pt_regs *regs, unsigned long addr)
{
	u64 err = regs->error_code;

	if (!user_fault_allowed(regs, addr))
		return false;
	if (!(regs->rflags & X86_EFLAGS_IF))
		return false; /* cannot sleep for the mm lock here */
	local_irq_enable();
	return handle_mm_fault(current->mm, addr, err & PF_WRITE,
			       err & PF_INSTR) == 0;
}

/*
 * Linux's signal for each exception a program can cause, with its
 * si_code and si_addr.
 */
static int exception_signal(const struct pt_regs *regs, unsigned long addr,
			    int *code, void __user **uaddr)
{
	*uaddr = (void __user *)regs->rip;
	switch (regs->vector) {
	case 0: /* divide error */ *code = FPE_INTDIV; return SIGFPE;
	case 16: /* x87 */
	case 19: /* SIMD */ *code = FPE_FLTINV; return SIGFPE;
	case 6: *code = ILL_ILLOPN; return SIGILL;
	case 1: /* debug */
	case 3: /* int3 */ *code = SI_KERNEL; return SIGTRAP;
	case 14:
		*code = regs->error_code & PF_PRESENT ? SEGV_ACCERR :
							SEGV_MAPERR;
		*uaddr = (void __user *)addr;
		return SIGSEGV;
	default:
		*code = SI_KERNEL;
		*uaddr = NULL;
		return SIGSEGV;
	}
}

/*
 * An exception in user mode: its signal goes to the process (delivered
 * on the way out). Without a handler it ends the process, and the log
 * says so as Linux's does.
 */
static void user_exception(struct pt_regs *regs, unsigned long addr)
{
	struct task *p = current;
	unsigned int v = regs->vector;
	void __user *uaddr;
	int code, sig = exception_signal(regs, addr, &code, &uaddr);

	local_irq_enable();
	p->sig.fault_trapno = v;
	p->sig.fault_err = regs->error_code;
	if (force_sig_fault(sig, code, uaddr))
		return; /* a handler will run */
	if (v == 14)
		pr_info("%s[%d]: segfault at %lx ip %016llx sp %016llx error %llx\n",
			p->name, p->pid, addr, regs->rip, regs->rsp,
			regs->error_code);
	else
		pr_info("traps: %s[%d] %s ip:%llx sp:%llx error:%llx\n",
			p->name, p->pid, exception_names[v], regs->rip,
			regs->rsp, regs->error_code);
}

/* NMI, double fault and machine check are the machine's, not a program's. */
static bool program_exception(const struct pt_regs *regs)
{
	unsigned int v = regs->vector;

	return user_mode(regs) && v != 2 && v != 8 && v != 18;
}

void show_regs(const struct pt_regs *regs)
{
	pr_emerg("RIP: %04llx:%016llx %pS\n", regs->cs, regs->rip,
		 (void *)regs->rip);
	pr_emerg("RSP: %04llx:%016llx EFLAGS: %08llx\n", regs->ss, regs->rsp,
		 regs->rflags);
	pr_emerg("RAX: %016llx RBX: %016llx RCX: %016llx\n", regs->rax,
		 regs->rbx, regs->rcx);
	pr_emerg("RDX: %016llx RSI: %016llx RDI: %016llx\n", regs->rdx,
		 regs->rsi, regs->rdi);
	pr_emerg("RBP: %016llx R08: %016llx R09: %016llx\n", regs->rbp,
		 regs->r8, regs->r9);
	pr_emerg("R10: %016llx R11: %016llx R12: %016llx\n", regs->r10,
		 regs->r11, regs->r12);
	pr_emerg("R13: %016llx R14: %016llx R15: %016llx\n", regs->r13,
		 regs->r14, regs->r15);
	pr_emerg("CR0: %016llx CR2: %016llx CR3: %016llx CR4: %016llx\n",
		 read_cr0(), read_cr2(), read_cr3(), read_cr4());
}

static void report_page_fault(const struct pt_regs *regs)
{
	u64 err = regs->error_code;
	unsigned long addr = read_cr2();

	pr_emerg("BUG: %s %s at %016lx: %s %s in %s mode\n",
		 addr < 4096 ? "NULL pointer dereference," : "unable to handle",
		 err & PF_PRESENT ? "protection violation" : "page not present",
		 addr,
		 err & PF_INSTR ? "instruction fetch" :
		 err & PF_WRITE ? "write" :
				  "read",
		 err & PF_PRESENT ? "(page present)" : "(no page)",
		 err & PF_USER ? "user" : "kernel");
}

static void handle_exception(struct pt_regs *regs)
{
	unsigned int v = regs->vector;
	const char *name = exception_names[v];
	unsigned long addr = v == 14 ? read_cr2() : 0;

	if (v == 14 && do_user_addr_fault(regs, addr))
		return;
	if (program_exception(regs)) {
		user_exception(regs, addr);
		return;
	}
	if (fixup_exception(regs))
		return;
	if (v == 14)
		report_page_fault(regs);
	pr_emerg("%s: vector %u, error code %#llx\n", name, v,
		 regs->error_code);
	show_regs(regs);
	show_stack_fp(regs->rip, regs->rbp);
	ktest_fault_hook(name, regs); /* returns only outside a test */
	panic("Fatal exception: %s in %pS", name, (void *)regs->rip);
}

void trap_dispatch(struct pt_regs *regs)
{
	if (regs->vector == 2 && smp_stopping())
		machine_halt(); /* another CPU panicked */
	if (regs->vector < FIRST_EXTERNAL_VECTOR)
		handle_exception(regs);
	else
		irq_dispatch(regs->vector, regs);
	/* back to user mode: reschedule, signals (never from an NMI) */
	if (user_mode(regs) && regs->vector != 2 && regs->vector != 18) {
		exit_to_user_mode(regs);
		return;
	}
	if (regs->vector >= FIRST_EXTERNAL_VECTOR &&
	    (regs->rflags & X86_EFLAGS_IF))
		preempt_schedule_irq();
}

void trap_init(void)
{
	BUILD_BUG_ON(sizeof(struct pt_regs) != 22 * 8);
	cpu_data[0].arch = &boot_cpu_tables;
	cpu_tables_load(&boot_cpu_tables);
	cpu_setup_protections(); /* SMEP, SMAP, UMIP */
	fpu_init();		 /* x87/SSE for user programs */
	syscall_init();		 /* MSR_LSTAR and friends */
	idt_init();
	idt_load();
}

int probe_write_u8(void *addr, u8 val)
{
	int err = 0;

	__asm__ __volatile__("1:	movb %b2, (%1)\n"
			     "2:\n" EX_FIXUP_SET_ERR("1b", "2b", "%0", "%3")
			     : "+r"(err)
			     : "r"(addr), "q"(val), "i"(-EFAULT)
			     : "memory");
	return err;
}

int probe_read_u8(const void *addr, u8 *val)
{
	int err = 0;
	u8 v = 0;

	__asm__ __volatile__("1:	movb (%2), %b1\n"
			     "2:\n" EX_FIXUP_SET_ERR("1b", "2b", "%0", "%3")
			     : "+r"(err), "+q"(v)
			     : "r"(addr), "i"(-EFAULT)
			     : "memory");
	*val = v;
	return err;
}
