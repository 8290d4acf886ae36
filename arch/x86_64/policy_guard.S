/*
 * policy_guard.S - a recovery point around one scheduling-policy callback
 * (kernel/sched/watchdog.h, docs/scheduler.md "The watchdog").
 *
 * struct guard_ret policy_guard_call(struct policy_guard *g,
 *				      void (*fn)(void), unsigned long a,
 *				      unsigned long b, unsigned long c)
 *	calls fn(a, b, c) and returns { fn's %rax, 0 } in %rax:%rdx. On
 *	entry it pushes the callee-saved registers and stores the stack
 *	pointer in g->rsp (offset 0), so that
 *
 * void policy_guard_unwind(struct policy_guard *g)
 *	called anywhere deeper on the same stack (the panic path, from
 *	inside fn) makes that policy_guard_call return { 0, 1 } instead:
 *	the frames in between are dropped, never returned to.
 *
 * This is setjmp/longjmp folded into the call: no return-twice C
 * function, and the normal path costs 7 pushes, 7 pops and one store.
 */
	.text
	.globl policy_guard_call
	.type policy_guard_call, @function
policy_guard_call:
	pushq %rbp
	movq %rsp, %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	subq $8, %rsp		/* 16-byte aligned at the call */
	movq %rsp, 0(%rdi)	/* g->rsp */
	movq %rsi, %rax
	movq %rdx, %rdi
	movq %rcx, %rsi
	movq %r8, %rdx
	call *%rax
	xorl %edx, %edx		/* returned normally */
.Lguard_out:
	addq $8, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret
	.size policy_guard_call, . - policy_guard_call

	.globl policy_guard_unwind
	.type policy_guard_unwind, @function
policy_guard_unwind:
	movq 0(%rdi), %rsp
	xorl %eax, %eax
	movl $1, %edx		/* the callback did not return */
	jmp .Lguard_out
	.size policy_guard_unwind, . - policy_guard_unwind
