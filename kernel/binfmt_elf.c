// SPDX-License-Identifier: MIT
/*
 * binfmt_elf.c - static ELF64 executables: checking them and mapping
 * their segments into a new address space.
 *
 * ET_EXEC loads at its own addresses, static-PIE ET_DYN at
 * ELF_ET_DYN_BASE (Linux's address without randomization). Programs
 * needing an interpreter (PT_INTERP) are -ENOEXEC: keel has no dynamic
 * loader. Everything in the file is distrusted: sizes are checked for
 * overflow before use, segments must be in address order without
 * overlapping (two may share a page), lie in the user half below the
 * mmap area, and the entry point must be in an executable one.
 *
 * Pages that hold file bytes are allocated and filled now; the rest of
 * a segment (bss) is demand-zero, so a huge bss costs nothing until
 * touched, and the memory a file can make the kernel allocate is
 * bounded by its size.
 */
#include <keel/binfmts.h>
#include <keel/elf.h>
#include <keel/errno.h>
#include <keel/mm_user.h>
#include <keel/slab.h>
#include <keel/string.h>

#define ELF_MIN_ALIGN  PAGE_SIZE
#define ELF_PHDRS_MAX  (65536 / sizeof(Elf64_Phdr)) /* Linux's limit */
#define ELF_LOAD_LIMIT (MMAP_BASE - (1UL << 30))    /* room for mmap, heap */

/* Read exactly len bytes at pos, or -ENOEXEC (short: truncated). */
static int elf_read(struct linux_binprm *bprm, void *buf, size_t len, u64 pos)
{
	long n;

	if (pos > bprm->size || len > bprm->size - pos)
		return -ENOEXEC;
	n = bprm->read(bprm->file, buf, len, pos);
	if (n < 0)
		return n;
	return (size_t)n == len ? 0 : -ENOEXEC;
}

static int elf_check_header(const Elf64_Ehdr *eh)
{
	static const unsigned char magic[4] = { 0x7f, 'E', 'L', 'F' };

	if (memcmp(eh->e_ident, magic, 4) || eh->e_ident[4] != ELFCLASS64 ||
	    eh->e_ident[5] != ELFDATA2LSB || eh->e_ident[6] != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_type != ET_EXEC && eh->e_type != ET_DYN)
		return -ENOEXEC;
	if (eh->e_machine != EM_X86_64 || eh->e_version != EV_CURRENT)
		return -ENOEXEC;
	if (eh->e_phentsize != sizeof(Elf64_Phdr) || !eh->e_phnum ||
	    eh->e_phnum > ELF_PHDRS_MAX)
		return -ENOEXEC;
	return 0;
}

/* One PT_LOAD's own sanity; 0 or -EINVAL / -ENOEXEC. */
static int elf_check_load(const struct linux_binprm *bprm, const Elf64_Phdr *ph)
{
	if (ph->p_filesz > ph->p_memsz)
		return -EINVAL;
	if (ph->p_offset > bprm->size ||
	    ph->p_filesz > bprm->size - ph->p_offset)
		return -ENOEXEC; /* the file ends before the segment */
	if (ph->p_vaddr >= ELF_LOAD_LIMIT ||
	    ph->p_memsz > ELF_LOAD_LIMIT - ph->p_vaddr)
		return -EINVAL; /* huge, or beyond the user half */
	return 0;
}

/*
 * Check every program header: PT_LOADs valid, in order, disjoint; no
 * PT_INTERP. Sets *lo and *hi to the span of the loaded image (unbiased).
 */
static int elf_check_phdrs(const struct linux_binprm *bprm,
			   const Elf64_Phdr *ph, unsigned int n,
			   unsigned long *lo, unsigned long *hi)
{
	unsigned long end = 0;
	bool any = false;

	for (unsigned int i = 0; i < n; i++, ph++) {
		int err;

		if (ph->p_type == PT_INTERP)
			return -ENOEXEC; /* TODO: dynamic executables */
		if (ph->p_type != PT_LOAD || !ph->p_memsz)
			continue;
		err = elf_check_load(bprm, ph);
		if (err)
			return err;
		if (any && ph->p_vaddr < end)
			return -EINVAL; /* overlapping or out of order */
		if (!any)
			*lo = ph->p_vaddr;
		any = true;
		end = ph->p_vaddr + ph->p_memsz;
	}
	*hi = end;
	return any ? 0 : -ENOEXEC;
}

static unsigned long vm_flags_of(const Elf64_Phdr *ph)
{
	return (ph->p_flags & PF_R ? VM_READ : 0) |
	       (ph->p_flags & PF_W ? VM_WRITE : 0) |
	       (ph->p_flags & PF_X ? VM_EXEC : 0);
}

/*
 * The segment's VMA. A page it shares with the previous segment (whose
 * bytes end in it) is already mapped: that page alone gets both rights.
 */
static int elf_map_vma(struct mm_struct *mm, const Elf64_Phdr *ph,
		       unsigned long bias)
{
	unsigned long start = ALIGN_DOWN(ph->p_vaddr + bias, PAGE_SIZE);
	unsigned long end =
		ALIGN_UP(ph->p_vaddr + bias + ph->p_memsz, PAGE_SIZE);
	unsigned long flags = vm_flags_of(ph);
	struct vm_area_struct *prev = find_vma(mm, start);

	if (prev) {
		int err = do_mprotect(mm, start, start + PAGE_SIZE,
				      prev->vm_flags | flags);

		if (err)
			return err;
		start += PAGE_SIZE;
	}
	return start < end ? mmap_region(mm, start, end - start, flags) : 0;
}

/* Read the segment's file bytes into its pages (mmap_lock not held). */
static int elf_fill(struct linux_binprm *bprm, const Elf64_Phdr *ph,
		    unsigned long bias)
{
	unsigned long va = ph->p_vaddr + bias;
	u64 pos = ph->p_offset, left = ph->p_filesz;

	while (left) {
		unsigned long off = va & (PAGE_SIZE - 1);
		size_t n = min(left, (u64)(PAGE_SIZE - off));
		char *page;
		int err;

		/*
		 * The file is read without mmap_lock held: reading takes
		 * the inode's lock, and read() faulting on a user buffer
		 * takes them the other way round. The new mm is this
		 * exec's alone until exec_commit(): nothing unmaps the page
		 * between the lookup and the read.
		 */
		mutex_lock(&bprm->mm->mmap_lock);
		page = mm_page_kaddr(bprm->mm, va - off);
		mutex_unlock(&bprm->mm->mmap_lock);

		if (!page)
			return -ENOMEM;
		err = elf_read(bprm, page + off, n, pos);
		if (err)
			return err;
		va += n;
		pos += n;
		left -= n;
	}
	return 0;
}

/* AT_PHDR: where the program headers are in memory, or 0. */
static unsigned long elf_phdr_addr(const Elf64_Ehdr *eh, const Elf64_Phdr *ph)
{
	for (unsigned int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_PHDR)
			return ph[i].p_vaddr;
	for (unsigned int i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && eh->e_phoff >= ph[i].p_offset &&
		    eh->e_phoff - ph[i].p_offset < ph[i].p_filesz)
			return ph[i].p_vaddr + (eh->e_phoff - ph[i].p_offset);
	return 0;
}

static bool entry_in_text(const Elf64_Ehdr *eh, const Elf64_Phdr *ph)
{
	for (unsigned int i = 0; i < eh->e_phnum; i++, ph++)
		if (ph->p_type == PT_LOAD && (ph->p_flags & PF_X) &&
		    eh->e_entry >= ph->p_vaddr &&
		    eh->e_entry - ph->p_vaddr < ph->p_memsz)
			return true;
	return false;
}

static int elf_map_all(struct linux_binprm *bprm, const Elf64_Ehdr *eh,
		       const Elf64_Phdr *ph)
{
	struct mm_struct *mm = bprm->mm;
	int err = 0;

	mutex_lock(&mm->mmap_lock);
	for (unsigned int i = 0; i < eh->e_phnum && !err; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_memsz)
			err = elf_map_vma(mm, &ph[i], bprm->load_bias);
	mm->start_code = ~0UL;
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		unsigned long b = bprm->load_bias; /* the text: /proc, VmExe */

		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_X))
			continue;
		mm->start_code = min(mm->start_code, ph[i].p_vaddr + b);
		mm->end_code =
			max(mm->end_code, ph[i].p_vaddr + ph[i].p_filesz + b);
	}
	if (mm->start_code == ~0UL)
		mm->start_code = 0;
	mutex_unlock(&mm->mmap_lock);
	for (unsigned int i = 0; i < eh->e_phnum && !err; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_filesz)
			err = elf_fill(bprm, &ph[i], bprm->load_bias);
	return err;
}

static int elf_load_phdrs(struct linux_binprm *bprm, const Elf64_Ehdr *eh,
			  Elf64_Phdr *ph)
{
	unsigned long lo, hi;
	int err = elf_read(bprm, ph, eh->e_phnum * sizeof(*ph), eh->e_phoff);

	if (err)
		return err;
	err = elf_check_phdrs(bprm, ph, eh->e_phnum, &lo, &hi);
	if (err)
		return err;
	if (!entry_in_text(eh, ph))
		return -EINVAL;
	if (eh->e_type == ET_DYN)
		bprm->load_bias = ELF_ET_DYN_BASE - ALIGN_DOWN(lo, PAGE_SIZE);
	else if (lo < MMAP_MIN_ADDR)
		return -EINVAL;
	err = elf_map_all(bprm, eh, ph);
	if (err)
		return err;
	bprm->entry = eh->e_entry + bprm->load_bias;
	bprm->phdr = elf_phdr_addr(eh, ph);
	if (bprm->phdr)
		bprm->phdr += bprm->load_bias;
	bprm->phnum = eh->e_phnum;
	bprm->start_brk = ALIGN_UP(hi + bprm->load_bias, PAGE_SIZE);
	return 0;
}

int load_elf_binary(struct linux_binprm *bprm)
{
	Elf64_Ehdr eh;
	Elf64_Phdr *ph;
	int err = elf_read(bprm, &eh, sizeof(eh), 0);

	if (err)
		return err;
	err = elf_check_header(&eh);
	if (err)
		return err;
	ph = kmalloc(eh.e_phnum * sizeof(*ph), GFP_KERNEL);
	if (!ph)
		return -ENOMEM;
	err = elf_load_phdrs(bprm, &eh, ph);
	kfree(ph);
	return err;
}
