/* SPDX-License-Identifier: MIT */
/*
 * asm/percpu.h - %gs-relative access to the running CPU's struct cpu
 * (keel/percpu.h). Each accessor is a single instruction, so it is
 * atomic with respect to interrupts and migration of the caller.
 */
#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#include <keel/bug.h>
#include <keel/compiler.h>

#define __cpu_off(field) offsetof(struct cpu, field)

static inline void *arch_this_cpu(void)
{
	void *p;

	__asm__ __volatile__("movq %%gs:0, %0" : "=r"(p));
	return p;
}

#define this_cpu_read(field)                                   \
	({                                                     \
		__typeof__(((struct cpu *)0)->field) __v;      \
		__asm__ __volatile__("mov %%gs:%c1, %0"        \
				     : "=r"(__v)               \
				     : "i"(__cpu_off(field))); \
		__v;                                           \
	})

#define this_cpu_write(field, val)                                     \
	do {                                                           \
		__typeof__(((struct cpu *)0)->field) __v = (val);      \
		__asm__ __volatile__("mov %1, %%gs:%c0"                \
				     :                                 \
				     : "i"(__cpu_off(field)), "r"(__v) \
				     : "memory");                      \
	} while (0)

/* Add to a 32-bit field; a compiler barrier (critical sections). */
#define this_cpu_add_32(field, val)                                     \
	do {                                                            \
		BUILD_BUG_ON(sizeof(((struct cpu *)0)->field) != 4);    \
		__asm__ __volatile__("addl %1, %%gs:%c0"                \
				     :                                  \
				     : "i"(__cpu_off(field)), "ri"(val) \
				     : "memory", "cc");                 \
	} while (0)

#define this_cpu_inc_64(field)                                       \
	do {                                                         \
		BUILD_BUG_ON(sizeof(((struct cpu *)0)->field) != 8); \
		__asm__ __volatile__("incq %%gs:%c0"                 \
				     :                               \
				     : "i"(__cpu_off(field))         \
				     : "memory", "cc");              \
	} while (0)

/* Point this CPU's GS base at c (wrmsr GS_BASE). */
void arch_set_this_cpu(void *c);

#endif
