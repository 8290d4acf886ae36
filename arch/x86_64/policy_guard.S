/*
 * policy_guard.S - a recovery point around one scheduling-policy callback
 * (kernel/sched/watchdog.h, docs/scheduler.md "The watchdog").
 *
 * policy_guard_enter is called only from the inline asm in
 * policy_guarded(), with its own convention:
 *	%rax	the callback, called with its arguments in
 *	%rdi, %rsi, %rdx, %rcx (untouched),
 *	%r11	the struct policy_guard (its first word gets the stack
 *		pointer, so that an unwind can come back here).
 * It returns the callback's %rax, and %rdx = 0. The inline asm declares
 * every register but %rbp and %rsp clobbered, so nothing else needs
 * saving here: the compiler keeps what it needs around the call.
 *
 * void policy_guard_unwind(struct policy_guard *g)
 *	called anywhere deeper on the same stack (the panic path, from
 *	inside the callback) makes that policy_guard_enter return
 *	%rax = 0, %rdx = 1 instead: the frames in between are dropped,
 *	never returned to.
 *
 * This is setjmp/longjmp folded into the call, with the register saving
 * left to the compiler: 8 instructions on the normal path.
 */
	.text
	.globl policy_guard_enter
	.type policy_guard_enter, @function
policy_guard_enter:
	pushq %rbp
	movq %rsp, %rbp
	movq %rsp, 0(%r11)	/* g->rsp */
	andq $-16, %rsp		/* the ABI's alignment at the call */
	call *%rax
	xorl %edx, %edx		/* returned normally */
	leave
	ret
	.size policy_guard_enter, . - policy_guard_enter

	.globl policy_guard_unwind
	.type policy_guard_unwind, @function
policy_guard_unwind:
	movq 0(%rdi), %rsp
	xorl %eax, %eax
	movl $1, %edx		/* the callback did not return */
	popq %rbp
	ret
	.size policy_guard_unwind, . - policy_guard_unwind
