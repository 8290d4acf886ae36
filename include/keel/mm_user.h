/* SPDX-License-Identifier: MIT */
/*
 * keel/mm_user.h - user address spaces: struct mm_struct and its VMAs
 * (mm/mmap.c), page faults and page copies (mm/memory.c).
 *
 * An mm is a set of page tables whose kernel half is the kernel's own
 * (shared top-level entries, arch/x86_64/mmu.c) and whose user half
 * [0, TASK_SIZE_MAX) belongs to one process, described by a sorted list
 * of disjoint VMAs. Memory in a VMA is anonymous and demand-zero: a page
 * is allocated on the first fault (or by the ELF loader, which fills it
 * from the file) and freed by munmap or when the mm goes. fork shares
 * pages copy-on-write (mm/memory.c); struct page's mapcount says how
 * many mms map one.
 *
 * Locking: mmap_lock (a mutex) covers the VMA list and the user page
 * tables. Never touch user memory (uaccess) while holding it: a fault
 * takes it too.
 */
#ifndef _KEEL_MM_USER_H
#define _KEEL_MM_USER_H

#include <keel/list.h>
#include <keel/mm.h>
#include <keel/mutex.h>
#include <keel/refcount.h>

/* vm_flags */
#define VM_READ	 0x1UL
#define VM_WRITE 0x2UL
#define VM_EXEC	 0x4UL

/* Linux's user layout without randomization (asm/layout.h). */
#define STACK_TOP	TASK_SIZE_MAX
#define STACK_SIZE	(8UL << 20) /* RLIMIT_STACK's default */
#define MMAP_BASE	(STACK_TOP - (128UL << 20))
#define ELF_ET_DYN_BASE 0x555555554000UL
#define MMAP_MIN_ADDR	0x10000UL /* vm.mmap_min_addr: no page 0 */

struct mm_struct;

struct vm_area_struct {
	unsigned long vm_start, vm_end; /* [start, end), page aligned */
	unsigned long vm_flags;		/* VM_* */
	struct list_head vm_list;	/* mm->vmas, by address */
	struct mm_struct *vm_mm;
};

struct mm_struct {
	u64 *pgd;		/* top-level table, direct-map address */
	struct list_head vmas;	/* sorted, disjoint */
	struct mutex mmap_lock; /* vmas and user page tables */
	refcount_t mm_users;
	unsigned long start_code, end_code;
	unsigned long start_brk, brk; /* heap: [start_brk, brk) */
	unsigned long start_stack;
	unsigned long mmap_base; /* mmap searches down from here */
	unsigned long nr_pages;	 /* user pages allocated */
	/* argv and envp strings on the stack (exec; /proc/PID/cmdline) */
	unsigned long arg_start, arg_end, env_start, env_end;
	/* the executable (/proc/PID/exe), referenced; NULL: none */
	struct file *exe_file;
};

/* A new empty mm (kernel half only), or NULL. */
struct mm_struct *mm_alloc(void);
/* Drop a user; the last frees every page, table, VMA and the mm. */
void mmput(struct mm_struct *mm);
/* A copy of oldmm for fork: every VMA, pages shared COW. NULL if short. */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

/* The VMA containing addr, or NULL. Requires mmap_lock. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/*
 * Add a VMA [start, start + len) with vm_flags; nothing may be mapped
 * there. Returns 0, -EINVAL, -EEXIST or -ENOMEM. Requires mmap_lock.
 */
int mmap_region(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long vm_flags);
/* Unmap [start, start + len): VMAs split, pages freed. Requires lock. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);

/*
 * Give [start, end) (whole pages, all mapped) the rights vm_flags,
 * splitting VMAs. 0, -ENOMEM (a hole, or no memory). Requires lock.
 */
int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end,
		unsigned long vm_flags);

/*
 * Resolve a fault at addr (write: a store; exec: an instruction fetch)
 * in mm: a present, allowed page is allocated zeroed and mapped.
 * Returns 0, -EFAULT (no VMA, or the access is not allowed) or
 * -ENOMEM. Takes mmap_lock.
 */
int handle_mm_fault(struct mm_struct *mm, unsigned long addr, bool write,
		    bool exec);
/*
 * The kernel (direct-map) address of mm's page at addr, allocated
 * zeroed and mapped if absent and addr is in a VMA; NULL otherwise
 * (no VMA, or no memory). Requires mmap_lock. For the ELF loader, on
 * an mm that shares no page (NULL and a warning on a COW page).
 */
void *mm_page_kaddr(struct mm_struct *mm, unsigned long addr);
/* Free the pages of [start, end) and clear their entries (lock held). */
void zap_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end);
/* Reset the entries of [start, end) to vm_flags (lock held). */
void change_page_prot(struct mm_struct *mm, unsigned long start,
		      unsigned long end, unsigned long vm_flags);
/*
 * Move the pages of [old_addr, old_addr + len) to new_addr (mremap):
 * entries move as they are (COW state included). The new range must be
 * empty. 0 or -ENOMEM (the pages moved so far stay moved). Lock held.
 */
int move_page_range(struct mm_struct *mm, unsigned long old_addr,
		    unsigned long new_addr, unsigned long len);
/*
 * A zeroed user page mapped by nobody yet (mapcount 1), or NULL; drop
 * one that was never installed with user_page_free().
 */
void *user_page_new(void);
void user_page_free(void *page);
/*
 * Map page (from user_page_new) at addr, inside a VMA, with its rights;
 * the entry must be empty. 0, -EFAULT, -EEXIST, -ENOMEM. Lock held.
 */
int mm_install_page(struct mm_struct *mm, unsigned long addr, void *page);
/* Share src's pages in vma's range with dst, COW (fork). 0 or -ENOMEM. */
int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma);

/* Make mm the running address space of current (exec, exit). */
void switch_mm(struct mm_struct *mm);

struct task;
struct file;
/*
 * p's mm with a user reference (mmput it), or NULL for a kernel thread
 * or an exited process. Safe against p exiting or exec'ing meanwhile
 * (p->pi_lock orders it against switch_mm).
 */
struct mm_struct *get_task_mm(struct task *p);
/*
 * Copy up to len bytes at user address addr of mm (any mm, not only
 * current's) into buf; pages never touched read as zeroes. Returns the
 * bytes copied: short at the first address outside every VMA. Takes
 * mmap_lock.
 */
size_t access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf,
			size_t len);
/* Set mm's executable (a reference is taken; the old one dropped). */
void set_mm_exe_file(struct mm_struct *mm, struct file *file);
/* mm's executable, referenced (fput it), or NULL. */
struct file *get_mm_exe_file(struct mm_struct *mm);

#endif
