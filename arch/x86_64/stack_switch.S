/*
 * stack_switch.S - call_on_stack(top, fn): run fn on another stack.
 *
 * Used once at boot to leave the boot stack (in bss, no guard page) for
 * a kstack_alloc() stack. %rbp is cleared so the kernel's own
 * frame-pointer backtraces end at fn; fn must not return (a ud2 catches
 * it if it does).
 *
 * A debugger unwinds by the CFI below instead, and goes on into the
 * caller: the old %rsp and %rbp are pushed on the new stack, and the
 * CFA (the caller's %rsp before its call, plus 8) is computed from the
 * saved %rsp with a DWARF expression, since no register holds it.
 * Two pushes keep the new stack 16-byte aligned at the call.
 */
#define DW_CFA_def_cfa_expression	0x0f
#define DW_CFA_expression		0x10
#define DW_OP_breg7			0x77	/* %rsp + offset */
#define DW_OP_deref			0x06
#define DW_OP_plus_uconst		0x23
#define DWARF_RBP			6

	.cfi_sections .debug_frame
	.text
	.globl call_on_stack
	.type call_on_stack, @function
call_on_stack:
	.cfi_startproc
	movq %rsp, %rax
	movq %rdi, %rsp
	.cfi_def_cfa %rax, 8
	pushq %rax		/* the old %rsp, at top - 8 */
	/* CFA = *(%rsp) + 8 */
	.cfi_escape DW_CFA_def_cfa_expression, 5, \
		DW_OP_breg7, 0, DW_OP_deref, DW_OP_plus_uconst, 8
	pushq %rbp		/* the caller's %rbp, at top - 16 */
	/* CFA = *(%rsp + 8) + 8; the caller's %rbp is at %rsp */
	.cfi_escape DW_CFA_def_cfa_expression, 5, \
		DW_OP_breg7, 8, DW_OP_deref, DW_OP_plus_uconst, 8
	.cfi_escape DW_CFA_expression, DWARF_RBP, 2, DW_OP_breg7, 0
	xorl %ebp, %ebp
	call *%rsi
	ud2
	.cfi_endproc
	.size call_on_stack, . - call_on_stack
