/* SPDX-License-Identifier: MIT */
/*
 * asm/smap.h - SMEP, SMAP and UMIP: the CPU's own guards against the
 * kernel touching or running user memory, and user code reading the
 * descriptor-table registers (arch/x86_64/cpufeature.c).
 *
 * With CR4.SMAP set, a supervisor access to a _PAGE_USER page faults
 * unless RFLAGS.AC is set; stac()/clac() open and close that window
 * around the uaccess routines only. stac and clac are #UD on CPUs
 * without SMAP, so both test cpu_has_smap (set once at boot, before any
 * user mapping exists) instead of being patched in.
 */
#ifndef _ASM_SMAP_H
#define _ASM_SMAP_H

#include <keel/compiler.h>

#define X86_CR4_UMIP (1UL << 11)
#define X86_CR4_SMEP (1UL << 20)
#define X86_CR4_SMAP (1UL << 21)

#define X86_EFLAGS_AC (1UL << 18)

#ifndef __ASSEMBLER__
/* Set by cpu_setup_protections() on the boot CPU; read-only afterwards. */
extern bool cpu_has_smap;
extern bool cpu_has_smep;
extern bool cpu_has_umip;

static __always_inline void stac(void)
{
	if (cpu_has_smap)
		__asm__ __volatile__("stac" : : : "memory");
}

static __always_inline void clac(void)
{
	if (cpu_has_smap)
		__asm__ __volatile__("clac" : : : "memory");
}

/*
 * Turn on SMEP, SMAP and UMIP in this CPU's CR4 where CPUID has them.
 * The boot CPU decides (first call); every CPU calls it once, early.
 */
void cpu_setup_protections(void);
#endif

#endif
