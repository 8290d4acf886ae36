// SPDX-License-Identifier: MIT
/*
 * mmu.c - the kernel's final page tables.
 *
 * boot.S enters with throw-away tables (first 4 GiB identity-mapped and
 * at PAGE_OFFSET, first 1 GiB at KERNEL_VMA, everything writable and
 * executable). mmu_init() builds the real ones from bootmem and switches
 * CR3 to them:
 *
 *   PAGE_OFFSET  direct map of the first 4 GiB and of all RAM above it,
 *                2 MiB pages (1 GiB if the CPU has them), RW + NX
 *   KERNEL_VMA   the image, 4 KiB pages: text RX, rodata R + NX,
 *                data and bss RW + NX
 *   VMAP_BASE    empty; its two PDPTs exist from the start so the
 *                top level never changes after boot
 *
 * and sets CR0.WP (the kernel honours read-only pages) and EFER.NXE when
 * CPUID advertises NX (else NX bits are left out). The identity map is
 * gone afterwards.
 *
 * After boot, map_kernel_range()/unmap_kernel_range() edit the VMAP area
 * under pgtable_lock, allocating page tables from the buddy allocator and
 * freeing them when they empty (so mappings leave no pages behind).
 * Unmapping shoots the range out of every CPU's TLB (TLB shootdown IPI,
 * arch/x86_64/ipi.c) after dropping the lock and before freeing tables.
 * mmu_trampoline_pgd() builds the throw-away tables application
 * processors start on (arch/x86_64/smpboot.c).
 * ioremap() sits on top of the generic vmap code in mm/vmalloc.c.
 */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <keel/boot.h>
#include <keel/bootmem.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/mm_types.h>
#include <keel/mm_user.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/string.h>
#include <keel/vmalloc.h>

#define _PAGE_TABLE   (_PAGE_PRESENT | _PAGE_RW)
#define PMD_SIZE      (1UL << 21)
#define PUD_SIZE      (1UL << 30)
#define FOUR_GIB      0x100000000ULL
#define CPUID_NX      (1U << 20)
#define CPUID_GBPAGES (1U << 26)
#define CR0_WP	      (1UL << 16)

extern char _text[], _rodata[], _data[], _kernel_end[];

static u64 *kernel_pml4;
static u64 pte_mask = ~0ULL; /* clears _PAGE_NX without NX */
static bool has_gbpages;
static bool mmu_live; /* buddy allocator owns page tables */
static DEFINE_SPINLOCK(pgtable_lock);

bool mmu_has_nx(void)
{
	return pte_mask & _PAGE_NX;
}

static unsigned int pt_index(unsigned long va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

static u64 *table_at(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR_MASK);
}

/* A zeroed page-table page: bootmem at boot, buddy later. 0 if none. */
static phys_addr_t pt_alloc(void)
{
	struct page *page;

	if (!mmu_live)
		return bootmem_alloc(PAGE_SIZE);
	page = __alloc_pages(__GFP_ZERO, 0);
	return page ? virt_to_phys(page_address(page)) : 0;
}

/*
 * Returns a pointer to va's entry in the table of the given level
 * (1 = PT ... 4 = PML4), creating missing tables when alloc is set.
 * NULL if a table is missing (and !alloc), memory is short, or a large
 * page covers va. Once mmu_init() is done, requires pgtable_lock.
 */
static u64 *walk(unsigned long va, int level, bool alloc)
{
	u64 *table = kernel_pml4;

	if (mmu_live)
		lockdep_assert_held(&pgtable_lock);
	for (int l = 4; l > level; l--) {
		u64 *e = &table[pt_index(va, l)];

		if (!(*e & _PAGE_PRESENT)) {
			phys_addr_t pa = alloc ? pt_alloc() : 0;

			if (!pa)
				return NULL;
			*e = pa | _PAGE_TABLE;
		} else if (*e & _PAGE_PSE) {
			return NULL;
		}
		table = table_at(*e);
	}
	return &table[pt_index(va, level)];
}

/* Map [pa, pa + size) at PAGE_OFFSET + pa with the largest pages. */
static void map_direct(phys_addr_t pa, phys_addr_t end)
{
	u64 prot = (PAGE_KERNEL | _PAGE_PSE) & pte_mask;

	pa = ALIGN_DOWN(pa, PMD_SIZE);
	end = ALIGN_UP(end, PMD_SIZE);
	while (pa < end) {
		unsigned long va = (unsigned long)phys_to_virt(pa);
		bool huge = has_gbpages && IS_ALIGNED(pa, PUD_SIZE) &&
			    end - pa >= PUD_SIZE;
		u64 *e = walk(va, huge ? 3 : 2, true);

		*e = pa | prot;
		pa += huge ? PUD_SIZE : PMD_SIZE;
	}
}

static u64 kernel_image_prot(unsigned long va)
{
	if (va < (unsigned long)_rodata)
		return PAGE_KERNEL_EXEC;
	if (va < (unsigned long)_data)
		return PAGE_KERNEL_RO;
	return PAGE_KERNEL;
}

static void map_kernel_image(void)
{
	for (unsigned long va = (unsigned long)_text;
	     va < (unsigned long)_kernel_end; va += PAGE_SIZE)
		*walk(va, 1, true) = (va - KERNEL_VMA) |
				     (kernel_image_prot(va) & pte_mask);
}

static void detect_features(void)
{
	u32 a, b, c, d;

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	d = 0;
	if (a >= 0x80000001)
		cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (!(d & CPUID_NX))
		pte_mask &= ~_PAGE_NX;
	has_gbpages = d & CPUID_GBPAGES;
}

/*
 * Build the final kernel page tables from bootmem and load them.
 * Requires bootmem_init(); runs once on the boot CPU.
 */
void mmu_init(void)
{
	detect_features();
	kernel_pml4 = phys_to_virt(bootmem_alloc(PAGE_SIZE));
	map_direct(0, FOUR_GIB);
	for (unsigned int i = 0; i < boot_info.nr_regions; i++) {
		const struct boot_mem_region *r = &boot_info.regions[i];

		if (r->type == BOOT_MEM_RAM && r->base + r->len > FOUR_GIB)
			map_direct(max(r->base, FOUR_GIB), r->base + r->len);
	}
	map_kernel_image();
	walk(VMAP_BASE, 3, true);
	walk(VMAP_BASE + VMAP_SIZE - 1, 3, true);

	if (mmu_has_nx())
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	write_cr0(read_cr0() | CR0_WP);
	write_cr3(virt_to_phys(kernel_pml4));
	mmu_live = true;
	pr_info("mmu: direct map %s pages, NX %s\n",
		has_gbpages ? "1 GiB" : "2 MiB", mmu_has_nx() ? "on" : "off");
}

u64 mmu_kernel_cr3(void)
{
	return virt_to_phys(kernel_pml4);
}

void arch_load_page_tables(u64 cr3)
{
	write_cr3(cr3 ? cr3 : mmu_kernel_cr3());
}

/*
 * Tables for CPUs coming up through the real-mode trampoline: the
 * kernel's upper half (shared top-level entries, so later kernel
 * mappings show too) plus the first 2 MiB identity-mapped, where the
 * trampoline turns paging on. Returns the PML4's physical address
 * (below 4 GiB, for a 32-bit CR3 load) or 0 if memory is short.
 */
phys_addr_t mmu_trampoline_pgd(void)
{
	struct page *pages[3];
	u64 *pml4, *pdpt, *pd;

	for (int i = 0; i < 3; i++) {
		pages[i] = __alloc_pages(__GFP_ZERO | __GFP_DMA32, 0);
		if (!pages[i]) {
			while (i--)
				__free_pages(pages[i], 0);
			return 0;
		}
	}
	pml4 = page_address(pages[0]);
	pdpt = page_address(pages[1]);
	pd = page_address(pages[2]);
	for (int i = 256; i < 512; i++)
		pml4[i] = kernel_pml4[i];
	pd[0] = 0 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
	pdpt[0] = virt_to_phys(pd) | _PAGE_TABLE;
	pml4[0] = virt_to_phys(pdpt) | _PAGE_TABLE;
	return virt_to_phys(pml4);
}

void mmu_trampoline_pgd_free(phys_addr_t pgd)
{
	u64 *pml4 = phys_to_virt(pgd);
	u64 *pdpt = table_at(pml4[0]);

	__free_pages(virt_to_page(table_at(pdpt[0])), 0);
	__free_pages(virt_to_page(pdpt), 0);
	__free_pages(virt_to_page(pml4), 0);
}

/*
 * Direct-map and kernel-image addresses by arithmetic; VMAP addresses
 * by walking the page tables. Returns -1 (all ones) for unmapped ones.
 */
phys_addr_t virt_to_phys(const void *addr)
{
	unsigned long va = (unsigned long)addr;

	if (va >= KERNEL_VMA)
		return va - KERNEL_VMA;
	if (va >= PAGE_OFFSET && va < VMAP_BASE)
		return va - PAGE_OFFSET;
	return mmu_translate(va);
}

static bool in_vmap(unsigned long va, size_t size)
{
	return va >= VMAP_BASE && size <= VMAP_SIZE &&
	       va - VMAP_BASE <= VMAP_SIZE - size;
}

static bool table_empty(const u64 *table)
{
	for (int i = 0; i < 512; i++)
		if (table[i])
			return false;
	return true;
}

/* Page-table pages unlinked but not yet freed (other CPUs' TLBs). */
struct pt_garbage {
	struct list_head pages;
};

static void pt_free_later(struct pt_garbage *g, u64 *table)
{
	list_add_tail(&virt_to_page(table)->lru, &g->pages);
}

/* After the TLB shootdown: nobody can walk them any more. */
static void pt_garbage_free(struct pt_garbage *g)
{
	while (!list_empty(&g->pages)) {
		struct page *p = list_first_entry(&g->pages, struct page, lru);

		list_del_init(&p->lru);
		__free_pages(p, 0);
	}
}

/*
 * Unlink va's PT and PD if they hold nothing any more, into g. The
 * PDPTs of the VMAP area stay.
 */
static void free_empty_tables(struct pt_garbage *g, unsigned long va)
{
	u64 *pdpte = walk(va, 3, false);
	u64 *pd, *pde;

	lockdep_assert_held(&pgtable_lock);
	if (!pdpte || !(*pdpte & _PAGE_PRESENT))
		return;
	pd = table_at(*pdpte);
	pde = &pd[pt_index(va, 2)];
	if ((*pde & _PAGE_PRESENT) && table_empty(table_at(*pde))) {
		u64 *pt = table_at(*pde);

		*pde = 0;
		pt_free_later(g, pt);
	}
	if (table_empty(pd)) {
		*pdpte = 0;
		pt_free_later(g, pd);
	}
}

/*
 * Unmap 4 KiB pages of [va, end) and unlink empty tables into g. The
 * caller flushes the TLBs, then frees g.
 */
static void __unmap_range(struct pt_garbage *g, unsigned long va,
			  unsigned long end)
{
	lockdep_assert_held(&pgtable_lock);

	for (unsigned long a = va; a < end; a += PAGE_SIZE) {
		u64 *e = walk(a, 1, false);

		if (e && *e)
			*e = 0;
	}
	for (unsigned long a = ALIGN_DOWN(va, PMD_SIZE); a < end; a += PMD_SIZE)
		free_empty_tables(g, a);
}

int map_kernel_range(unsigned long va, phys_addr_t pa, size_t size,
		     pgprot_t prot)
{
	struct pt_garbage g = { LIST_HEAD_INIT(g.pages) };
	unsigned long flags, a;
	int err = 0;

	if (!in_vmap(va, size) || !IS_ALIGNED(va | pa | size, PAGE_SIZE))
		return -EINVAL;
	spin_lock_irqsave(&pgtable_lock, flags);
	for (a = va; a < va + size; a += PAGE_SIZE) {
		u64 *e = walk(a, 1, true);

		if (!e || *e) {
			err = e ? -EEXIST : -ENOMEM;
			break;
		}
		*e = (pa + (a - va)) | (prot & pte_mask);
	}
	if (err) {
		__unmap_range(&g, va, a);
		free_empty_tables(&g, a); /* walk() may have added some */
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
	if (err) {
		flush_tlb_kernel_range(va, a);
		pt_garbage_free(&g);
	}
	return err;
}

/*
 * Clear the entries under the lock, then shoot the range out of every
 * CPU's TLB, then free the page tables that emptied: until the last
 * CPU flushed, one could still walk them.
 */
void unmap_kernel_range(unsigned long va, size_t size)
{
	struct pt_garbage g = { LIST_HEAD_INIT(g.pages) };
	unsigned long flags;

	if (WARN_ON_ONCE(!in_vmap(va, size)))
		return;
	spin_lock_irqsave(&pgtable_lock, flags);
	__unmap_range(&g, va, va + size);
	spin_unlock_irqrestore(&pgtable_lock, flags);
	flush_tlb_kernel_range(va, va + size);
	pt_garbage_free(&g);
}

/*
 * Walk for va; returns the leaf entry (0 if unmapped) and fills level
 * and the effective W/NX in *eff. Takes pgtable_lock.
 */
static u64 lookup_leaf(unsigned long va, int *level, u64 *eff)
{
	u64 *table = kernel_pml4, e = 0, rw = _PAGE_RW, nx = 0;
	unsigned long flags;
	int l;

	spin_lock_irqsave(&pgtable_lock, flags);
	for (l = 4; l >= 1; l--) {
		e = table[pt_index(va, l)];
		if (!(e & _PAGE_PRESENT)) {
			e = 0;
			break;
		}
		rw &= e;
		nx |= e & _PAGE_NX;
		if (l == 1 || (e & _PAGE_PSE))
			break;
		table = table_at(e);
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
	*level = l;
	*eff = (e & ~(_PAGE_RW | _PAGE_NX)) | rw | nx;
	return e;
}

int mmu_lookup(unsigned long va, u64 *pte_flags, int *level)
{
	u64 eff;
	int l;

	if (!lookup_leaf(va, &l, &eff))
		return -ENOENT;
	if (pte_flags)
		*pte_flags = eff & ~PTE_ADDR_MASK;
	if (level)
		*level = l;
	return 0;
}

phys_addr_t mmu_translate(unsigned long va)
{
	unsigned long span;
	u64 eff, e;
	int l;

	e = lookup_leaf(va, &l, &eff);
	if (!e)
		return (phys_addr_t)-1;
	span = 1UL << (PAGE_SHIFT + 9 * (l - 1));
	return (ALIGN_DOWN(e & PTE_ADDR_MASK, span)) | (va & (span - 1));
}

/*
 * Returns an uncached (PCD|PWT) mapping of [phys, phys + size) in the
 * VMAP area, or NULL if out of virtual space or memory. phys need not be
 * page aligned. Undo with iounmap().
 */
void *ioremap(phys_addr_t phys, size_t size)
{
	phys_addr_t base = ALIGN_DOWN(phys, PAGE_SIZE);
	char *va;

	if (!size || phys + size < phys)
		return NULL;
	va = vmap_phys(base, ALIGN_UP(phys + size, PAGE_SIZE) - base,
		       PAGE_KERNEL_IO);
	return va ? va + (phys - base) : NULL;
}

/* Undo ioremap(); addr may point anywhere in the first page. */
void iounmap(void *addr)
{
	if (addr)
		vunmap((void *)ALIGN_DOWN((unsigned long)addr, PAGE_SIZE));
}

/* ---- user page tables (keel/mm_user.h) ---- */

#define _PAGE_USER_TABLE  (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER)
#define USER_PML4_ENTRIES 256

u64 *pgd_alloc(void)
{
	struct page *page = __alloc_pages(__GFP_ZERO, 0);
	u64 *pgd;

	if (!page)
		return NULL;
	pgd = page_address(page);
	for (int i = USER_PML4_ENTRIES; i < 512; i++)
		pgd[i] = kernel_pml4[i];
	return pgd;
}

/* Free the table at entry e and, below level 1, everything under it. */
static void free_user_table(u64 e, int level)
{
	u64 *table = table_at(e);

	if (level > 1)
		for (int i = 0; i < 512; i++)
			if (table[i] & _PAGE_PRESENT)
				free_user_table(table[i], level - 1);
	__free_pages(virt_to_page(table), 0);
}

void pgd_free(u64 *pgd)
{
	for (int i = 0; i < USER_PML4_ENTRIES; i++)
		if (pgd[i] & _PAGE_PRESENT)
			free_user_table(pgd[i], 3);
	__free_pages(virt_to_page(pgd), 0);
}

u64 *user_pte(u64 *pgd, unsigned long va, bool alloc)
{
	u64 *table = pgd;

	if (va >= TASK_SIZE_MAX)
		return NULL;
	for (int l = 4; l > 1; l--) {
		u64 *e = &table[pt_index(va, l)];

		if (!(*e & _PAGE_PRESENT)) {
			struct page *page =
				alloc ? __alloc_pages(__GFP_ZERO, 0) : NULL;

			if (!page)
				return NULL;
			*e = virt_to_phys(page_address(page)) |
			     _PAGE_USER_TABLE;
		}
		table = table_at(*e);
	}
	return &table[pt_index(va, 1)];
}

pgprot_t vm_page_prot(unsigned long vm_flags)
{
	pgprot_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return 0; /* PROT_NONE: not present, the page kept */

	if (vm_flags & VM_WRITE)
		prot |= _PAGE_RW | _PAGE_DIRTY;
	if (!(vm_flags & VM_EXEC))
		prot |= _PAGE_NX;
	return prot & pte_mask;
}

void flush_tlb_one_user(unsigned long va)
{
	invlpg(va);
}
