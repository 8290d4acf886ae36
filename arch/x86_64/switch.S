/*
 * switch.S - the context switch and a new task's first instructions.
 *
 * struct task *__switch_to(struct task *prev, struct task *next)
 *	pushes the callee-saved registers on prev's stack, saves the
 *	stack pointer in prev->sp (offset 0 of struct task), loads
 *	next->sp and pops next's registers. It returns into next, in the
 *	__switch_to() call where next once switched away, and returns
 *	prev there: the task that just left the CPU (kernel/sched/core.c
 *	finishes the switch with it). Everything else (flags, the other
 *	registers) is the C caller's business: it is a normal call.
 *
 * ret_from_kthread
 *	where a new task's stack (kernel/sched/task.c) makes __switch_to()
 *	return the first time: finish the switch, then run the task body.
 *	%rbp is 0, so backtraces end here.
 */
	.text
	.globl __switch_to
__switch_to:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq (%rsi), %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	movq %rdi, %rax
	ret

	.globl ret_from_kthread
ret_from_kthread:
	movq %rax, %rdi
	call schedule_tail
	call kthread_entry
	ud2
