/* SPDX-License-Identifier: MIT */
/*
 * asm/desc.h - segment selectors, the per-CPU GDT and TSS, and the IDT.
 *
 * GDT layout (selector: use): 0x08 kernel code, 0x10 kernel data,
 * 0x18 user data, 0x20 user code (the order SYSRET wants), 0x28 TSS.
 */
#ifndef _ASM_DESC_H
#define _ASM_DESC_H

#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define USER_DS	  0x1b
#define USER_CS	  0x23
#define TSS_SEL	  0x28

#define FIRST_EXTERNAL_VECTOR 32
#define NR_VECTORS	      256

/* IST slots (1-based, as the IDT encodes them) */
#define IST_DOUBLE_FAULT  1
#define IST_NMI		  2
#define IST_MACHINE_CHECK 3
#define NR_IST		  3
#define IST_STACK_SIZE	  (4 * 4096)

#ifndef __ASSEMBLER__
#include <keel/compiler.h>

struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;

/* One CPU's descriptor tables and exception stacks. */
struct cpu_tables {
	u64 gdt[7];
	struct tss tss;
	u8 ist_stacks[NR_IST][IST_STACK_SIZE] __aligned(16);
};

/* Load tables for the calling CPU (GDT, TSS, segment registers). */
void cpu_tables_load(struct cpu_tables *t);
/* Build the IDT once; idt_load() on every CPU. */
void idt_init(void);
void idt_load(void);
void trap_init(void);
#endif

#endif
