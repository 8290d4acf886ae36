/*
 * stack_switch.S - call_on_stack(top, fn): run fn on another stack.
 *
 * Used once at boot to leave the boot stack (in bss, no guard page) for
 * a kstack_alloc() stack. %rbp is cleared so backtraces end at fn; fn
 * must not return (a ud2 catches it if it does).
 */
	.text
	.globl call_on_stack
call_on_stack:
	movq %rdi, %rsp
	xorl %ebp, %ebp
	call *%rsi
	ud2
