// SPDX-License-Identifier: MIT
/*
 * vmalloc.c - allocating kernel virtual address space in the VMAP area.
 *
 * The area list holds every live area sorted by address; a new one goes
 * into the first gap that fits (first fit, O(areas): there are few, and
 * they are long-lived: stacks and device windows). Each area records
 * what backs it, so the one call that frees it also frees its memory.
 * The page-table work itself is arch code (map_kernel_range,
 * unmap_kernel_range), which frees page tables that empty, so creating
 * and freeing an area leaves no page and no object behind.
 *
 * vm_lock (irqsave) protects the list; it is never held while mapping.
 */
#include <asm/layout.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/kasan.h>
#include <keel/list.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/vmalloc.h>

#include "internal.h"

struct vm_area {
	struct list_head list; /* vm_areas, sorted by addr */
	unsigned long addr;    /* start, including the guard */
	unsigned long size;    /* bytes, including the guard */
	unsigned long guard;   /* unmapped bytes at the bottom */
	void *stack_pages;     /* kstack: direct-map address */
};

static LIST_HEAD(vm_areas);
static DEFINE_SPINLOCK(vm_lock);

/*
 * Find a gap of a->size bytes and insert a there. Returns 0 or -ENOMEM
 * when the VMAP area is full. Takes vm_lock.
 */
static int area_insert(struct vm_area *a)
{
	unsigned long start = VMAP_BASE, flags;
	struct list_head *next = &vm_areas;
	struct vm_area *it;
	int err = -ENOMEM;

	spin_lock_irqsave(&vm_lock, flags);
	list_for_each_entry(it, &vm_areas, list) {
		if (it->addr - start >= a->size) {
			next = &it->list;
			break;
		}
		start = it->addr + it->size;
	}
	if (VMAP_BASE + VMAP_SIZE - start >= a->size) {
		a->addr = start;
		list_add_tail(&a->list, next);
		err = 0;
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	return err;
}

/*
 * Remove and return the area whose mapped part starts at addr (a
 * vmap_phys area) or, when by_top, the stack area that ends at addr.
 * NULL if there is none. Takes vm_lock.
 */
static struct vm_area *area_remove(unsigned long addr, bool by_top)
{
	struct vm_area *it, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&vm_lock, flags);
	list_for_each_entry(it, &vm_areas, list) {
		unsigned long key = by_top ? it->addr + it->size :
					     it->addr + it->guard;

		if (key == addr && !by_top == !it->stack_pages) {
			found = it;
			list_del_init(&it->list);
			break;
		}
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	return found;
}

/*
 * Reserve guard + size bytes and map size bytes of phys above the guard;
 * stack_pages (NULL if not a stack) is what backs a kernel stack.
 * Returns the area (mapped) or NULL. Takes vm_lock, then the page-table
 * lock, never both.
 */
static struct vm_area *area_map(phys_addr_t phys, size_t size, size_t guard,
				pgprot_t prot, void *stack_pages)
{
	struct vm_area *a;

	if (!size || !IS_ALIGNED(phys | size, PAGE_SIZE) ||
	    size > VMAP_SIZE - guard)
		return NULL;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return NULL;
	a->size = size + guard;
	a->guard = guard;
	a->stack_pages = stack_pages;
	if (area_insert(a))
		goto err_free_area;
	if (map_kernel_range(a->addr + guard, phys, size, prot))
		goto err_remove_area;
	/* KASAN=1: the mapped part may be touched, the guard not */
	kasan_poison((void *)a->addr, guard, KASAN_VMAP_GUARD);
	kasan_unpoison((void *)(a->addr + guard), size);
	return a;

err_remove_area:
	area_remove(stack_pages ? a->addr + a->size : a->addr + guard,
		    stack_pages != NULL);
err_free_area:
	kfree(a);
	return NULL;
}

static void area_unmap(struct vm_area *a)
{
	kasan_poison((void *)a->addr, a->size, KASAN_VMAP_INVALID);
	unmap_kernel_range(a->addr + a->guard, a->size - a->guard);
	kfree(a);
}

void *vmap_phys(phys_addr_t phys, size_t size, pgprot_t prot)
{
	struct vm_area *a = area_map(phys, size, 0, prot, NULL);

	return a ? (void *)a->addr : NULL;
}

void vunmap(const void *addr)
{
	struct vm_area *a;

	if (!addr)
		return;
	a = area_remove((unsigned long)addr, false);
	if (WARN_ON_ONCE(!a))
		return;
	area_unmap(a);
}

void *kstack_alloc(void)
{
	void *pages = alloc_pages(GFP_KERNEL, KSTACK_ORDER);
	struct vm_area *a;

	if (!pages)
		return NULL;
	a = area_map(virt_to_phys(pages), KSTACK_SIZE, PAGE_SIZE, PAGE_KERNEL,
		     pages);
	if (!a) {
		free_pages(pages, KSTACK_ORDER);
		return NULL;
	}
	return (void *)(a->addr + a->size);
}

void kstack_free(void *top)
{
	struct vm_area *a;
	void *pages;

	if (!top)
		return;
	a = area_remove((unsigned long)top, true);
	if (WARN_ON_ONCE(!a))
		return;
	pages = a->stack_pages;
	area_unmap(a);
	free_pages(pages, KSTACK_ORDER);
}

#if KEEL_KASAN
/* For KASAN's reports; takes vm_lock. */
bool vmap_area_info(unsigned long addr, struct vmap_area_info *info)
{
	struct vm_area *it;
	unsigned long flags;
	bool found = false;

	spin_lock_irqsave(&vm_lock, flags);
	list_for_each_entry(it, &vm_areas, list) {
		if (addr >= it->addr && addr - it->addr < it->size) {
			*info = (struct vmap_area_info){
				.start = it->addr,
				.end = it->addr + it->size,
				.guard = it->guard,
				.stack = it->stack_pages != NULL,
			};
			found = true;
			break;
		}
	}
	spin_unlock_irqrestore(&vm_lock, flags);
	return found;
}
#endif
