/*
 * setjmp.S - kernel_setjmp/kernel_longjmp: save and restore the
 * callee-saved registers, stack pointer and return address
 * (struct jmp_buf in keel/setjmp.h). longjmp makes setjmp return val
 * (1 if val is 0).
 */
	.text
	.globl kernel_setjmp
kernel_setjmp:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax	/* rsp after our return */
	movq %rax, 48(%rdi)
	movq (%rsp), %rax	/* return address */
	movq %rax, 56(%rdi)
	xorl %eax, %eax
	ret

	.globl kernel_longjmp
kernel_longjmp:
	movl %esi, %eax
	testl %eax, %eax
	jnz 1f
	incl %eax
1:	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq 48(%rdi), %rsp
	jmp *56(%rdi)
