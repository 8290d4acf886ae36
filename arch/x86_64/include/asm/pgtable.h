/* SPDX-License-Identifier: MIT */
/*
 * asm/pgtable.h - x86_64 4-level page table entries and the kernel's
 * page-table interface (arch/x86_64/mmu.c).
 *
 * The kernel has one set of page tables: the direct map of all RAM at
 * PAGE_OFFSET (2 MiB or 1 GiB pages), the kernel image at KERNEL_VMA
 * (4 KiB pages, W^X per section) and the VMAP area (4 KiB pages, made
 * and torn down at run time by map_kernel_range/unmap_kernel_range).
 * Intermediate entries are always present|writable without NX, so the
 * leaf entry alone decides the permissions.
 */
#ifndef _ASM_PGTABLE_H
#define _ASM_PGTABLE_H

#include <keel/types.h>

typedef u64 pgprot_t;

#define _PAGE_PRESENT  (1ULL << 0)
#define _PAGE_RW       (1ULL << 1)
#define _PAGE_USER     (1ULL << 2)
#define _PAGE_PWT      (1ULL << 3)
#define _PAGE_PCD      (1ULL << 4)
#define _PAGE_ACCESSED (1ULL << 5)
#define _PAGE_DIRTY    (1ULL << 6)
#define _PAGE_PSE      (1ULL << 7) /* 2 MiB/1 GiB leaf in PD/PDPT */
#define _PAGE_GLOBAL   (1ULL << 8)
#define _PAGE_NX       (1ULL << 63)
#define PTE_ADDR_MASK  0x000ffffffffff000ULL

#define PAGE_KERNEL \
	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX)
#define PAGE_KERNEL_RO	 (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)
#define PAGE_KERNEL_EXEC (_PAGE_PRESENT | _PAGE_ACCESSED) /* read-only */
#define PAGE_KERNEL_IO	 (PAGE_KERNEL | _PAGE_PCD | _PAGE_PWT)

/* Page-table levels as mmu_lookup() reports them. */
#define PG_LEVEL_4K 1
#define PG_LEVEL_2M 2
#define PG_LEVEL_1G 3

/* Physical address of the kernel's top-level page table (for CR3). */
u64 mmu_kernel_cr3(void);
/* Tables with the first 2 MiB identity-mapped for AP start-up, or 0. */
phys_addr_t mmu_trampoline_pgd(void);
void mmu_trampoline_pgd_free(phys_addr_t pgd);

/* The context switch's page-table change: cr3 0 means the kernel's. */
void arch_load_page_tables(u64 cr3);

/* Does the CPU honour _PAGE_NX (EFER.NXE set)? */
bool mmu_has_nx(void);

/*
 * Map [va, va + size) to [pa, pa + size) with 4 KiB pages and prot,
 * inside the VMAP area only. Both addresses and size page aligned.
 * Returns 0, -EINVAL (outside VMAP or unaligned), -EEXIST (something is
 * mapped there; nothing changed) or -ENOMEM (nothing changed).
 * Takes the page-table lock.
 */
int map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
		     pgprot_t prot);
/*
 * Unmap [va, va + size) in the VMAP area, flush the TLB and free page
 * tables that became empty. Takes the page-table lock.
 */
void unmap_kernel_range(unsigned long va, size_t size);

/*
 * Walk the kernel page tables for va. Returns 0 and the effective leaf
 * flags (_PAGE_RW only if writable at every level, _PAGE_NX if
 * non-executable at any level) and the leaf level (PG_LEVEL_*), or
 * -ENOENT if va is not mapped. Either output pointer may be NULL.
 */
int mmu_lookup(unsigned long va, u64 *pte_flags, int *level);
/* Physical address va translates to, or -1 (all ones) if unmapped. */
phys_addr_t mmu_translate(unsigned long va);

/*
 * User page tables, one set per address space (keel/mm_user.h): a PML4
 * whose kernel half (entries 256..511) is copied from the kernel's,
 * which never change after boot, so every process sees the same kernel.
 * The user half is private; its tables carry _PAGE_USER. The caller
 * (the mm's mmap_lock) serialises changes to one pgd.
 */
u64 *pgd_alloc(void);
/* Free the user half's tables (not the pages they map) and the PML4. */
void pgd_free(u64 *pgd);
/*
 * The level-1 entry for user address va in pgd, creating tables when
 * alloc is set. NULL if a table is missing (and !alloc) or no memory.
 */
u64 *user_pte(u64 *pgd, unsigned long va, bool alloc);
/* Leaf flags for a user page with these VM_* flags. */
pgprot_t vm_page_prot(unsigned long vm_flags);
/* Drop va from this CPU's TLB. */
void flush_tlb_one_user(unsigned long va);

#endif
