/* SPDX-License-Identifier: MIT */
/*
 * asm/tlbflush.h - keeping every CPU's TLB in step with the kernel page
 * tables (arch/x86_64/ipi.c).
 */
#ifndef _ASM_TLBFLUSH_H
#define _ASM_TLBFLUSH_H

#include <keel/types.h>

/*
 * Flush [start, end) from the TLB of every online CPU and return when
 * all did. Interrupts may be on or off; hold no lock another CPU may
 * spin on with interrupts off.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

#endif
