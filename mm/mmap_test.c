// SPDX-License-Identifier: MIT
/*
 * mmap_test.c - user address spaces from the kernel side: VMAs split
 * and merge, the uaccess routines on real user pages (demand zero,
 * exact short counts at an unmapped page, read-only pages refused), and
 * SMAP refusing a kernel access to user memory outside stac/clac.
 *
 * Each case gives the running task a fresh mm for its duration.
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/smap.h>
#include <keel/ktest.h>
#include <keel/mm_user.h>
#include <keel/sched.h>
#include <keel/string.h>
#include <keel/uaccess.h>

#define BASE 0x10000000UL

static int user_mm_init(struct ktest *t)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return -ENOMEM;
	t->priv = current->mm; /* NULL: a kernel task */
	switch_mm(mm);
	return 0;
}

static void user_mm_exit(struct ktest *t)
{
	struct mm_struct *mm = current->mm;

	switch_mm(t->priv);
	mmput(mm);
}

static int map(unsigned long start, unsigned long len, unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	int err;

	mutex_lock(&mm->mmap_lock);
	err = mmap_region(mm, start, len, flags);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static int unmap(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	int err;

	mutex_lock(&mm->mmap_lock);
	err = do_munmap(mm, start, len);
	mutex_unlock(&mm->mmap_lock);
	return err;
}

static unsigned int nr_vmas(void)
{
	struct vm_area_struct *vma;
	unsigned int n = 0;

	list_for_each_entry(vma, &current->mm->vmas, vm_list)
		n++;
	return n;
}

static void vmas_split_and_merge(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, map(BASE, 4 * PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KTEST_EXPECT_EQ(
		t, map(BASE + 4 * PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KTEST_EXPECT_EQ(t, nr_vmas(), 1U); /* merged */
	KTEST_EXPECT_EQ(t, map(BASE, PAGE_SIZE, VM_READ), -EEXIST);
	KTEST_EXPECT_EQ(t, unmap(BASE + PAGE_SIZE, PAGE_SIZE), 0);
	KTEST_EXPECT_EQ(t, nr_vmas(), 2U);
	mutex_lock(&current->mm->mmap_lock);
	KTEST_EXPECT_EQ(t,
			do_mprotect(current->mm, BASE + 2 * PAGE_SIZE,
				    BASE + 3 * PAGE_SIZE, VM_READ),
			0);
	KTEST_EXPECT_EQ(t, nr_vmas(), 3U); /* [0,1) [2,3) [3,5) */
	KTEST_EXPECT_EQ(t,
			do_mprotect(current->mm, BASE, BASE + 2 * PAGE_SIZE,
				    VM_READ),
			-ENOMEM); /* a hole */
	mutex_unlock(&current->mm->mmap_lock);
	KTEST_EXPECT_EQ(t, map(0, PAGE_SIZE, VM_READ), -EINVAL); /* page 0 */
	KTEST_EXPECT_EQ(t, map(TASK_SIZE_MAX, PAGE_SIZE, VM_READ), -EINVAL);
}

static void copies_on_user_pages(struct ktest *t)
{
	char *u = (char *)BASE, buf[16];
	u64 v = 0;

	KTEST_ASSERT_EQ(t, map(BASE, 2 * PAGE_SIZE, VM_READ | VM_WRITE), 0);
	memset(buf, 0x5a, sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, u + 100, sizeof(buf)), 0UL);
	KTEST_EXPECT_EQ(t, buf[0], 0); /* demand zero */
	KTEST_EXPECT_EQ(t, copy_to_user(u + PAGE_SIZE - 4, "abcdefgh", 8), 0UL);
	KTEST_EXPECT_EQ(t, put_user(0x1122334455667788ULL, (u64 *)(u + 8)), 0);
	KTEST_EXPECT_EQ(t, get_user(v, (u64 *)(u + 8)), 0);
	KTEST_EXPECT_EQ(t, v, 0x1122334455667788ULL);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, u + PAGE_SIZE - 4, 16),
			8L); /* "abcdefgh" then the zeroed page */
	KTEST_EXPECT_STREQ(t, buf, "abcdefgh");
	KTEST_EXPECT_EQ(t, strnlen_user(u + PAGE_SIZE - 4, 16), 9L);
}

static void short_copy_at_unmapped_page(struct ktest *t)
{
	char *u = (char *)BASE, buf[8];

	KTEST_ASSERT_EQ(t, map(BASE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	/* 3 bytes fit before the end of the mapping: exactly 5 are left */
	KTEST_EXPECT_EQ(t, copy_to_user(u + PAGE_SIZE - 3, "12345678", 8), 5UL);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, u + PAGE_SIZE - 3, 8), 5UL);
	KTEST_EXPECT_EQ(t, memcmp(buf, "123", 3), 0);
	KTEST_EXPECT_EQ(t, buf[3], 0); /* the rest zeroed */
	KTEST_EXPECT_EQ(t, clear_user(u + PAGE_SIZE - 2, 6), 4UL);
	/* no NUL before the end (put_user: SMAP refuses a plain store) */
	KTEST_EXPECT_EQ(t, put_user('x', u + PAGE_SIZE - 1), 0);
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, u + PAGE_SIZE - 1, 8),
			(long)-EFAULT);
}

static void read_only_page_refuses_writes(struct ktest *t)
{
	char *u = (char *)BASE;
	char c = 1;

	KTEST_ASSERT_EQ(t, map(BASE, PAGE_SIZE, VM_READ), 0);
	KTEST_EXPECT_EQ(t, get_user(c, u), 0);
	KTEST_EXPECT_EQ(t, c, 0);
	KTEST_EXPECT_EQ(t, put_user('x', u), -EFAULT);
	KTEST_EXPECT_EQ(t, copy_to_user(u, "x", 1), 1UL);
}

/*
 * Under SMAP a kernel access to a present user page faults unless it is
 * inside stac/clac: probe_read_u8 (recovered by the exception table)
 * sees -EFAULT without the window and the byte with it. Needs -cpu max.
 */
static void smap_refuses_stray_kernel_access(struct ktest *t)
{
	char *u = (char *)BASE;
	u8 v = 0;

	if (!cpu_has_smap) {
		ktest_skip(t, "no SMAP on this CPU (QEMU -cpu max has it)");
		return;
	}
	KTEST_ASSERT_EQ(t, map(BASE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KTEST_ASSERT_EQ(t, put_user((char)42, u), 0); /* present now */
	KTEST_EXPECT_EQ(t, probe_read_u8(u, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_write_u8(u, 7), -EFAULT);
	stac();
	KTEST_EXPECT_EQ(t, probe_read_u8(u, &v), 0);
	clac();
	KTEST_EXPECT_EQ(t, v, 42);
}

static u64 pte_of(struct mm_struct *mm, unsigned long va)
{
	u64 *pte = user_pte(mm->pgd, va, false);

	return pte ? *pte : 0;
}

/* fork shares the page read-only; the first write copies it. */
static void fork_shares_pages_copy_on_write(struct ktest *t)
{
	int *u = (int *)BASE, v = 0;
	struct mm_struct *child;
	u64 p, c;

	KTEST_ASSERT_EQ(t, map(BASE, PAGE_SIZE, VM_READ | VM_WRITE), 0);
	KTEST_ASSERT_EQ(t, put_user(1, u), 0);
	child = dup_mm(current->mm);
	KTEST_ASSERT_NOT_NULL(t, child);
	p = pte_of(current->mm, BASE);
	c = pte_of(child, BASE);
	KTEST_EXPECT_EQ(t, p & PTE_ADDR_MASK, c & PTE_ADDR_MASK);
	KTEST_EXPECT_EQ(t, p & (_PAGE_RW | _PAGE_COW), _PAGE_COW);
	KTEST_EXPECT_EQ(t, c & (_PAGE_RW | _PAGE_COW), _PAGE_COW);
	KTEST_EXPECT_EQ(t, put_user(2, u), 0); /* the parent writes: a copy */
	p = pte_of(current->mm, BASE);
	KTEST_EXPECT_NE(t, p & PTE_ADDR_MASK, c & PTE_ADDR_MASK);
	KTEST_EXPECT_EQ(t, p & _PAGE_RW, _PAGE_RW);
	KTEST_EXPECT_EQ(t, *(int *)phys_to_virt(c & PTE_ADDR_MASK), 1);
	KTEST_EXPECT_EQ(t, get_user(v, u), 0);
	KTEST_EXPECT_EQ(t, v, 2);
	/* the child is now the page's only user: its write needs no copy */
	KTEST_EXPECT_EQ(t, handle_mm_fault(child, BASE, true, false), 0);
	KTEST_EXPECT_EQ(t, pte_of(child, BASE) & PTE_ADDR_MASK,
			c & PTE_ADDR_MASK);
	KTEST_EXPECT_EQ(t, pte_of(child, BASE) & _PAGE_RW, _PAGE_RW);
	mmput(child);
}

static struct ktest_case user_mm_cases[] = {
	KTEST_CASE(vmas_split_and_merge),
	KTEST_CASE(copies_on_user_pages),
	KTEST_CASE(short_copy_at_unmapped_page),
	KTEST_CASE(read_only_page_refuses_writes),
	KTEST_CASE(smap_refuses_stray_kernel_access),
	KTEST_CASE(fork_shares_pages_copy_on_write),
	{}
};
KTEST_SUITE(user_mm, user_mm_cases, .init = user_mm_init, .exit = user_mm_exit);
