// SPDX-License-Identifier: MIT
/*
 * page_alloc_test.c - ktest suite for the buddy allocator (page_alloc.c)
 * and the boot-time reservations (bootmem.c).
 *
 * White-box where it must be: the coalescing case builds two allocated
 * buddies out of one block and checks mem_map afterwards. Every case
 * frees what it took, so the run's leak check stays exact.
 */
#include <keel/boot.h>
#include <keel/ktest.h>
#include <keel/string.h>

#include "internal.h"

extern char _kernel_start[], _kernel_end[];

static unsigned long pfn_of(const void *p)
{
	return PFN_DOWN(virt_to_phys(p));
}

static void buddy_alloc_free_restores_count(struct ktest *t)
{
	unsigned long before = nr_free_pages();
	void *p = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - 1);
	KTEST_EXPECT_TRUE(t, virt_to_page(p)->flags == PG_head);
	free_page(p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

/* The free block of order >= min_order that covers pfn, or -1. */
static int free_block_order(unsigned long pfn, unsigned int min_order)
{
	for (unsigned int o = min_order; o <= MAX_ORDER; o++) {
		struct page *head = &mem_map[pfn & ~((1UL << o) - 1)];

		if (head->flags == PG_buddy && head->order == o)
			return o;
	}
	return -1;
}

static void buddy_coalesces_two_halves(struct ktest *t)
{
	const unsigned int n = 2;
	unsigned long before = nr_free_pages();
	char *a = alloc_pages(GFP_KERNEL, n + 1);
	char *b = a + (PAGE_SIZE << n);
	struct page *pa, *pb;

	KTEST_ASSERT_NOT_NULL(t, a);
	/* turn the order n+1 block into two allocated order-n buddies */
	pa = virt_to_page(a);
	pb = virt_to_page(b);
	pa->order = n;
	pb->flags = PG_head;
	pb->order = n;
	free_pages(a, n);
	KTEST_EXPECT_EQ(t, free_block_order(pfn_of(a), n), (int)n);
	KTEST_EXPECT_EQ(t, pb->flags, PG_head);
	free_pages(b, n);
	KTEST_EXPECT_GE(t, free_block_order(pfn_of(a), n), (int)n + 1);
	KTEST_EXPECT_EQ(t, pb->flags, 0);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void buddy_every_order(struct ktest *t)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		unsigned long before = nr_free_pages();
		char *p = alloc_pages(GFP_KERNEL, o);

		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_TRUE(t,
				  IS_ALIGNED(virt_to_phys(p), PAGE_SIZE << o));
		KTEST_EXPECT_EQ(t, nr_free_pages(), before - (1UL << o));
		p[0] = 1;
		p[(PAGE_SIZE << o) - 1] = 2;
		free_pages(p, o);
		KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	}
	KTEST_EXPECT_NULL(t, alloc_pages(GFP_KERNEL, MAX_ORDER + 1));
}

/* Must a page handed out never overlap what bootmem reserved? */
static bool overlaps_reserved(phys_addr_t pa, size_t len)
{
	phys_addr_t ks = (phys_addr_t)(_kernel_start - KERNEL_VMA);
	phys_addr_t ke = (phys_addr_t)(_kernel_end - KERNEL_VMA);
	phys_addr_t ms = virt_to_phys(mem_map);
	phys_addr_t me = ms + max_pfn * sizeof(struct page);

	if (pa < 0x100000 || (pa < ke && pa + len > ks) ||
	    (pa < me && pa + len > ms))
		return true;
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		if (pa < m->base + m->len && pa + len > m->base)
			return true;
	}
	return false;
}

/*
 * Allocate order-3 blocks until none is left, chaining them through
 * their first word; none may overlap a reservation; freeing them all
 * restores the free count exactly.
 */
static void buddy_exhaustion(struct ktest *t)
{
	const unsigned int order = 3;
	const gfp_t gfp = __GFP_NOFAIL_INJECT;
	unsigned long before = nr_free_pages(), n = 0, bad = 0;
	void **chain = NULL, **p;

	while ((p = alloc_pages(gfp, order)) != NULL) {
		bad += overlaps_reserved(virt_to_phys(p), PAGE_SIZE << order);
		*p = chain;
		chain = p;
		n++;
	}
	KTEST_EXPECT_EQ(t, bad, 0UL);
	KTEST_EXPECT_GT(t, n, 0UL);
	KTEST_EXPECT_LE(t, n << order, before);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - (n << order));
	KTEST_EXPECT_NULL(t, alloc_pages(gfp, order + 1));
	while (chain) {
		p = *chain;
		free_pages(chain, order);
		chain = p;
	}
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void buddy_zone_counts(struct ktest *t)
{
	unsigned long dma = zone_free_pages(ZONE_DMA32);
	unsigned long normal = zone_free_pages(ZONE_NORMAL);
	char *p;

	KTEST_EXPECT_EQ(t, dma + normal, nr_free_pages());
	KTEST_EXPECT_EQ(t,
			zone_managed_pages(ZONE_DMA32) +
				zone_managed_pages(ZONE_NORMAL),
			nr_total_pages());
	p = alloc_pages(GFP_DMA32, 1);
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_LT(t, virt_to_phys(p), 0x100000000ULL);
	KTEST_EXPECT_EQ(t, zone_free_pages(ZONE_DMA32), dma - 2);
	KTEST_EXPECT_EQ(t, zone_free_pages(ZONE_NORMAL), normal);
	free_pages(p, 1);
	if (normal) { /* above 4 GiB exists: GFP_KERNEL prefers it */
		p = alloc_pages(GFP_KERNEL, 0);
		KTEST_ASSERT_NOT_NULL(t, p);
		KTEST_EXPECT_GE(t, virt_to_phys(p), 0x100000000ULL);
		KTEST_EXPECT_EQ(t, zone_free_pages(ZONE_NORMAL), normal - 1);
		free_page(p);
	}
	KTEST_EXPECT_EQ(t, zone_free_pages(ZONE_DMA32), dma);
	KTEST_EXPECT_EQ(t, zone_free_pages(ZONE_NORMAL), normal);
}

static void buddy_gfp_zero(struct ktest *t)
{
	static const u8 zero[PAGE_SIZE];
	u8 *p = alloc_pages(GFP_KERNEL, 1);

	KTEST_ASSERT_NOT_NULL(t, p);
	memset(p, 0xa5, 2 * PAGE_SIZE);
	free_pages(p, 1);
	p = alloc_pages(__GFP_ZERO, 1); /* LIFO: most likely the same */
	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_MEMEQ(t, p, zero, PAGE_SIZE);
	KTEST_EXPECT_MEMEQ(t, p + PAGE_SIZE, zero, PAGE_SIZE);
	free_pages(p, 1);
}

static void buddy_double_free_refused(struct ktest *t)
{
	unsigned long bad = page_alloc_bad_frees();
	unsigned long before = nr_free_pages();
	void *p = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	free_page(p);
	ktest_expect_warn(t, true);
	free_page(p);
	ktest_expect_warn(t, false);
	KTEST_EXPECT_EQ(t, page_alloc_bad_frees(), bad + 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	/* the lists are intact: the page can be allocated again, once */
	p = alloc_page(GFP_KERNEL);
	KTEST_ASSERT_NOT_NULL(t, p);
	free_page(p);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
}

static void buddy_bad_frees_refused(struct ktest *t)
{
	unsigned long bad = page_alloc_bad_frees();
	unsigned long before = nr_free_pages();
	char *p = alloc_pages(GFP_KERNEL, 1);

	KTEST_ASSERT_NOT_NULL(t, p);
	ktest_expect_warn(t, true);
	free_pages(p, 0);		/* wrong order */
	free_pages(p + PAGE_SIZE, 0);	/* tail page */
	free_pages(p + 8, 1);		/* not page aligned */
	free_pages(_kernel_start, 0);	/* kernel image */
	free_pages(phys_to_virt(0), 0); /* page 0: reserved */
	ktest_expect_warn(t, false);
	KTEST_EXPECT_EQ(t, page_alloc_bad_frees(), bad + 5);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before - 2);
	free_pages(p, 1);
	KTEST_EXPECT_EQ(t, nr_free_pages(), before);
	free_pages(NULL, 0); /* no-op */
	KTEST_EXPECT_EQ(t, page_alloc_bad_frees(), bad + 5);
}

static void buddy_reservations(struct ktest *t)
{
	unsigned long kpfn = PFN_DOWN(virt_to_phys(_kernel_start));
	unsigned long kend = PFN_UP(virt_to_phys(_kernel_end));
	unsigned long mpfn = pfn_of(mem_map);

	KTEST_EXPECT_EQ(t, mem_map[0].flags, PG_reserved);
	KTEST_EXPECT_EQ(t, mem_map[0xff].flags, PG_reserved);
	KTEST_EXPECT_EQ(t, mem_map[kpfn].flags, PG_reserved);
	KTEST_EXPECT_EQ(t, mem_map[kend - 1].flags, PG_reserved);
	KTEST_EXPECT_EQ(t, mem_map[mpfn].flags, PG_reserved);
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];

		KTEST_EXPECT_EQ(t, mem_map[PFN_DOWN(m->base)].flags,
				PG_reserved);
		KTEST_EXPECT_EQ(t,
				mem_map[PFN_DOWN(m->base + m->len - 1)].flags,
				PG_reserved);
	}
	KTEST_EXPECT_LE(t, nr_total_pages(), PFN_DOWN(boot_info.ram_bytes));
}

static void buddy_virt_to_phys(struct ktest *t)
{
	void *p = alloc_page(GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, p);
	KTEST_EXPECT_TRUE(t, phys_to_virt(virt_to_phys(p)) == p);
	KTEST_EXPECT_EQ(t, virt_to_phys(_kernel_start), KERNEL_PHYS);
	KTEST_EXPECT_TRUE(t, page_address(virt_to_page(p)) == p);
	free_page(p);
}

static struct ktest_case buddy_cases[] = {
	KTEST_CASE(buddy_alloc_free_restores_count),
	KTEST_CASE(buddy_coalesces_two_halves),
	KTEST_CASE(buddy_every_order),
	KTEST_CASE(buddy_exhaustion),
	KTEST_CASE(buddy_zone_counts),
	KTEST_CASE(buddy_gfp_zero),
	KTEST_CASE(buddy_double_free_refused),
	KTEST_CASE(buddy_bad_frees_refused),
	KTEST_CASE(buddy_reservations),
	KTEST_CASE(buddy_virt_to_phys),
	{}
};
KTEST_SUITE(buddy, buddy_cases);
