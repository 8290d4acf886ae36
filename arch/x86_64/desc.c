// SPDX-License-Identifier: MIT
/*
 * desc.c - GDT, TSS and IDT.
 *
 * Every CPU gets its own GDT and TSS (struct cpu_tables) so that each has
 * its own IST stacks: a double fault, NMI or machine check always runs on
 * a known-good stack, even when the kernel stack overflowed into its guard
 * page. The IDT is shared; all 256 vectors point at entry.S stubs.
 */
#include <asm/desc.h>
#include <keel/string.h>

struct idt_entry {
	u16 off_lo;
	u16 sel;
	u8 ist;
	u8 type;
	u16 off_mid;
	u32 off_hi;
	u32 reserved;
} __packed;

struct desc_ptr {
	u16 limit;
	u64 base;
} __packed;

#define GATE_INTERRUPT 0x8e /* present, DPL0, 64-bit interrupt gate */

extern const unsigned long trap_stubs[NR_VECTORS];
static struct idt_entry idt[NR_VECTORS] __aligned(16);

static void set_gate(unsigned int v, unsigned long addr, unsigned int ist)
{
	idt[v] = (struct idt_entry){
		.off_lo = addr & 0xffff,
		.sel = KERNEL_CS,
		.ist = ist,
		.type = GATE_INTERRUPT,
		.off_mid = (addr >> 16) & 0xffff,
		.off_hi = addr >> 32,
	};
}

void idt_init(void)
{
	for (unsigned int v = 0; v < NR_VECTORS; v++)
		set_gate(v, trap_stubs[v], 0);
	set_gate(2, trap_stubs[2], IST_NMI);
	set_gate(8, trap_stubs[8], IST_DOUBLE_FAULT);
	set_gate(18, trap_stubs[18], IST_MACHINE_CHECK);
}

void idt_load(void)
{
	struct desc_ptr p = { sizeof(idt) - 1, (u64)idt };

	__asm__ __volatile__("lidt %0" : : "m"(p));
}

static void set_tss_desc(u64 *gdt, struct tss *tss)
{
	u64 base = (u64)tss, limit = sizeof(*tss) - 1;

	gdt[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		 (0x89ULL << 40) | /* present, 64-bit TSS available */
		 (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[1] = base >> 32;
}

void cpu_tables_load(struct cpu_tables *t)
{
	struct desc_ptr p = { sizeof(t->gdt) - 1, (u64)t->gdt };

	t->gdt[0] = 0;
	t->gdt[1] = 0x00af9a000000ffffULL; /* kernel code */
	t->gdt[2] = 0x00cf92000000ffffULL; /* kernel data */
	t->gdt[3] = 0x00cff2000000ffffULL; /* user data */
	t->gdt[4] = 0x00affa000000ffffULL; /* user code */
	memset(&t->tss, 0, sizeof(t->tss));
	for (int i = 0; i < NR_IST; i++)
		t->tss.ist[i] = (u64)t->ist_stacks[i] + IST_STACK_SIZE;
	t->tss.iomap_base = sizeof(t->tss);
	set_tss_desc(&t->gdt[5], &t->tss);

	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "movl %2, %%eax\n\t"
			     "movl %%eax, %%ds\n\t"
			     "movl %%eax, %%es\n\t"
			     "movl %%eax, %%ss\n\t"
			     "ltr %w3\n\t"
			     :
			     : "m"(p), "i"(KERNEL_CS), "i"(KERNEL_DS),
			       "r"(TSS_SEL)
			     : "rax", "memory");
}
