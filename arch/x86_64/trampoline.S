/*
 * trampoline.S - where an application processor starts: real mode to
 * long mode in one page.
 *
 * smpboot.c copies trampoline_start..trampoline_end to a page below
 * 1 MiB, fills in the parameters at its end (struct trampoline_params)
 * and sends STARTUP with that page's number. The CPU starts here in
 * 16-bit real mode with CS = page >> 4, IP = 0. The code is position
 * independent: %ebx holds the page's physical address from the first
 * instructions on, and the far jumps go through the stack.
 *
 *   real mode:  load our GDT (its base patched in here), set CR0.PE
 *   32-bit:     load CR4 (PAE), CR3 (the trampoline tables, which map
 *               this page 1:1 and the kernel's upper half), EFER
 *               (LME, NXE), CR0 (PG, WP): long mode
 *   64-bit:     load the stack, point the GS base at the AP's struct
 *               cpu (the argument: C code reads its stack canary at
 *               %gs:0x28 from the first instruction) and jump to the
 *               C entry with that argument, still on the trampoline
 *               tables
 *
 * The copy is data; nothing here runs from the kernel image.
 */
#define TR(x) ((x) - trampoline_start)

	.section .rodata, "a"
	.p2align 4
	.globl trampoline_start, trampoline_end, trampoline_params
	.code16
trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	movw %ax, %ss
	movw $0x1000, %sp		/* top of this page */
	xorl %ebx, %ebx
	movw %ax, %bx
	shll $4, %ebx			/* physical base of this page */
	leal TR(tr_gdt)(%ebx), %eax
	movl %eax, TR(tr_gdt_desc) + 2
	lgdtl TR(tr_gdt_desc)
	movl %cr0, %eax
	orl $1, %eax			/* PE */
	movl %eax, %cr0
	leal TR(tr_protected)(%ebx), %eax
	pushl $0x08
	pushl %eax
	lretl

	.code32
tr_protected:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	leal 0x1000(%ebx), %esp
	movl TR(tr_cr4)(%ebx), %eax
	movl %eax, %cr4
	movl TR(tr_cr3)(%ebx), %eax
	movl %eax, %cr3
	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl TR(tr_efer)(%ebx), %eax
	wrmsr
	movl TR(tr_cr0)(%ebx), %eax
	movl %eax, %cr0			/* paging on: long mode */
	leal TR(tr_long)(%ebx), %eax
	pushl $0x18
	pushl %eax
	lret

	.code64
tr_long:
	movl %ebx, %ebx			/* upper halves are undefined */
	xorl %eax, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	movq TR(tr_stack)(%rbx), %rsp
	/* GS base -> the AP's struct cpu (tr_arg): the stack canary */
	movl $0xc0000101, %ecx		/* MSR_GS_BASE */
	movl TR(tr_arg)(%rbx), %eax
	movl TR(tr_arg)+4(%rbx), %edx
	wrmsr
	movq TR(tr_arg)(%rbx), %rdi
	movq TR(tr_entry)(%rbx), %rax
	xorl %ebp, %ebp
	call *%rax
1:	hlt
	jmp 1b

	.p2align 3
tr_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff	/* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
	.quad 0x00af9a000000ffff	/* 0x18: 64-bit code */
tr_gdt_desc:
	.word tr_gdt_desc - tr_gdt - 1
	.long 0				/* base: set by the code above */

	.p2align 3
trampoline_params:			/* struct trampoline_params */
tr_cr0:		.long 0
tr_cr3:		.long 0
tr_cr4:		.long 0
tr_efer:	.long 0
tr_stack:	.quad 0
tr_entry:	.quad 0
tr_arg:		.quad 0
trampoline_end:
