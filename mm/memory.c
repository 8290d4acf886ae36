// SPDX-License-Identifier: MIT
/*
 * memory.c - the pages of user address spaces: demand-zero faults,
 * freeing and re-protecting ranges, and fork's copy.
 *
 * A level-1 entry with address bits names the page that backs it, even
 * when not present: PROT_NONE keeps the page with the present bit off
 * (vm_page_prot(0) is 0), so mprotect can give it back unchanged.
 * Every function here requires the mm's mmap_lock.
 */
#include <asm/pgtable.h>
#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/mm_types.h>
#include <keel/mm_user.h>
#include <keel/sched.h>
#include <keel/string.h>

static bool pte_has_page(u64 e)
{
	return (e & PTE_ADDR_MASK) != 0;
}

static void *pte_kaddr(u64 e)
{
	return phys_to_virt(e & PTE_ADDR_MASK);
}

/* Only the running mm's entries can be in this CPU's TLB. */
static void flush_if_current(struct mm_struct *mm, unsigned long addr)
{
	if (current->mm == mm)
		flush_tlb_one_user(addr);
}

/* Map a fresh zeroed page at addr with vma's rights; the entry is empty. */
static void *map_zero_page(struct vm_area_struct *vma, u64 *pte)
{
	void *page = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!page)
		return NULL;
	*pte = virt_to_phys(page) | vm_page_prot(vma->vm_flags);
	vma->vm_mm->nr_pages++;
	return page;
}

void *mm_page_kaddr(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	u64 *pte;

	lockdep_assert_held(&mm->mmap_lock);
	if (!vma)
		return NULL;
	pte = user_pte(mm->pgd, addr, true);
	if (!pte)
		return NULL;
	if (pte_has_page(*pte))
		return pte_kaddr(*pte);
	return map_zero_page(vma, pte);
}

static bool access_allowed(const struct vm_area_struct *vma, bool write,
			   bool exec)
{
	if (write)
		return vma->vm_flags & VM_WRITE;
	if (exec)
		return vma->vm_flags & VM_EXEC;
	return vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
}

static int __handle_mm_fault(struct mm_struct *mm, unsigned long addr,
			     bool write, bool exec)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	u64 *pte;

	if (!vma || !access_allowed(vma, write, exec))
		return -EFAULT;
	pte = user_pte(mm->pgd, addr, true);
	if (!pte)
		return -ENOMEM;
	if (pte_has_page(*pte)) {
		/* another path mapped it, or the rights say no: re-check */
		if (!(*pte & _PAGE_PRESENT) || (write && !(*pte & _PAGE_RW)))
			return -EFAULT;
		flush_if_current(mm, addr); /* a stale TLB entry */
		return 0;
	}
	return map_zero_page(vma, pte) ? 0 : -ENOMEM;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long addr, bool write,
		    bool exec)
{
	int ret;

	mutex_lock(&mm->mmap_lock);
	ret = __handle_mm_fault(mm, ALIGN_DOWN(addr, PAGE_SIZE), write, exec);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

void zap_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end)
{
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		u64 *pte = user_pte(mm->pgd, a, false);

		if (!pte || !pte_has_page(*pte))
			continue;
		free_page(pte_kaddr(*pte));
		*pte = 0;
		mm->nr_pages--;
		flush_if_current(mm, a);
	}
}

void change_page_prot(struct mm_struct *mm, unsigned long start,
		      unsigned long end, unsigned long vm_flags)
{
	pgprot_t prot = vm_page_prot(vm_flags);

	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		u64 *pte = user_pte(mm->pgd, a, false);

		if (!pte || !pte_has_page(*pte))
			continue;
		*pte = (*pte & PTE_ADDR_MASK) | prot;
		flush_if_current(mm, a);
	}
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma)
{
	for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE_SIZE) {
		u64 *spte = user_pte(src->pgd, a, false), *dpte;
		void *page;

		if (!spte || !pte_has_page(*spte))
			continue;
		dpte = user_pte(dst->pgd, a, true);
		page = alloc_page(GFP_KERNEL);
		if (!dpte || !page) {
			if (page)
				free_page(page);
			return -ENOMEM;
		}
		memcpy(page, pte_kaddr(*spte), PAGE_SIZE);
		*dpte = virt_to_phys(page) | (*spte & ~PTE_ADDR_MASK);
		dst->nr_pages++;
	}
	return 0;
}
