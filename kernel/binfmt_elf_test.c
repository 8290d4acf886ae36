// SPDX-License-Identifier: MIT
/*
 * binfmt_elf_test.c - the ELF loader and the initial stack on crafted
 * images in memory: a valid ET_EXEC and static-PIE load where they
 * should, with the right entry, AT_PHDR and break; every malformed
 * variant (truncated, overlapping, out of order, huge, entry outside,
 * wrong class or machine, an interpreter) gets its error; thousands of
 * random mutations get 0 or an error, never a fault (the leak check
 * after the suite sees every mm freed); and argc/argv/envp/auxv sit on
 * the stack where Linux puts them.
 */
#include <keel/binfmts.h>
#include <keel/elf.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/mm_user.h>
#include <keel/printk.h>
#include <keel/string.h>

#define IMG_SIZE 0x1200
#define TEXT_VA	 0x400000UL
#define DATA_VA	 0x401000UL

struct image {
	u8 bytes[IMG_SIZE];
	size_t size;
};

static struct image img;

static long buf_read(void *file, void *buf, size_t len, u64 pos)
{
	const struct image *im = file;

	if (pos >= im->size)
		return 0;
	len = min(len, (size_t)(im->size - pos));
	memcpy(buf, im->bytes + pos, len);
	return len;
}

static Elf64_Ehdr *ehdr(void)
{
	return (Elf64_Ehdr *)img.bytes;
}

static Elf64_Phdr *phdr(int i)
{
	return (Elf64_Phdr *)(img.bytes + sizeof(Elf64_Ehdr)) + i;
}

/* A valid static executable: text RX (headers + code), data RW + bss. */
static void make_image(u16 type, unsigned long base)
{
	memset(&img, 0, sizeof(img));
	img.size = IMG_SIZE;
	memcpy(ehdr()->e_ident, "\177ELF\2\1\1", 7);
	ehdr()->e_type = type;
	ehdr()->e_machine = EM_X86_64;
	ehdr()->e_version = EV_CURRENT;
	ehdr()->e_entry = base + 0x200;
	ehdr()->e_phoff = sizeof(Elf64_Ehdr);
	ehdr()->e_ehsize = sizeof(Elf64_Ehdr);
	ehdr()->e_phentsize = sizeof(Elf64_Phdr);
	ehdr()->e_phnum = 2;
	*phdr(0) = (Elf64_Phdr){ .p_type = PT_LOAD,
				 .p_flags = PF_R | PF_X,
				 .p_offset = 0,
				 .p_vaddr = base,
				 .p_filesz = 0x300,
				 .p_memsz = 0x300,
				 .p_align = PAGE_SIZE };
	*phdr(1) = (Elf64_Phdr){ .p_type = PT_LOAD,
				 .p_flags = PF_R | PF_W,
				 .p_offset = 0x1000,
				 .p_vaddr = base + 0x1000,
				 .p_filesz = 0x100,
				 .p_memsz = 0x3000,
				 .p_align = PAGE_SIZE };
	memset(img.bytes + 0x200, 0xc3, 16);	 /* "code" */
	memset(img.bytes + 0x1000, 0x77, 0x100); /* data */
}

/* Load img into a fresh mm; returns the loader's answer. */
static int load(struct linux_binprm *b)
{
	int err;

	memset(b, 0, sizeof(*b));
	b->read = buf_read;
	b->file = &img;
	b->size = img.size;
	b->filename = "/test";
	b->mm = mm_alloc();
	if (!b->mm)
		return -ENOMEM;
	err = load_elf_binary(b);
	return err;
}

static int load_and_free(void)
{
	struct linux_binprm b;
	int err = load(&b);

	if (b.mm)
		mmput(b.mm);
	return err;
}

static u8 byte_at(struct mm_struct *mm, unsigned long va)
{
	u8 *page;

	mutex_lock(&mm->mmap_lock);
	page = mm_page_kaddr(mm, va & ~(PAGE_SIZE - 1));
	mutex_unlock(&mm->mmap_lock);
	return page ? page[va & (PAGE_SIZE - 1)] : 0xee;
}

static unsigned long vma_flags(struct mm_struct *mm, unsigned long va)
{
	struct vm_area_struct *vma;

	mutex_lock(&mm->mmap_lock);
	vma = find_vma(mm, va);
	mutex_unlock(&mm->mmap_lock);
	return vma ? vma->vm_flags : ~0UL;
}

static void loads_static_exec(struct ktest *t)
{
	struct linux_binprm b;

	make_image(ET_EXEC, TEXT_VA);
	KTEST_ASSERT_EQ(t, load(&b), 0);
	KTEST_EXPECT_EQ(t, b.entry, TEXT_VA + 0x200);
	KTEST_EXPECT_EQ(t, b.phdr, TEXT_VA + sizeof(Elf64_Ehdr));
	KTEST_EXPECT_EQ(t, b.phnum, 2UL);
	KTEST_EXPECT_EQ(t, b.start_brk, DATA_VA + 0x3000);
	KTEST_EXPECT_EQ(t, byte_at(b.mm, TEXT_VA + 0x200), 0xc3);
	KTEST_EXPECT_EQ(t, byte_at(b.mm, DATA_VA + 0xff), 0x77);
	KTEST_EXPECT_EQ(t, byte_at(b.mm, DATA_VA + 0x100), 0); /* bss */
	KTEST_EXPECT_EQ(t, byte_at(b.mm, DATA_VA + 0x2000), 0);
	KTEST_EXPECT_EQ(t, vma_flags(b.mm, TEXT_VA), VM_READ | VM_EXEC);
	KTEST_EXPECT_EQ(t, vma_flags(b.mm, DATA_VA + 0x2fff),
			VM_READ | VM_WRITE);
	KTEST_EXPECT_EQ(t, vma_flags(b.mm, DATA_VA + 0x3000), ~0UL);
	mmput(b.mm);
}

static void loads_static_pie_at_dyn_base(struct ktest *t)
{
	struct linux_binprm b;

	make_image(ET_DYN, 0);
	KTEST_ASSERT_EQ(t, load(&b), 0);
	KTEST_EXPECT_EQ(t, b.load_bias, ELF_ET_DYN_BASE);
	KTEST_EXPECT_EQ(t, b.entry, ELF_ET_DYN_BASE + 0x200);
	KTEST_EXPECT_EQ(t, byte_at(b.mm, ELF_ET_DYN_BASE + 0x200), 0xc3);
	mmput(b.mm);
}

static void shared_page_gets_both_rights(struct ktest *t)
{
	struct linux_binprm b;

	make_image(ET_EXEC, TEXT_VA);
	phdr(1)->p_vaddr = TEXT_VA + 0x400; /* data in text's page */
	phdr(1)->p_offset = 0x400;
	KTEST_ASSERT_EQ(t, load(&b), 0);
	KTEST_EXPECT_EQ(t, vma_flags(b.mm, TEXT_VA),
			VM_READ | VM_WRITE | VM_EXEC);
	KTEST_EXPECT_EQ(t, vma_flags(b.mm, TEXT_VA + 0x1000),
			VM_READ | VM_WRITE);
	mmput(b.mm);
}

struct bad_case {
	const char *what;
	void (*mutate)(void);
	int err;
};

static void m_magic(void)
{
	img.bytes[1] = 'X';
}
static void m_class32(void)
{
	img.bytes[4] = 1;
}
static void m_machine(void)
{
	ehdr()->e_machine = 3;
}
static void m_type(void)
{
	ehdr()->e_type = 4; /* ET_CORE */
}
static void m_truncated(void)
{
	img.size = 40;
}
static void m_phoff_out(void)
{
	ehdr()->e_phoff = IMG_SIZE - 8;
}
static void m_phnum0(void)
{
	ehdr()->e_phnum = 0;
}
static void m_phentsize(void)
{
	ehdr()->e_phentsize = 32;
}
static void m_seg_past_eof(void)
{
	phdr(1)->p_filesz = 0x1000;
}
static void m_offset_huge(void)
{
	phdr(1)->p_offset = ~0ULL - 8;
}
static void m_filesz_gt_memsz(void)
{
	phdr(1)->p_memsz = 0x10;
}
static void m_overlap(void)
{
	phdr(1)->p_vaddr = TEXT_VA + 0x100;
}
static void m_order(void)
{
	phdr(1)->p_vaddr = TEXT_VA - 0x2000;
}
static void m_huge(void)
{
	phdr(1)->p_memsz = 1ULL << 47;
}
static void m_wrap(void)
{
	phdr(1)->p_memsz = ~0ULL - 0x1000;
}
static void m_kernel(void)
{
	phdr(1)->p_vaddr = 0xffffffff80000000ULL;
}
static void m_low(void)
{
	phdr(0)->p_vaddr = 0x1000;
	ehdr()->e_entry = 0x1200;
}
static void m_entry_out(void)
{
	ehdr()->e_entry = 0x900000;
}
static void m_entry_nx(void)
{
	ehdr()->e_entry = DATA_VA + 8;
}
static void m_interp(void)
{
	phdr(1)->p_type = PT_INTERP;
}
static void m_noload(void)
{
	phdr(0)->p_type = 0;
	phdr(1)->p_type = 0;
}

static const struct bad_case bad_cases[] = {
	{ "bad magic", m_magic, -ENOEXEC },
	{ "ELFCLASS32", m_class32, -ENOEXEC },
	{ "machine i386", m_machine, -ENOEXEC },
	{ "ET_CORE", m_type, -ENOEXEC },
	{ "truncated header", m_truncated, -ENOEXEC },
	{ "phdrs past the end", m_phoff_out, -ENOEXEC },
	{ "no phdrs", m_phnum0, -ENOEXEC },
	{ "phentsize", m_phentsize, -ENOEXEC },
	{ "segment past the end", m_seg_past_eof, -ENOEXEC },
	{ "offset overflows", m_offset_huge, -ENOEXEC },
	{ "filesz > memsz", m_filesz_gt_memsz, -EINVAL },
	{ "overlapping", m_overlap, -EINVAL },
	{ "out of order", m_order, -EINVAL },
	{ "huge segment", m_huge, -EINVAL },
	{ "size wraps", m_wrap, -EINVAL },
	{ "kernel address", m_kernel, -EINVAL },
	{ "below mmap_min_addr", m_low, -EINVAL },
	{ "entry outside", m_entry_out, -EINVAL },
	{ "entry not executable", m_entry_nx, -EINVAL },
	{ "PT_INTERP", m_interp, -ENOEXEC },
	{ "no PT_LOAD", m_noload, -ENOEXEC },
};

static void rejects_malformed_images(struct ktest *t)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		int err;

		make_image(ET_EXEC, TEXT_VA);
		bad_cases[i].mutate();
		err = load_and_free();
		if (err != bad_cases[i].err)
			pr_info("    # %s: %s, want %s\n", bad_cases[i].what,
				errname(err), errname(bad_cases[i].err));
		KTEST_EXPECT_EQ(t, err, bad_cases[i].err);
	}
}

/* A small generator of its own: the run is the same on every boot. */
static u32 next_random(u32 *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void survives_random_mutations(struct ktest *t)
{
	u32 seed = 0x2545f491;
	unsigned int ok = 0, refused = 0;

	for (int i = 0; i < 2000; i++) {
		int err;

		make_image(ET_EXEC, TEXT_VA);
		for (int k = 0; k < 1 + i % 4; k++) {
			u32 r = next_random(&seed);

			/* mostly the headers, where the loader decides */
			img.bytes[r % (r & 0x100 ? IMG_SIZE : 0xb0)] = r >> 16;
		}
		err = load_and_free();
		KTEST_EXPECT_LE(t, err, 0);
		if (err)
			refused++;
		else
			ok++;
	}
	KTEST_EXPECT_GT(t, refused, 0U);
	KTEST_EXPECT_GT(t, ok, 0U);
}

static unsigned long stack_word(struct mm_struct *mm, unsigned long va)
{
	unsigned long v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | byte_at(mm, va + i);
	return v;
}

static bool stack_string_is(struct mm_struct *mm, unsigned long va,
			    const char *s)
{
	do {
		if (byte_at(mm, va++) != (u8)*s)
			return false;
	} while (*s++);
	return true;
}

static unsigned long auxv_value(struct mm_struct *mm, unsigned long p,
				unsigned long type)
{
	for (int i = 0; i < 40; i++, p += 16) {
		unsigned long k = stack_word(mm, p);

		if (k == type)
			return stack_word(mm, p + 8);
		if (k == AT_NULL)
			break;
	}
	return ~0UL;
}

static void stack_has_linux_layout(struct ktest *t)
{
	struct exec_args a = {};
	struct linux_binprm b;
	unsigned long sp, p;

	make_image(ET_EXEC, TEXT_VA);
	KTEST_ASSERT_EQ(t, load(&b), 0);
	KTEST_ASSERT_EQ(t, exec_args_add(&a, "prog", 4), 0);
	KTEST_ASSERT_EQ(t, exec_args_add(&a, "-x", 2), 0);
	KTEST_ASSERT_EQ(t, exec_args_add(&a, "K=v", 3), 0);
	a.argc = 2;
	a.envc = 1;
	KTEST_ASSERT_EQ(t, create_elf_tables(&b, &a), 0);
	sp = b.sp;
	KTEST_EXPECT_EQ(t, sp % 16, 0UL);
	KTEST_EXPECT_EQ(t, stack_word(b.mm, sp), 2UL); /* argc */
	KTEST_EXPECT_TRUE(t, stack_string_is(b.mm, stack_word(b.mm, sp + 8),
					     "prog"));
	KTEST_EXPECT_TRUE(t, stack_string_is(b.mm, stack_word(b.mm, sp + 16),
					     "-x"));
	KTEST_EXPECT_EQ(t, stack_word(b.mm, sp + 24), 0UL);
	KTEST_EXPECT_TRUE(t, stack_string_is(b.mm, stack_word(b.mm, sp + 32),
					     "K=v"));
	KTEST_EXPECT_EQ(t, stack_word(b.mm, sp + 40), 0UL);
	p = sp + 48; /* auxv */
	KTEST_EXPECT_EQ(t, stack_word(b.mm, p), (unsigned long)AT_HWCAP);
	KTEST_EXPECT_EQ(t, auxv_value(b.mm, p, AT_PAGESZ), PAGE_SIZE);
	KTEST_EXPECT_EQ(t, auxv_value(b.mm, p, AT_ENTRY), TEXT_VA + 0x200);
	KTEST_EXPECT_EQ(t, auxv_value(b.mm, p, AT_PHDR), TEXT_VA + 64);
	KTEST_EXPECT_EQ(t, auxv_value(b.mm, p, AT_PHNUM), 2UL);
	KTEST_EXPECT_EQ(t, auxv_value(b.mm, p, AT_CLKTCK), 100UL);
	KTEST_EXPECT_GT(t, auxv_value(b.mm, p, AT_RANDOM), sp);
	KTEST_EXPECT_TRUE(t,
			  stack_string_is(b.mm, auxv_value(b.mm, p, AT_EXECFN),
					  "/test"));
	KTEST_EXPECT_TRUE(t, stack_string_is(b.mm,
					     auxv_value(b.mm, p, AT_PLATFORM),
					     "x86_64"));
	exec_args_free(&a);
	mmput(b.mm);
}

static struct ktest_case binfmt_elf_cases[] = {
	KTEST_CASE(loads_static_exec),
	KTEST_CASE(loads_static_pie_at_dyn_base),
	KTEST_CASE(shared_page_gets_both_rights),
	KTEST_CASE(rejects_malformed_images),
	KTEST_CASE(survives_random_mutations),
	KTEST_CASE(stack_has_linux_layout),
	{}
};
KTEST_SUITE(binfmt_elf, binfmt_elf_cases);
