/*
 * entry.S - the 256 interrupt/exception entry stubs, the system-call
 * entry, and the way back to user mode.
 *
 * Each stub makes the stack look the same (an error code, real or a
 * zero, then the vector number), and jumps to trap_common, which saves the
 * general registers as a struct pt_regs (asm/ptrace.h), calls
 * trap_dispatch(regs) and returns with iretq. The table trap_stubs[]
 * holds the stub addresses for idt_init().
 *
 * GS: in the kernel the GS base points at this CPU's struct cpu; in user
 * mode it is the program's (0). Entries from user mode (CS & 3) and the
 * syscall entry do swapgs first; every return to user mode does swapgs
 * last, with interrupts off in between. (An NMI in those few
 * instructions would see the wrong GS; keel's only NMI is the panic
 * stop, which halts. TODO: a paranoid NMI entry that reads the MSR.)
 *
 * entry_SYSCALL_64 is MSR_LSTAR's target (process.c). syscall leaves the
 * user rip in rcx and rflags in r11, masks rflags with MSR_SYSCALL_MASK
 * (interrupts off) and does not switch stacks: the entry parks the user
 * rsp in this CPU's struct cpu, takes current's kernel stack top from
 * it, and builds the same struct pt_regs a trap from user mode would
 * (vector SYSCALL_VECTOR_MARK, error_code = the call number), then calls
 * do_syscall_64(regs). The way out is sysretq when do_syscall_64 says
 * the frame allows it (rcx/r11 still equal rip/rflags, the user
 * selectors, a canonical user rip: sysretq to a non-canonical one would
 * fault in ring 0), else iretq (after exec, or a frame the call
 * changed).
 */
#include <asm/desc.h>
#include <asm/percpu_offsets.h>

/* vectors for which the CPU pushes an error code */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			(v) == 21 || (v) == 29 || (v) == 30)

/* The general registers of struct pt_regs (asm/ptrace.h), r15 lowest. */
	.macro PUSH_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	.endm

	.macro POP_REGS
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	.endm

	.text
	.p2align 4
trap_common:
	testb $3, 24(%rsp)		/* regs->cs: from user mode? */
	jz 1f
	swapgs
1:	PUSH_REGS
	cld
	/* RFLAGS.AC is not cleared by an interrupt gate: close SMAP's
	 * window, or the handler could touch user memory unnoticed */
	testb $1, cpu_has_smap(%rip)
	jz 2f
	clac
2:	movq %rsp, %rdi
	/* a frame record so backtraces walk from the handler into the
	 * interrupted code: [rbp] = interrupted rbp, [rbp+8] = its rip */
	pushq 17*8(%rsp)		/* regs->rip */
	pushq 8*8+8(%rsp)		/* regs->rbp */
	movq %rsp, %rbp
	call trap_dispatch
	addq $16, %rsp
	jmp restore_regs_and_iret

/*
 * void ret_to_user_mode(struct pt_regs *regs): leave the kernel for the
 * user context in regs (the top of current's kernel stack: exec, a new
 * process's first run). Never returns.
 */
	.globl ret_to_user_mode
ret_to_user_mode:
	movq %rdi, %rsp
	/* fall through */

restore_regs_and_iret:
	cli
	POP_REGS
	addq $16, %rsp			/* vector, error code */
	testb $3, 8(%rsp)		/* back to user mode? */
	jz 3f
	swapgs
3:	iretq

	.globl entry_SYSCALL_64
entry_SYSCALL_64:
	swapgs
	movq %rsp, %gs:CPU_user_rsp
	movq %gs:CPU_kernel_stack, %rsp
	pushq $USER_DS			/* ss */
	pushq %gs:CPU_user_rsp		/* rsp */
	pushq %r11			/* rflags */
	pushq $USER_CS			/* cs */
	pushq %rcx			/* rip */
	pushq %rax			/* error_code: the call number */
	pushq $-1			/* vector: SYSCALL_VECTOR_MARK */
	PUSH_REGS
	cld
	movq %rsp, %rdi
	pushq 17*8(%rsp)		/* frame record, as trap_common */
	pushq 8*8+8(%rsp)
	movq %rsp, %rbp
	call do_syscall_64		/* true: sysretq may return */
	addq $16, %rsp
	testb %al, %al
	jz restore_regs_and_iret
	cli
	POP_REGS			/* r11 == regs->rflags, rcx == regs->rip */
	movq 5*8(%rsp), %rsp		/* regs->rsp, past vector..ss */
	swapgs
	sysretq

	.altmacro
	.macro trap_stub v
	.p2align 3
trap_stub_\v:
	.if !(HAS_ERRCODE(\v))
	pushq $0
	.endif
	pushq $\v
	jmp trap_common
	.endm

	.set v, 0
	.rept NR_VECTORS
	trap_stub %v
	.set v, v + 1
	.endr

	.macro stub_addr v
	.quad trap_stub_\v
	.endm

	.section .rodata
	.p2align 3
	.globl trap_stubs
trap_stubs:
	.set v, 0
	.rept NR_VECTORS
	stub_addr %v
	.set v, v + 1
	.endr
