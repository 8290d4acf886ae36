/*
 * entry.S - the 256 interrupt/exception entry stubs.
 *
 * Each stub makes the stack look the same (an error code, real or a
 * zero, then the vector number), and jumps to trap_common, which saves the
 * general registers as a struct pt_regs (asm/ptrace.h), calls
 * trap_dispatch(regs) and returns with iretq. The table trap_stubs[]
 * holds the stub addresses for idt_init().
 */
#include <asm/desc.h>

/* vectors for which the CPU pushes an error code */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || \
			(v) == 21 || (v) == 29 || (v) == 30)

	.text
	.p2align 4
trap_common:
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
	cld
	/* RFLAGS.AC is not cleared by an interrupt gate: close SMAP's
	 * window, or the handler could touch user memory unnoticed */
	testb $1, cpu_has_smap(%rip)
	jz 1f
	clac
1:	movq %rsp, %rdi
	/* a frame record so backtraces walk from the handler into the
	 * interrupted code: [rbp] = interrupted rbp, [rbp+8] = its rip */
	pushq 17*8(%rsp)		/* regs->rip */
	pushq 8*8+8(%rsp)		/* regs->rbp */
	movq %rsp, %rbp
	call trap_dispatch
	addq $16, %rsp
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
	addq $16, %rsp			/* vector, error code */
	iretq

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
