/* SPDX-License-Identifier: MIT */
/* asm/cpu.h - x86_64 control registers, MSRs, CPUID and interrupt flag. */
#ifndef _ASM_CPU_H
#define _ASM_CPU_H

#include <keel/types.h>

#define MSR_EFER	   0xc0000080
#define MSR_APIC_BASE	   0x1b
#define MSR_FS_BASE	   0xc0000100
#define MSR_GS_BASE	   0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102
#define EFER_NXE	   (1UL << 11)

#define X86_EFLAGS_IF (1UL << 9)

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ __volatile__("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ __volatile__("wrmsr"
			     :
			     : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static inline void cpuid(u32 leaf, u32 sub, u32 *a, u32 *b, u32 *c, u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d)
			     : "a"(leaf), "c"(sub));
}

#define DEFINE_CR_ACCESSORS(n)                                                 \
	static inline u64 read_cr##n(void)                                     \
	{                                                                      \
		u64 v;                                                         \
		__asm__ __volatile__("mov %%cr" #n ", %0" : "=r"(v));          \
		return v;                                                      \
	}                                                                      \
	static inline void write_cr##n(u64 v)                                  \
	{                                                                      \
		__asm__ __volatile__("mov %0, %%cr" #n : : "r"(v) : "memory"); \
	}
DEFINE_CR_ACCESSORS(0)
DEFINE_CR_ACCESSORS(2)
DEFINE_CR_ACCESSORS(3)
DEFINE_CR_ACCESSORS(4)

static inline u64 read_flags(void)
{
	u64 f;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(f) : : "memory");
	return f;
}

static inline void local_irq_enable(void)
{
	__asm__ __volatile__("sti" : : : "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ __volatile__("cli" : : : "memory");
}

static inline unsigned long local_irq_save(void)
{
	unsigned long f = read_flags();

	local_irq_disable();
	return f;
}

static inline void local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

static inline bool irqs_disabled(void)
{
	return !(read_flags() & X86_EFLAGS_IF);
}

static inline void cpu_relax(void)
{
	__asm__ __volatile__("pause" : : : "memory");
}

static inline void halt(void)
{
	__asm__ __volatile__("hlt" : : : "memory");
}

/*
 * Enable interrupts and halt: "sti" takes effect after the next
 * instruction, so an interrupt pending at the sti wakes the hlt instead
 * of slipping in between (the idle loop's check-then-sleep).
 */
static inline void arch_safe_halt(void)
{
	__asm__ __volatile__("sti; hlt" : : : "memory");
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ __volatile__("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void invlpg(unsigned long va)
{
	__asm__ __volatile__("invlpg (%0)" : : "r"(va) : "memory");
}

#endif
