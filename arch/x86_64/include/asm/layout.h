/* SPDX-License-Identifier: MIT */
/*
 * asm/layout.h - the x86_64 virtual address space of keel.
 *
 *   0x0000000000000000 .. identity map during early boot; afterwards
 *                         the running process's user half, up to
 *                         TASK_SIZE_MAX (each process its own tables)
 *   0xffff888000000000 PAGE_OFFSET: direct map of all physical RAM
 *   0xffffc90000000000 VMAP_BASE: kernel stacks (with guard pages), vmap
 *   0xffffffff80000000 KERNEL_VMA: kernel image, linked at phys 1 MiB
 *
 * Usable from assembly and C.
 */
#ifndef _ASM_LAYOUT_H
#define _ASM_LAYOUT_H

#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define KERNEL_VMA  _UL(0xffffffff80000000)
#define KERNEL_PHYS _UL(0x100000)
#define PAGE_OFFSET _UL(0xffff888000000000)
#define VMAP_BASE   _UL(0xffffc90000000000)
#define VMAP_SIZE   _UL(0x0000010000000000) /* 1 TiB */

/*
 * The user half: [0, TASK_SIZE_MAX), Linux's value (the last page below
 * the canonical hole stays unmapped, so no user mapping ends at 2^47).
 */
#define TASK_SIZE_MAX _UL(0x00007ffffffff000)

#define PML4_INDEX(va) (((va) >> 39) & 511)

#define PAGE_SHIFT	12
#define PAGE_SIZE	(_UL(1) << PAGE_SHIFT)
#define BOOT_STACK_SIZE (4 * PAGE_SIZE)

#endif
