// SPDX-License-Identifier: MIT
/*
 * mmap.c - user address spaces: mm_struct, the VMA list, and the
 * memory system calls (brk, mmap, munmap, mprotect) on top of it.
 *
 * VMAs are kept on a list sorted by address (a process has tens of
 * them; TODO: a tree when that stops being true). Unmapping or
 * re-protecting part of a VMA splits it. Private file mappings are
 * anonymous memory filled from the file at mmap time (sys_mmap).
 *
 * Locking: mm->mmap_lock around every walk or change of the list and
 * the page tables (keel/mm_user.h).
 */
#include <asm/cpu.h>
#include <asm/pgtable.h>
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/lockdep.h>
#include <keel/mm_user.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/syscalls.h>

#define PROT_READ	    0x1
#define PROT_WRITE	    0x2
#define PROT_EXEC	    0x4
#define MAP_SHARED	    0x01
#define MAP_PRIVATE	    0x02
#define MAP_TYPE	    0x0f
#define MAP_FIXED	    0x10
#define MAP_ANONYMOUS	    0x20
#define MAP_FIXED_NOREPLACE 0x100000

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	INIT_LIST_HEAD(&mm->vmas);
	mutex_init(&mm->mmap_lock, "mmap_lock");
	refcount_set(&mm->mm_users, 1);
	mm->mmap_base = MMAP_BASE;
	return mm;
}

static void vma_free(struct vm_area_struct *vma)
{
	list_del(&vma->vm_list);
	kfree(vma);
}

void mmput(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *n;

	if (!refcount_dec_and_test(&mm->mm_users))
		return;
	mutex_lock(&mm->mmap_lock);
	list_for_each_entry_safe(vma, n, &mm->vmas, vm_list) {
		zap_page_range(mm, vma->vm_start, vma->vm_end);
		vma_free(vma);
	}
	mutex_unlock(&mm->mmap_lock);
	pgd_free(mm->pgd);
	if (mm->exe_file)
		fput(mm->exe_file);
	kfree(mm);
}

void set_mm_exe_file(struct mm_struct *mm, struct file *file)
{
	struct file *old = mm->exe_file;

	mm->exe_file = file ? get_file(file) : NULL;
	if (old)
		fput(old);
}

struct file *get_mm_exe_file(struct mm_struct *mm)
{
	/* set only before the mm runs (exec, fork): stable while used */
	struct file *f = READ_ONCE(mm->exe_file);

	return f ? get_file(f) : NULL;
}

struct mm_struct *get_task_mm(struct task *p)
{
	struct mm_struct *mm;
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	mm = p->mm;
	if (mm)
		refcount_inc(&mm->mm_users);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return mm;
}

void switch_mm(struct mm_struct *mm)
{
	struct task *p = current;
	unsigned long flags;

	/* pi_lock: get_task_mm() sees the old mm (still referenced) or mm */
	spin_lock_irqsave(&p->pi_lock, flags);
	p->mm = mm;
	p->cr3 = mm ? virt_to_phys(mm->pgd) : 0;
	arch_load_page_tables(p->cr3);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	lockdep_assert_held(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->vmas, vm_list) {
		if (addr < vma->vm_start)
			return NULL;
		if (addr < vma->vm_end)
			return vma;
	}
	return NULL;
}

/* The first VMA that ends after addr (where one at addr would go). */
static struct vm_area_struct *vma_after(struct mm_struct *mm,
					unsigned long addr)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &mm->vmas, vm_list)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

static bool range_free(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	struct vm_area_struct *next = vma_after(mm, start);

	return !next || next->vm_start >= end;
}

static bool range_valid(unsigned long start, unsigned long len)
{
	return len && IS_ALIGNED(start | len, PAGE_SIZE) &&
	       start >= MMAP_MIN_ADDR && len <= TASK_SIZE_MAX &&
	       start <= TASK_SIZE_MAX - len;
}

int mmap_region(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long vm_flags)
{
	struct vm_area_struct *vma, *next;

	lockdep_assert_held(&mm->mmap_lock);
	if (!range_valid(start, len))
		return -EINVAL;
	if (!range_free(mm, start, start + len))
		return -EEXIST;
	next = vma_after(mm, start);
	vma = next ? list_prev_entry(next, vm_list) :
		     list_last_entry(&mm->vmas, struct vm_area_struct, vm_list);
	if (&vma->vm_list != &mm->vmas && vma->vm_end == start &&
	    vma->vm_flags == vm_flags) {
		vma->vm_end += len; /* grows the heap without a new VMA */
		return 0;
	}
	vma = kzalloc(sizeof(*vma), GFP_KERNEL);
	if (!vma)
		return -ENOMEM;
	vma->vm_start = start;
	vma->vm_end = start + len;
	vma->vm_flags = vm_flags;
	vma->vm_mm = mm;
	list_add_tail(&vma->vm_list, next ? &next->vm_list : &mm->vmas);
	return 0;
}

/* Split vma at addr (inside it): vma keeps the low part. 0 or -ENOMEM. */
static int split_vma(struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *hi;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return 0;
	hi = kzalloc(sizeof(*hi), GFP_KERNEL);
	if (!hi)
		return -ENOMEM;
	*hi = *vma;
	hi->vm_start = addr;
	vma->vm_end = addr;
	list_add(&hi->vm_list, &vma->vm_list);
	return 0;
}

/*
 * Split the VMAs that straddle start or end, so that [start, end) is
 * made of whole VMAs. 0 or -ENOMEM.
 */
static int split_range(struct mm_struct *mm, unsigned long start,
		       unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);
	int err = vma ? split_vma(vma, start) : 0;

	if (err)
		return err;
	vma = find_vma(mm, end - 1);
	return vma ? split_vma(vma, end) : 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *n;
	unsigned long end;
	int err;

	lockdep_assert_held(&mm->mmap_lock);
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!IS_ALIGNED(start, PAGE_SIZE) || !len || len > TASK_SIZE_MAX ||
	    start > TASK_SIZE_MAX - len)
		return -EINVAL;
	end = start + len;
	err = split_range(mm, start, end);
	if (err)
		return err;
	list_for_each_entry_safe(vma, n, &mm->vmas, vm_list) {
		if (vma->vm_start >= end)
			break;
		if (vma->vm_end <= start)
			continue;
		zap_page_range(mm, vma->vm_start, vma->vm_end);
		vma_free(vma);
	}
	return 0;
}

/* A free gap of len bytes, searching down from mm->mmap_base; 0 if none. */
static unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long len)
{
	unsigned long top = mm->mmap_base;
	struct vm_area_struct *vma;

	list_for_each_entry_reverse(vma, &mm->vmas, vm_list)
	{
		if (vma->vm_start >= top)
			continue;
		if (vma->vm_end <= top && top - vma->vm_end >= len)
			return top - len;
		top = min(top, vma->vm_start);
	}
	return top - MMAP_MIN_ADDR >= len ? top - len : 0;
}

static unsigned long prot_to_vm_flags(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

static long mmap_checks(unsigned long addr, unsigned long len,
			unsigned long prot, unsigned long flags, int fd)
{
	unsigned long type = flags & MAP_TYPE;

	if (!len || len > TASK_SIZE_MAX)
		return -EINVAL;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (type != MAP_PRIVATE && type != MAP_SHARED)
		return -EINVAL;
	if ((flags & MAP_FIXED) && !IS_ALIGNED(addr, PAGE_SIZE))
		return -EINVAL;
	return 0;
}

/* Place [addr, addr + len) as flags ask; the address or -Exxx. */
static long mmap_place(struct mm_struct *mm, unsigned long addr,
		       unsigned long len, unsigned long flags)
{
	if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
		if (!range_valid(addr, len))
			return -EINVAL;
		if (!range_free(mm, addr, addr + len)) {
			if (!(flags & MAP_FIXED))
				return -EEXIST;
			if (do_munmap(mm, addr, len))
				return -ENOMEM;
		}
		return addr;
	}
	if (addr && range_valid(ALIGN_DOWN(addr, PAGE_SIZE), len) &&
	    range_free(mm, ALIGN_DOWN(addr, PAGE_SIZE),
		       ALIGN_DOWN(addr, PAGE_SIZE) + len))
		return ALIGN_DOWN(addr, PAGE_SIZE);
	addr = get_unmapped_area(mm, len);
	return addr ? (long)addr : -ENOMEM;
}

/* The file pages of a private file mapping, read before mmap_lock. */
struct file_pages {
	void **page;
	unsigned long nr;
};

static void file_pages_free(struct file_pages *fp)
{
	for (unsigned long i = 0; i < fp->nr; i++)
		if (fp->page[i])
			user_page_free(fp->page[i]);
	kfree(fp->page);
}

/*
 * Read [off, off + len) of fd's file into fresh pages: the pages up to
 * the end of the file (the last one zero-filled past it). 0, -EBADF,
 * -EACCES (not open for reading), -ENODEV (not a regular file),
 * -ENOMEM or the read's error.
 */
static long file_pages_read(int fd, unsigned long off, unsigned long len,
			    struct file_pages *fp)
{
	struct file *f = fget(fd);
	long err = 0;
	loff_t size;

	fp->page = NULL;
	fp->nr = 0;
	if (!f)
		return -EBADF;
	if (!(f->f_mode & FMODE_READ))
		err = -EACCES;
	else if (!S_ISREG(file_inode(f)->i_mode))
		err = -ENODEV;
	size = file_inode(f)->i_size;
	if (!err && (loff_t)off < size)
		fp->nr = min(len, ALIGN_UP(size - off, PAGE_SIZE)) / PAGE_SIZE;
	if (fp->nr) {
		fp->page = kzalloc(fp->nr * sizeof(void *), GFP_KERNEL);
		if (!fp->page)
			err = -ENOMEM;
	}
	for (unsigned long i = 0; !err && i < fp->nr; i++) {
		loff_t pos = off + i * PAGE_SIZE;
		ssize_t n;

		fp->page[i] = user_page_new();
		if (!fp->page[i]) {
			err = -ENOMEM;
			break;
		}
		n = kernel_read(f, fp->page[i], PAGE_SIZE, &pos);
		if (n < 0)
			err = n;
	}
	fput(f);
	if (err) {
		file_pages_free(fp);
		fp->nr = 0;
	}
	return err;
}

/* Map the read pages at start; each one mapped is the mm's now. */
static void file_pages_install(struct mm_struct *mm, unsigned long start,
			       struct file_pages *fp)
{
	for (unsigned long i = 0; i < fp->nr; i++)
		if (!mm_install_page(mm, start + i * PAGE_SIZE, fp->page[i]))
			fp->page[i] = NULL;
}

/*
 * SYSCALL mmap: anonymous private or shared memory (shared behaves as
 * private until there is a second process to share with: TODO), and
 * private mappings of regular files: the file's bytes are copied into
 * the mapping's pages at mmap time (POSIX leaves it unspecified whether
 * later writes to the file show through a MAP_PRIVATE mapping; on keel
 * they do not), so a writable one is copy-on-write by construction.
 * Pages wholly past the end of the file read zeroes (Linux: SIGBUS;
 * TODO). MAP_SHARED of a file is -ENODEV (TODO: ramfs's pages).
 */
SYSCALL_DEFINE6(mmap, unsigned long, addr, unsigned long, len, unsigned long,
		prot, unsigned long, flags, int, fd, unsigned long, off)
{
	struct mm_struct *mm = current->mm;
	long ret = mmap_checks(addr, len, prot, flags, fd);
	struct file_pages fp = { NULL, 0 };

	if (ret)
		return ret;
	if (off & (PAGE_SIZE - 1))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (off + len < off)
		return -EOVERFLOW;
	if (!(flags & MAP_ANONYMOUS)) {
		ret = file_pages_read(fd, off, len, &fp);
		if (!ret && (flags & MAP_TYPE) == MAP_SHARED)
			ret = -ENODEV;
		if (ret) {
			file_pages_free(&fp);
			return ret;
		}
	}
	mutex_lock(&mm->mmap_lock);
	ret = mmap_place(mm, addr, len, flags);
	if (ret >= 0) {
		int err = mmap_region(mm, ret, len, prot_to_vm_flags(prot));

		if (err)
			ret = err;
		else
			file_pages_install(mm, ret, &fp);
	}
	mutex_unlock(&mm->mmap_lock);
	file_pages_free(&fp);
	return ret;
}

SYSCALL_DEFINE2(munmap, unsigned long, addr, unsigned long, len)
{
	struct mm_struct *mm = current->mm;
	int err;

	mutex_lock(&mm->mmap_lock);
	err = do_munmap(mm, addr, len);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* Every page of [start, end) is in some VMA. */
static bool range_mapped(struct mm_struct *mm, unsigned long start,
			 unsigned long end)
{
	while (start < end) {
		struct vm_area_struct *vma = find_vma(mm, start);

		if (!vma)
			return false;
		start = vma->vm_end;
	}
	return true;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end,
		unsigned long vm_flags)
{
	struct vm_area_struct *vma;
	int err;

	if (!range_mapped(mm, start, end))
		return -ENOMEM;
	err = split_range(mm, start, end);
	if (err)
		return err;
	list_for_each_entry(vma, &mm->vmas, vm_list) {
		if (vma->vm_start >= end)
			break;
		if (vma->vm_end <= start)
			continue;
		vma->vm_flags = vm_flags;
		change_page_prot(mm, vma->vm_start, vma->vm_end, vm_flags);
	}
	return 0;
}

SYSCALL_DEFINE3(mprotect, unsigned long, start, unsigned long, len,
		unsigned long, prot)
{
	struct mm_struct *mm = current->mm;
	unsigned long end;
	int err;

	if (!IS_ALIGNED(start, PAGE_SIZE) ||
	    (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	if (!len)
		return 0;
	if (len > TASK_SIZE_MAX || start > TASK_SIZE_MAX - len)
		return -ENOMEM;
	end = start + len;
	mutex_lock(&mm->mmap_lock);
	err = do_mprotect(mm, start, end, prot_to_vm_flags(prot));
	mutex_unlock(&mm->mmap_lock);
	return err;
}

/* Move the break of mm to newbrk; the new break or the old one. */
static unsigned long do_brk(struct mm_struct *mm, unsigned long newbrk)
{
	unsigned long old = ALIGN_UP(mm->brk, PAGE_SIZE);
	unsigned long new = ALIGN_UP(newbrk, PAGE_SIZE);

	if (newbrk < mm->start_brk || newbrk > mm->mmap_base)
		return mm->brk;
	if (new < old && do_munmap(mm, new, old - new))
		return mm->brk;
	if (new > old && mmap_region(mm, old, new - old, VM_READ | VM_WRITE))
		return mm->brk;
	mm->brk = newbrk;
	return newbrk;
}

SYSCALL_DEFINE1(brk, unsigned long, brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long ret;

	mutex_lock(&mm->mmap_lock);
	ret = do_brk(mm, brk);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

static int dup_vmas(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *vma;

	list_for_each_entry(vma, &oldmm->vmas, vm_list) {
		int err = mmap_region(mm, vma->vm_start,
				      vma->vm_end - vma->vm_start,
				      vma->vm_flags);

		if (err)
			return err;
		err = copy_page_range(mm, oldmm, vma);
		if (err)
			return err;
	}
	return 0;
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();
	int err;

	if (!mm)
		return NULL;
	mutex_lock(&oldmm->mmap_lock);
	mutex_lock(&mm->mmap_lock);
	err = dup_vmas(mm, oldmm);
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->mmap_base = oldmm->mmap_base;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	set_mm_exe_file(mm, oldmm->exe_file);
	mutex_unlock(&mm->mmap_lock);
	mutex_unlock(&oldmm->mmap_lock);
	/* oldmm's entries lost their write right: drop what the TLB has */
	if (current->mm == oldmm)
		arch_load_page_tables(current->cr3);
	if (err) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

#define MREMAP_MAYMOVE	 1
#define MREMAP_FIXED	 2
#define MREMAP_DONTUNMAP 4

/*
 * Move [addr, addr + old_len) of vma to new_addr (free, valid), as a
 * VMA of new_len >= old_len bytes: the pages move, the rest is
 * demand-zero.
 */
static long mremap_move(struct mm_struct *mm, struct vm_area_struct *vma,
			unsigned long addr, unsigned long old_len,
			unsigned long new_addr, unsigned long new_len)
{
	int err = mmap_region(mm, new_addr, new_len, vma->vm_flags);

	if (!err)
		err = move_page_range(mm, addr, new_addr, old_len);
	if (err) {
		/* put back what moved (the other way), drop the new range */
		/* NOLINTNEXTLINE(readability-suspicious-call-argument): undo */
		move_page_range(mm, new_addr, addr, old_len);
		do_munmap(mm, new_addr, new_len);
		return err;
	}
	do_munmap(mm, addr, old_len);
	return new_addr;
}

static long do_mremap(struct mm_struct *mm, unsigned long addr,
		      unsigned long old_len, unsigned long new_len,
		      unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	unsigned long end = addr + old_len;

	if (!vma || end > vma->vm_end || end < addr)
		return -EFAULT;
	if (flags & MREMAP_FIXED) {
		if (!range_valid(new_addr, new_len))
			return -EINVAL;
		if (new_addr < end && addr < new_addr + new_len)
			return -EINVAL; /* overlaps the old range */
		if (do_munmap(mm, new_addr, new_len))
			return -ENOMEM;
		if (old_len > new_len) {
			do_munmap(mm, addr + new_len, old_len - new_len);
			old_len = new_len;
		}
		vma = find_vma(mm, addr);
		return mremap_move(mm, vma, addr, old_len, new_addr, new_len);
	}
	if (new_len <= old_len) {
		if (new_len < old_len)
			do_munmap(mm, addr + new_len, old_len - new_len);
		return addr;
	}
	/* grow in place if the VMA ends here and the gap after is free */
	if (end == vma->vm_end && range_valid(addr, new_len) &&
	    range_free(mm, end, addr + new_len) &&
	    !mmap_region(mm, end, new_len - old_len, vma->vm_flags))
		return addr;
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	new_addr = get_unmapped_area(mm, new_len);
	if (!new_addr)
		return -ENOMEM;
	return mremap_move(mm, vma, addr, old_len, new_addr, new_len);
}

/*
 * SYSCALL mremap: shrink, grow in place, or (MREMAP_MAYMOVE) move;
 * MREMAP_FIXED moves to new_addr, replacing what was there. The old
 * range must lie in one VMA (-EFAULT). MREMAP_DONTUNMAP is -EINVAL
 * (TODO), as is old_len 0 (a second view needs shared memory).
 */
SYSCALL_DEFINE5(mremap, unsigned long, addr, unsigned long, old_len,
		unsigned long, new_len, unsigned long, flags, unsigned long,
		new_addr)
{
	struct mm_struct *mm = current->mm;
	long ret;

	if (flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED))
		return -EINVAL;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if (!IS_ALIGNED(addr, PAGE_SIZE) || !old_len || !new_len)
		return -EINVAL;
	if (old_len > TASK_SIZE_MAX || new_len > TASK_SIZE_MAX)
		return -EINVAL;
	old_len = ALIGN_UP(old_len, PAGE_SIZE);
	new_len = ALIGN_UP(new_len, PAGE_SIZE);
	if ((flags & MREMAP_FIXED) && !IS_ALIGNED(new_addr, PAGE_SIZE))
		return -EINVAL;
	if (!mm)
		return -EFAULT;
	mutex_lock(&mm->mmap_lock);
	ret = do_mremap(mm, addr, old_len, new_len, flags, new_addr);
	mutex_unlock(&mm->mmap_lock);
	return ret;
}

#define MADV_DONTNEED 4
#define MADV_FREE     8
#define MADV_MAX      25 /* MADV_COLLAPSE; 5-7 and 22 are unused */

static bool madvise_known(int advice)
{
	return advice >= 0 && advice <= MADV_MAX &&
	       !(advice >= 5 && advice <= 7) && advice != 22 &&
	       advice != 9; /* MADV_REMOVE: shared memory only */
}

/*
 * SYSCALL madvise: MADV_DONTNEED and MADV_FREE drop the pages (the next
 * touch reads zeroes, as private anonymous memory does on Linux); the
 * other advice is accepted as a hint and ignored. A range with unmapped
 * holes is -ENOMEM, after the mapped parts are done.
 */
SYSCALL_DEFINE3(madvise, unsigned long, start, size_t, len, int, advice)
{
	struct mm_struct *mm = current->mm;
	unsigned long end, a;
	long ret = 0;

	if (!madvise_known(advice) || !IS_ALIGNED(start, PAGE_SIZE))
		return -EINVAL;
	len = ALIGN_UP(len, PAGE_SIZE);
	end = start + len;
	if (end < start || end > TASK_SIZE_MAX)
		return -EINVAL;
	if (!len)
		return 0;
	if (!mm)
		return -ENOMEM;
	mutex_lock(&mm->mmap_lock);
	for (a = start; a < end;) {
		struct vm_area_struct *vma = find_vma(mm, a);
		unsigned long stop;

		if (!vma) {
			struct vm_area_struct *next = vma_after(mm, a);

			ret = -ENOMEM;
			if (!next || next->vm_start >= end)
				break;
			a = next->vm_start;
			continue;
		}
		stop = min(end, vma->vm_end);
		if (advice == MADV_DONTNEED || advice == MADV_FREE)
			zap_page_range(mm, a, stop);
		a = stop;
	}
	mutex_unlock(&mm->mmap_lock);
	return ret;
}
