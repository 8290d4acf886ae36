// SPDX-License-Identifier: MIT
/*
 * mmu_test.c - ktest suite for the kernel page tables (mmu.c) and the
 * VMAP area (mm/vmalloc.c): permissions found by walking the tables,
 * writes that must fault (probe_write_u8), guard pages, ioremap, W^X
 * (no page both writable and executable, and the scanner that says so).
 */
#include <asm/cpu.h>
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/slab.h>
#include <keel/vmalloc.h>

#define CR0_WP (1UL << 16)

extern char _text[], _etext[], _rodata[], _erodata[], _data[];
extern char _kernel_end[];

static const u8 test_rodata_byte = 0x5c;
static u8 test_data_byte = 1;
static u8 test_bss_byte;

/* The last byte before a linker symbol (no array arithmetic on it). */
static const void *before(const char *sym)
{
	return (const void *)((unsigned long)sym - 1);
}

static void expect_mapping(struct ktest *t, const void *va, bool rw, bool nx)
{
	u64 flags = 0;
	int level = 0;

	KTEST_ASSERT_EQ(t, mmu_lookup((unsigned long)va, &flags, &level), 0);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
	KTEST_EXPECT_EQ(t, !!(flags & _PAGE_RW), rw);
	KTEST_EXPECT_EQ(t, !!(flags & _PAGE_NX), nx && mmu_has_nx());
}

static void mmu_text_read_only_exec(struct ktest *t)
{
	expect_mapping(t, _text, false, false);
	expect_mapping(t, before(_etext), false, false);
	expect_mapping(t, (void *)mmu_text_read_only_exec, false, false);
}

static void mmu_rodata_read_only_nx(struct ktest *t)
{
	expect_mapping(t, _rodata, false, true);
	expect_mapping(t, &test_rodata_byte, false, true);
	expect_mapping(t, before(_erodata), false, true);
}

static void mmu_data_bss_rw_nx(struct ktest *t)
{
	expect_mapping(t, _data, true, true);
	expect_mapping(t, &test_data_byte, true, true);
	expect_mapping(t, &test_bss_byte, true, true);
	expect_mapping(t, before(_kernel_end), true, true);
	KTEST_EXPECT_EQ(t, mmu_lookup((unsigned long)_kernel_end, NULL, NULL),
			-ENOENT);
}

static void mmu_write_to_rodata_faults(struct ktest *t)
{
	u8 v = 0;

	KTEST_EXPECT_EQ(t, probe_write_u8((void *)&test_rodata_byte, 1),
			-EFAULT);
	KTEST_EXPECT_EQ(t, test_rodata_byte, 0x5c);
	KTEST_EXPECT_EQ(t, probe_write_u8(_text, 0xcc), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_write_u8(&test_bss_byte, 7), 0);
	KTEST_EXPECT_EQ(t, test_bss_byte, 7);
	KTEST_EXPECT_EQ(t, probe_read_u8(&test_rodata_byte, &v), 0);
	KTEST_EXPECT_EQ(t, v, 0x5c);
}

static void mmu_control_bits(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, read_cr0() & CR0_WP);
	KTEST_EXPECT_EQ(t, !!(rdmsr(MSR_EFER) & EFER_NXE), mmu_has_nx());
	/* no identity map any more: low addresses fault */
	KTEST_EXPECT_EQ(t, mmu_lookup(0x100000, NULL, NULL), -ENOENT);
	KTEST_EXPECT_EQ(t, mmu_lookup(0, NULL, NULL), -ENOENT);
}

static void mmu_direct_map(struct ktest *t)
{
	u8 *p = alloc_page(GFP_KERNEL);
	u64 flags;
	int level;

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_ASSERT_EQ(t, mmu_lookup((unsigned long)p, &flags, &level), 0);
	KTEST_EXPECT_GE(t, level, PG_LEVEL_2M);
	KTEST_EXPECT_TRUE(t, flags & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(flags & _PAGE_NX), mmu_has_nx());
	KTEST_EXPECT_EQ(t, mmu_translate((unsigned long)p + 123),
			virt_to_phys(p) + 123);
	/* the 4 GiB below the PCI hole and top of RAM are mapped too */
	KTEST_EXPECT_EQ(t,
			mmu_lookup((unsigned long)phys_to_virt(0xfee00000),
				   NULL, NULL),
			0);
	free_page(p);
}

static void kstack_has_guard_page(struct ktest *t)
{
	unsigned long before, guard;
	u8 *top, v;
	u64 flags;

	/*
	 * A first stack may need page tables (and, under KASAN, shadow)
	 * for a part of the VMAP area not used before; those stay, as
	 * Linux's do. Count from after one alloc/free: the stack's own
	 * pages must come back.
	 */
	kstack_free(kstack_alloc());
	before = nr_free_pages();
	top = kstack_alloc();

	KTEST_ASSERT_NOT_NULL(t, top);
	guard = (unsigned long)top - KSTACK_SIZE - PAGE_SIZE;
	KTEST_EXPECT_TRUE(t, IS_ALIGNED((unsigned long)top, 16));
	KTEST_EXPECT_GE(t, (unsigned long)top, VMAP_BASE);
	KTEST_EXPECT_EQ(t, mmu_lookup(guard, NULL, NULL), -ENOENT);
	KTEST_EXPECT_EQ(t, mmu_lookup(guard + PAGE_SIZE - 1, NULL, NULL),
			-ENOENT);
	KTEST_EXPECT_EQ(t, probe_read_u8((void *)guard + 100, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, probe_write_u8((void *)guard + PAGE_SIZE - 1, 1),
			-EFAULT);
	for (u8 *p = top - KSTACK_SIZE; p < top; p += PAGE_SIZE)
		KTEST_EXPECT_EQ(t, probe_write_u8(p, 0xab), 0);
	KTEST_ASSERT_EQ(t, mmu_lookup((unsigned long)top - 8, &flags, NULL), 0);
	KTEST_EXPECT_TRUE(t, flags & _PAGE_RW);
	kstack_free(top);
	KTEST_EXPECT_EQ(t, mmu_lookup((unsigned long)top - 8, NULL, NULL),
			-ENOENT);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void kstack_boot_cpu_runs_on_one(struct ktest *t)
{
	unsigned long fp = (unsigned long)__builtin_frame_address(0);

	KTEST_EXPECT_GE(t, fp, VMAP_BASE);
	KTEST_EXPECT_LT(t, fp, VMAP_BASE + VMAP_SIZE);
}

static void ioremap_uncached_alias(struct ktest *t)
{
	u32 *ram = alloc_page(__GFP_ZERO);
	volatile u32 *io;
	u64 flags;

	KTEST_ASSERT_NOT_NULL(t, ram);
	ram[4] = 0xdeadbeef;
	io = ioremap(virt_to_phys(ram) + 16, 8);
	KTEST_ASSERT_NOT_NULL(t, (void *)io);
	KTEST_EXPECT_EQ(t, (unsigned long)io & (PAGE_SIZE - 1), 16UL);
	KTEST_EXPECT_EQ(t, *io, 0xdeadbeefU);
	*io = 0x12345678;
	KTEST_EXPECT_EQ(t, ram[4], 0x12345678U);
	KTEST_ASSERT_EQ(t, mmu_lookup((unsigned long)io, &flags, NULL), 0);
	KTEST_EXPECT_EQ(t, flags & (_PAGE_PCD | _PAGE_PWT),
			_PAGE_PCD | _PAGE_PWT);
	iounmap((void *)io);
	KTEST_EXPECT_EQ(t, mmu_lookup((unsigned long)io, NULL, NULL), -ENOENT);
	free_page(ram);
}

static void vmap_reuses_space_without_leaks(struct ktest *t)
{
	struct mm_usage before, after;
	void *tops[8];
	int n;

	mm_usage_get(&before);
	for (n = 0; n < 8; n++) {
		tops[n] = kstack_alloc();
		if (!tops[n])
			break;
	}
	KTEST_EXPECT_EQ(t, n, 8);
	for (int i = 1; i < n; i++) /* distinct, non-overlapping */
		KTEST_EXPECT_NE(t, tops[i], tops[i - 1]);
	while (n--)
		kstack_free(tops[n]);
	mm_usage_get(&after);
	KTEST_EXPECT_EQ(t, after.free_pages, before.free_pages);
	KTEST_EXPECT_EQ(t, after.slab_objects, before.slab_objects);
	KTEST_EXPECT_NULL(t, vmap_phys(0x1000, 0, PAGE_KERNEL));
	KTEST_EXPECT_NULL(t, vmap_phys(0x1001, PAGE_SIZE, PAGE_KERNEL));
}

static void mmu_no_wx_mappings(struct ktest *t)
{
	if (!mmu_has_nx()) {
		ktest_skip(t, "no NX: every page is executable");
		return;
	}
	KTEST_EXPECT_EQ(t, mmu_check_wx(), 0L);
}

#define WX_TABLES 6
#define PTE_RW	  (_PAGE_PRESENT | _PAGE_RW)

/* The scanner on tables built here: it finds W+X leaves, and only them. */
static void mmu_wx_scan_finds_wx(struct ktest *t)
{
	u64 *tab[WX_TABLES], *pml4, *pdpt, *pd, *pt, *pt_nx, *pt_ro;
	unsigned long first = 0;
	int n;

	for (n = 0; n < WX_TABLES; n++) {
		tab[n] = alloc_page(__GFP_ZERO);
		if (!tab[n])
			goto out;
	}
	pml4 = tab[0], pdpt = tab[1], pd = tab[2];
	pt = tab[3], pt_nx = tab[4], pt_ro = tab[5];
	pml4[256] = virt_to_phys(pdpt) | PTE_RW;	/* 0xffff800000000000 */
	pml4[511] = virt_to_phys(pdpt) | _PAGE_PRESENT; /* read-only above */
	pdpt[0] = virt_to_phys(pd) | PTE_RW;
	pd[0] = 0x200000 | PTE_RW | _PAGE_PSE; /* W+X: 512 pages */
	pd[1] = virt_to_phys(pt) | PTE_RW;
	pt[0] = 0x1000 | PTE_RW | _PAGE_NX;
	pt[1] = 0x2000 | _PAGE_PRESENT;
	pt[2] = 0x3000 | PTE_RW;   /* W+X: 1 page */
	pt[3] = 0x4000 | _PAGE_RW; /* not present */
	pd[2] = virt_to_phys(pt_nx) | PTE_RW | _PAGE_NX;
	pt_nx[0] = 0x5000 | PTE_RW; /* NX from above */
	pd[3] = virt_to_phys(pt_ro) | _PAGE_PRESENT;
	pt_ro[0] = 0x6000 | PTE_RW; /* read-only from above */

	KTEST_EXPECT_EQ(t, mmu_wx_scan(pml4, &first), 513UL);
	KTEST_EXPECT_EQ(t, first, 0xffff800000000000UL);
	pd[0] |= _PAGE_NX;
	KTEST_EXPECT_EQ(t, mmu_wx_scan(pml4, &first), 1UL);
	KTEST_EXPECT_EQ(t, first, 0xffff800000000000UL + 0x200000 + 0x2000);
	pt[2] &= ~_PAGE_RW;
	KTEST_EXPECT_EQ(t, mmu_wx_scan(pml4, NULL), 0UL);
out:
	KTEST_EXPECT_EQ(t, n, WX_TABLES);
	while (n--)
		free_page(tab[n]);
}

static void mmu_refuses_wx_mapping(struct ktest *t)
{
	void *page = alloc_page(GFP_KERNEL), *va;
	struct mm_usage before, after;

	KTEST_ASSERT_NOT_NULL(t, page);
	mm_usage_get(&before);
	va = vmap_phys(virt_to_phys(page), PAGE_SIZE, PTE_RW);
	KTEST_EXPECT_NULL(t, va);
	vunmap(va);
	mm_usage_get(&after);
	KTEST_EXPECT_EQ(t, after.free_pages, before.free_pages);
	va = vmap_phys(virt_to_phys(page), PAGE_SIZE, PAGE_KERNEL);
	KTEST_EXPECT_NOT_NULL(t, va);
	vunmap(va);
	free_page(page);
}

static struct ktest_case mmu_cases[] = {
	KTEST_CASE(mmu_text_read_only_exec),
	KTEST_CASE(mmu_rodata_read_only_nx),
	KTEST_CASE(mmu_data_bss_rw_nx),
	KTEST_CASE(mmu_write_to_rodata_faults),
	KTEST_CASE(mmu_control_bits),
	KTEST_CASE(mmu_direct_map),
	KTEST_CASE(kstack_has_guard_page),
	KTEST_CASE(kstack_boot_cpu_runs_on_one),
	KTEST_CASE(ioremap_uncached_alias),
	KTEST_CASE(vmap_reuses_space_without_leaks),
	KTEST_CASE(mmu_no_wx_mappings),
	KTEST_CASE(mmu_wx_scan_finds_wx),
	KTEST_CASE(mmu_refuses_wx_mapping),
	{}
};
KTEST_SUITE(mmu, mmu_cases);
