/*
 * policy_guard.S - a recovery point around one scheduling-policy callback
 * (kernel/sched/watchdog.h, docs/scheduler.md "The watchdog and
 * abandonment").
 *
 * policy_guard_enter is called only from the inline asm in
 * policy_guarded(), with its own convention:
 *	%rax	the callback, called with its arguments in
 *	%rdi, %rsi, %rdx, %rcx (untouched),
 *	%r11	the struct policy_guard (its first word gets the stack
 *		pointer, so that an unwind can come back here),
 *	%r10	the top of the stack to call it on (this CPU's policy
 *		stack), or 0: stay on this one (a nested call).
 * It returns the callback's %rax, and %rdx = 0. The inline asm declares
 * every register but %rbp and %rsp clobbered, so nothing else needs
 * saving here: the compiler keeps what it needs around the call.
 *
 * void policy_guard_unwind(struct policy_guard *g)
 *	called from inside the callback (the panic path) makes that
 *	policy_guard_enter return %rax = 0, %rdx = 1 instead, back on
 *	the caller's stack. The callback's frames are on the policy
 *	stack: never returned to, and (sched_policy_panic_hook() parks
 *	that stack) never overwritten, so no destructor of theirs is
 *	skipped while their memory is reused.
 *
 * This is setjmp/longjmp folded into the call, with the register saving
 * left to the compiler: 10 instructions on the normal path.
 *
 * The CFI lets a debugger unwind from the callback (on the policy
 * stack) into the scheduler core that called it: after the prologue the
 * CFA is %rbp + 16, whichever stack %rsp is on.
 */
	.cfi_sections .debug_frame
	.text
	.globl policy_guard_enter
	.type policy_guard_enter, @function
policy_guard_enter:
	.cfi_startproc
	.cfi_signal_frame
	pushq %rbp
	.cfi_def_cfa_offset 16
	.cfi_offset %rbp, -16
	movq %rsp, %rbp
	.cfi_def_cfa_register %rbp
	movq %rsp, 0(%r11)	/* g->rsp */
	testq %r10, %r10
	cmovnzq %r10, %rsp	/* the policy stack, unless nested */
	andq $-16, %rsp		/* the ABI's alignment at the call */
	call *%rax
	xorl %edx, %edx		/* returned normally */
	leave			/* back on the caller's stack */
	.cfi_def_cfa %rsp, 8
	ret
	.cfi_endproc
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
