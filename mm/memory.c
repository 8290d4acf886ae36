// SPDX-License-Identifier: MIT
/*
 * memory.c - the pages of user address spaces: demand-zero faults,
 * copy-on-write, freeing and re-protecting ranges, and fork's sharing.
 *
 * fork shares every page: both entries lose _PAGE_RW and get _PAGE_COW,
 * and the page's mapcount (struct page) counts the mms that map it. A
 * write fault on a COW entry in a writable VMA copies the page (or, if
 * this mm is the last one mapping it, just takes the write right back);
 * unmapping drops the count and frees the page at zero. Counts change
 * under different mms' locks, so they are atomic.
 *
 * A level-1 entry with address bits names the page that backs it, even
 * when not present: PROT_NONE keeps the page with the present bit off
 * (vm_page_prot(0) is 0), so mprotect can give it back unchanged.
 * Range walks step over missing tables whole (user_pte_next), so a
 * huge, mostly untouched mapping costs its present pages, not its size.
 * Every function here requires the mm's mmap_lock.
 */
#include <asm/pgtable.h>
#include <keel/bug.h>
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

static u32 *mapcount(void *kaddr)
{
	return &virt_to_page(kaddr)->mapcount;
}

/* Drop one mapping of the user page; the last frees it. */
static void user_page_put(void *kaddr)
{
	if (__atomic_sub_fetch(mapcount(kaddr), 1, __ATOMIC_ACQ_REL) == 0)
		free_page(kaddr);
}

/* A fresh user page, mapped once (zeroed if zero). */
static void *user_page_alloc(bool zero)
{
	void *page = alloc_page(GFP_KERNEL | (zero ? __GFP_ZERO : 0));

	if (page)
		*mapcount(page) = 1;
	return page;
}

/* Map a fresh zeroed page at addr with vma's rights; the entry is empty. */
static void *map_zero_page(struct vm_area_struct *vma, u64 *pte)
{
	void *page = user_page_alloc(true);

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
	if (WARN_ON_ONCE(*pte & _PAGE_COW))
		return NULL; /* shared: writing would change another mm */
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

/*
 * A write to a COW entry of a writable VMA: a private copy, or the page
 * itself if nobody else maps it any more.
 */
static int do_wp_page(struct vm_area_struct *vma, u64 *pte, unsigned long addr)
{
	void *old = pte_kaddr(*pte), *page;
	pgprot_t prot = vm_page_prot(vma->vm_flags);

	if (__atomic_load_n(mapcount(old), __ATOMIC_ACQUIRE) == 1) {
		*pte = (*pte & PTE_ADDR_MASK) | prot;
	} else {
		page = user_page_alloc(false);
		if (!page)
			return -ENOMEM;
		memcpy(page, old, PAGE_SIZE);
		*pte = virt_to_phys(page) | prot;
		user_page_put(old);
	}
	flush_if_current(vma->vm_mm, addr);
	return 0;
}

static bool is_cow_write(u64 e, bool write)
{
	return write && (e & _PAGE_PRESENT) && (e & _PAGE_COW);
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
	if (pte_has_page(*pte) && is_cow_write(*pte, write))
		return do_wp_page(vma, pte, addr);
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
	for (unsigned long a = start, next; a < end && a >= start; a = next) {
		u64 *pte = user_pte_next(mm->pgd, a, &next);

		if (!pte || !pte_has_page(*pte))
			continue;
		user_page_put(pte_kaddr(*pte));
		*pte = 0;
		mm->nr_pages--;
		flush_if_current(mm, a);
	}
}

void change_page_prot(struct mm_struct *mm, unsigned long start,
		      unsigned long end, unsigned long vm_flags)
{
	pgprot_t prot = vm_page_prot(vm_flags);

	for (unsigned long a = start, next; a < end && a >= start; a = next) {
		u64 *pte = user_pte_next(mm->pgd, a, &next);

		if (!pte || !pte_has_page(*pte))
			continue;
		if (*pte & _PAGE_COW) /* stays shared: no write right yet */
			*pte = (*pte & PTE_ADDR_MASK) | (prot & ~_PAGE_RW) |
			       _PAGE_COW;
		else
			*pte = (*pte & PTE_ADDR_MASK) | prot;
		flush_if_current(mm, a);
	}
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma)
{
	unsigned long a, next;

	for (a = vma->vm_start; a < vma->vm_end && a >= vma->vm_start;
	     a = next) {
		u64 *spte = user_pte_next(src->pgd, a, &next), *dpte;

		if (!spte || !pte_has_page(*spte))
			continue;
		dpte = user_pte(dst->pgd, a, true);
		if (!dpte)
			return -ENOMEM;
		/* both lose the write right; the first writer copies */
		*spte = (*spte & ~_PAGE_RW) | _PAGE_COW;
		*dpte = *spte;
		__atomic_add_fetch(mapcount(pte_kaddr(*spte)), 1,
				   __ATOMIC_RELAXED);
		dst->nr_pages++;
	}
	return 0;
}

size_t access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf,
			size_t len)
{
	size_t done = 0;

	mutex_lock(&mm->mmap_lock);
	while (done < len) {
		unsigned long off = addr & (PAGE_SIZE - 1);
		size_t n = min(len - done, (size_t)(PAGE_SIZE - off));
		u64 *pte;

		if (!find_vma(mm, addr))
			break;
		pte = user_pte(mm->pgd, addr - off, false);
		if (pte && pte_has_page(*pte))
			memcpy((char *)buf + done,
			       (char *)pte_kaddr(*pte) + off, n);
		else /* never touched: demand-zero */
			memset((char *)buf + done, 0, n);
		done += n;
		addr += n;
	}
	mutex_unlock(&mm->mmap_lock);
	return done;
}

int move_page_range(struct mm_struct *mm, unsigned long old_addr,
		    unsigned long new_addr, unsigned long len)
{
	lockdep_assert_held(&mm->mmap_lock);
	for (unsigned long off = 0, next; off < len; off = next - old_addr) {
		u64 *opte = user_pte_next(mm->pgd, old_addr + off, &next),
		    *npte;

		if (!opte || !pte_has_page(*opte))
			continue;
		npte = user_pte(mm->pgd, new_addr + off, true);
		if (!npte)
			return -ENOMEM;
		*npte = *opte;
		*opte = 0;
		flush_if_current(mm, old_addr + off);
	}
	return 0;
}

void *user_page_new(void)
{
	return user_page_alloc(true);
}

void user_page_free(void *page)
{
	user_page_put(page);
}

int mm_install_page(struct mm_struct *mm, unsigned long addr, void *page)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	u64 *pte;

	lockdep_assert_held(&mm->mmap_lock);
	if (!vma)
		return -EFAULT;
	pte = user_pte(mm->pgd, addr, true);
	if (!pte)
		return -ENOMEM;
	if (pte_has_page(*pte))
		return -EEXIST;
	*pte = virt_to_phys(page) | vm_page_prot(vma->vm_flags);
	mm->nr_pages++;
	return 0;
}
