/*
 * boot.S - first instructions of keel.
 *
 * keel is entered through the PVH boot protocol: QEMU's -kernel loader finds
 * the XEN_ELFNOTE_PHYS32_ENTRY note below, loads the ELF segments at their
 * physical addresses and jumps to pvh_start in 32-bit protected mode with
 * paging off and %ebx holding the physical address of a struct
 * hvm_start_info (memory map, command line, modules, ACPI RSDP).
 * PVH was chosen over multiboot1 because it accepts the 64-bit ELF as is
 * (no objcopy to elf32) and hands over the ACPI root pointer.
 *
 * This file builds boot page tables that map the first 4 GiB twice
 * (identity and direct map at PAGE_OFFSET) and the first 1 GiB at
 * KERNEL_VMA for the kernel image, enters
 * long mode and calls start_kernel(start_info_phys) on the boot stack.
 * mm/ replaces these tables with the final ones early in start_kernel().
 */
#include <asm/layout.h>

#define MSR_GS_BASE	0xc0000101
#define PTE_P	0x001
#define PTE_W	0x002
#define PTE_PS	0x080

#define PHYS(sym)	((sym) - KERNEL_VMA)

	.section .note.pvh, "a"
	.p2align 2
	.long 4			/* namesz: "Xen\0" */
	.long 8			/* descsz */
	.long 18		/* XEN_ELFNOTE_PHYS32_ENTRY */
	.asciz "Xen"
	.p2align 2
	.quad PHYS(pvh_start)
	.p2align 2

	.section .boot.text, "ax"
	.code32
	.globl pvh_start
pvh_start:
	cli
	cld
	movl %ebx, %edx			/* keep start_info for start_kernel */

	/* The loader zero-fills bss, but do not rely on it. */
	movl $PHYS(_bss), %edi
	movl $PHYS(_ebss), %ecx
	subl %edi, %ecx
	xorl %eax, %eax
	rep stosb
	movl %edx, %edi
	movl $PHYS(boot_stack_top), %esp

	/* No long mode: nothing we can do but stop quietly. */
	movl $0x80000000, %eax
	cpuid
	cmpl $0x80000001, %eax
	jb .Lno_long_mode
	movl $0x80000001, %eax
	cpuid
	testl $(1 << 29), %edx
	jz .Lno_long_mode
	movl %edx, %esi			/* bit 20: NX available */

	/* boot_pd: 4 x 512 x 2 MiB pages = first 4 GiB */
	movl $PHYS(boot_pd), %ebx
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, (%ebx, %ecx, 8)
	movl %ecx, %eax
	shrl $11, %eax			/* bits 32+ of the 2 MiB frame */
	movl %eax, 4(%ebx, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 1b

	/* boot_pdpt_low[0..3] -> the four page directories */
	movl $PHYS(boot_pdpt_low), %ebx
	movl $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	xorl %ecx, %ecx
2:	movl %eax, (%ebx, %ecx, 8)
	addl $4096, %eax
	incl %ecx
	cmpl $4, %ecx
	jne 2b
	/* kernel image: -2 GiB -> first 1 GiB */
	movl $(PHYS(boot_pd) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pdpt_high) + 510 * 8

	movl $(PHYS(boot_pdpt_low) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pml4)			/* identity */
	movl %eax, PHYS(boot_pml4) + PML4_INDEX(PAGE_OFFSET) * 8
	movl $(PHYS(boot_pdpt_high) + PTE_P + PTE_W), %eax
	movl %eax, PHYS(boot_pml4) + 511 * 8

	movl %cr4, %eax
	orl $(1 << 5), %eax		/* PAE */
	movl %eax, %cr4
	movl $PHYS(boot_pml4), %eax
	movl %eax, %cr3

	movl $0xc0000080, %ecx		/* EFER */
	rdmsr
	orl $(1 << 8), %eax		/* LME */
	testl $(1 << 20), %esi
	jz 3f
	orl $(1 << 11), %eax		/* NXE */
3:	wrmsr

	movl %cr0, %eax
	orl $0x80010001, %eax		/* PG | WP | PE */
	movl %eax, %cr0

	lgdt PHYS(boot_gdt_desc)
	ljmp $0x08, $PHYS(.Llong_mode)

.Lno_long_mode:
	hlt
	jmp .Lno_long_mode

	.code64
.Llong_mode:
	movl $0x10, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movabsq $.Lhigh, %rax
	jmp *%rax
.Lhigh:
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	/*
	 * GS base -> cpu_data[0] before the first C instruction: code built
	 * with -fstack-protector reads its canary at %gs:0x28 (zero until
	 * boot_init_stack_canary() sets it, which is consistent too).
	 */
	movl %edi, %esi
	movabsq $cpu_data, %rax
	movq %rax, %rdx
	shrq $32, %rdx
	movl $MSR_GS_BASE, %ecx
	wrmsr
	movl %esi, %edi
	/* %edi still holds the start_info physical address (zero-extended) */
	call start_kernel
4:	cli
	hlt
	jmp 4b

	.section .boot.rodata, "a"
	.p2align 4
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.section .boot.bss, "aw", @nobits
	.p2align 12
	.globl boot_pml4
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd:	.skip 4 * 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
