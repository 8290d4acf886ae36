/* SPDX-License-Identifier: MIT */
/*
 * keel/vmalloc.h - the VMAP area: kernel virtual mappings made at run
 * time (mm/vmalloc.c on top of the arch page-table code).
 *
 * VMAP_BASE .. VMAP_BASE + VMAP_SIZE (asm/layout.h) is carved into
 * areas, first fit. An area maps either a range of physical memory
 * (vmap_phys, ioremap for MMIO) or a kernel stack: KSTACK_SIZE bytes of
 * RAM with an unmapped guard page below, so an overflow faults at once
 * (on the double-fault IST stack) instead of corrupting a neighbour.
 */
#ifndef _KEEL_VMALLOC_H
#define _KEEL_VMALLOC_H

#include <asm/pgtable.h>
#include <keel/compiler.h>
#include <keel/mm.h>

#define KSTACK_ORDER 2
#define KSTACK_SIZE  (PAGE_SIZE << KSTACK_ORDER) /* 16 KiB */

/*
 * Map [phys, phys + size) (page aligned) at a fresh VMAP address with
 * page protection prot (PAGE_KERNEL, PAGE_KERNEL_IO, ...). Returns the
 * address or NULL (no virtual space or no memory for page tables).
 */
void *vmap_phys(phys_addr_t phys, size_t size, pgprot_t prot);
/* Undo vmap_phys(); addr is what it returned. NULL is a no-op. */
void vunmap(const void *addr);

/* Uncached mapping of device memory; phys need not be page aligned. */
void *ioremap(phys_addr_t phys, size_t size);
void iounmap(void *addr);

/*
 * A kernel stack: returns the address just above its KSTACK_SIZE bytes
 * (the initial stack pointer, 16-byte aligned) or NULL. The page below
 * the stack is never mapped.
 */
void *kstack_alloc(void);
/* Free a stack kstack_alloc() returned (its top). NULL is a no-op. */
void kstack_free(void *top);

/*
 * Switch the calling CPU to the stack whose top is top and call fn
 * there, with an empty frame-pointer chain. fn must not return (arch,
 * arch/x86_64/stack_switch.S).
 */
void call_on_stack(void *top, void (*fn)(void)) __noreturn;

#endif
