// SPDX-License-Identifier: MIT
/*
 * slab.c - kmalloc() and object caches on top of the page allocator.
 *
 * A cache hands out objects of one size from slabs: blocks of 2^order
 * pages cut into equal slots. A free slot holds, in its first 8 bytes,
 * the offset of the next free slot and a FREE_MAGIC tag; the head page's
 * struct page keeps the first free offset and the number of objects in
 * use, and every page of a slab points at its cache (PG_slab), which is
 * how kfree() finds the cache of any pointer. Slabs with free slots sit
 * on the cache's partial list; full slabs on no list; a slab that
 * becomes empty goes straight back to the page allocator, so the free
 * page count after a test run is exact (the leak check relies on it).
 *
 * kmalloc() uses nine power-of-two caches, kmalloc-8 .. kmalloc-2048;
 * bigger requests take a page block of their own whose head page is
 * marked PG_large (its order says the size). Those are counted in the
 * pseudo-cache "kmalloc-large", so mm_usage_get() sees every live object.
 *
 * Frees are checked where it is cheap: the pointer must be a slot start
 * of a slab (or a PG_large head), and a slot tagged free is looked up in
 * its slab's free list, so a double free is refused instead of looping
 * the list. Refused frees WARN once and are counted.
 *
 * __GFP_DMA32 is honoured for large allocations only; slabs come from
 * any zone.
 *
 * KASAN=1 (keel/kasan.h): each slot also holds a red zone after the
 * object and a struct kasan_meta (the last allocation and free) after
 * that; an allocation unpoisons exactly the bytes asked for, a free
 * poisons the slot and parks it in the quarantine, from which it comes
 * back through slab_free_quarantined(). This file is not instrumented
 * (it writes free-list links into freed slots) and uses __memset.
 *
 * Locking: each cache's lock (irqsave) protects its slabs and counters;
 * cache_list_lock protects the list of caches. Lock order:
 * cache_list_lock -> a cache's lock -> the page allocator's lock.
 */
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/kasan.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/string.h>

#include "internal.h"

#define FREE_MAGIC	 0xf7eef7eeU
#define SLAB_END	 0xffffffffU
#define MAX_SLAB_ORDER	 3
#define MIN_OBJECTS	 4
#define NR_KMALLOC	 9 /* 8 .. 2048 */
#define KMALLOC_MAX_SIZE (PAGE_SIZE << MAX_ORDER)

struct kmem_cache {
	const char *name;
	size_t object_size;	  /* what the user asked for */
	size_t size;		  /* slot size: aligned object_size */
	unsigned int order;	  /* pages per slab: 2^order */
	unsigned int objects;	  /* slots per slab */
	struct list_head partial; /* slabs with free slots */
	struct list_head list;	  /* cache_list */
	spinlock_t lock;
	unsigned long in_use, bytes, pages, allocs, fails;
	size_t meta_offset; /* KASAN: struct kasan_meta in each slot */
};

struct free_slot {
	u32 next;
	u32 magic;
};

static struct kmem_cache kmalloc_caches[NR_KMALLOC];
static struct kmem_cache kmalloc_large = { .name = "kmalloc-large" };
static const char *const kmalloc_names[NR_KMALLOC] = {
	"kmalloc-8",   "kmalloc-16",   "kmalloc-32",
	"kmalloc-64",  "kmalloc-128",  "kmalloc-256",
	"kmalloc-512", "kmalloc-1024", "kmalloc-2048",
};
static LIST_HEAD(cache_list);
static DEFINE_SPINLOCK(cache_list_lock);
static unsigned long bad_frees; /* atomic: bumped under any lock */

static void count_bad_free(void)
{
	__atomic_fetch_add(&bad_frees, 1, __ATOMIC_RELAXED);
}

/* Pages needed for size bytes, as an order; size <= KMALLOC_MAX_SIZE+1. */
static unsigned int size_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static void cache_setup(struct kmem_cache *c, const char *name, size_t size,
			size_t align)
{
	unsigned long flags;

	c->name = name;
	c->object_size = size;
	c->size = ALIGN_UP(max(size, sizeof(struct free_slot)), align);
	if (KEEL_KASAN) { /* a red zone of at least 16 bytes, then the meta */
		c->meta_offset = ALIGN_UP(size, KASAN_GRANULE) +
				 max(16UL, ALIGN_UP(size / 4, KASAN_GRANULE));
		c->size = ALIGN_UP(c->meta_offset + sizeof(struct kasan_meta),
				   align);
	}
	while ((PAGE_SIZE << c->order) / c->size < MIN_OBJECTS &&
	       c->order < MAX_SLAB_ORDER)
		c->order++;
	c->objects = (PAGE_SIZE << c->order) / c->size;
	INIT_LIST_HEAD(&c->partial);
	spin_lock_init(&c->lock);
	spin_lock_irqsave(&cache_list_lock, flags);
	list_add_tail(&c->list, &cache_list);
	spin_unlock_irqrestore(&cache_list_lock, flags);
}

/* Set up the kmalloc caches. Requires the page allocator; boot only. */
void kmem_cache_init(void)
{
	for (int i = 0; i < NR_KMALLOC; i++)
		cache_setup(&kmalloc_caches[i], kmalloc_names[i],
			    KMALLOC_MIN_SIZE << i, KMALLOC_MIN_SIZE << i);
	INIT_LIST_HEAD(&kmalloc_large.partial);
	spin_lock_init(&kmalloc_large.lock);
	list_add_tail(&kmalloc_large.list, &cache_list);
}

static struct free_slot *slot_at(struct page *head, u32 off)
{
	return (struct free_slot *)((char *)page_address(head) + off);
}

/*
 * Get a new slab for c and put it on the partial list. Returns 0 or
 * -ENOMEM.
 */
static int slab_grow(struct kmem_cache *c)
{
	struct page *head = __alloc_pages(GFP_KERNEL, c->order);
	u32 off;

	lockdep_assert_held(&c->lock);
	if (!head)
		return -ENOMEM;
	for (unsigned long i = 0; i < (1UL << c->order); i++) {
		head[i].flags |= PG_slab;
		head[i].cache = c;
	}
	for (off = 0; off < c->objects * c->size; off += c->size) {
		struct free_slot *s = slot_at(head, off);

		s->next = off + c->size < c->objects * c->size ? off + c->size :
								 SLAB_END;
		s->magic = FREE_MAGIC;
	}
	head->freelist = 0;
	head->inuse = 0;
	kasan_poison(page_address(head), PAGE_SIZE << c->order,
		     KASAN_SLAB_REDZONE);
	list_add(&head->lru, &c->partial);
	c->pages += 1UL << c->order;
	return 0;
}

/* Give an empty slab back to the page allocator. */
static void slab_release(struct kmem_cache *c, struct page *head)
{
	lockdep_assert_held(&c->lock);

	list_del_init(&head->lru);
	for (unsigned long i = 0; i < (1UL << c->order); i++) {
		head[i].flags &= ~PG_slab;
		head[i].cache = NULL;
	}
	c->pages -= 1UL << c->order;
	__free_pages(head, c->order);
}

/* Take a slot from c; returns it or NULL. */
static void *slab_alloc(struct kmem_cache *c)
{
	struct free_slot *s;
	struct page *head;

	lockdep_assert_held(&c->lock);
	if (list_empty(&c->partial) && slab_grow(c))
		return NULL;
	head = list_first_entry(&c->partial, struct page, lru);
	s = slot_at(head, head->freelist);
	head->freelist = s->next;
	s->magic = 0;
	if (++head->inuse == c->objects)
		list_del_init(&head->lru);
	return s;
}

static struct kasan_meta *slot_meta(struct kmem_cache *c, const void *obj)
{
	return (struct kasan_meta *)((char *)obj + c->meta_offset);
}

/*
 * Returns the object or NULL (no memory, or failslab). __GFP_ZERO clears
 * the whole slot (the object, with KASAN). size: what the caller asked
 * for, the bytes KASAN lets it touch. Takes c->lock.
 */
static void *cache_alloc(struct kmem_cache *c, gfp_t gfp, size_t size)
{
	unsigned long flags;
	void *obj = NULL;
	bool inject;

	gfp_might_sleep(gfp);
	inject = should_fail_alloc(gfp);
	spin_lock_irqsave(&c->lock, flags);
	if (!inject)
		obj = slab_alloc(c);
	if (obj) {
		c->in_use++;
		c->bytes += c->object_size;
		c->allocs++;
	} else {
		c->fails++;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (obj && (gfp & __GFP_ZERO))
		__memset(obj, 0, KEEL_KASAN ? c->object_size : c->size);
	if (KEEL_KASAN && obj)
		kasan_slab_alloc(obj, size, c->meta_offset, slot_meta(c, obj));
	return obj;
}

void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	return cache_alloc(c, gfp, c->object_size);
}

/* Is the slot at off on head's free list? */
static bool slot_is_free(struct kmem_cache *c, struct page *head, u32 off)
{
	u32 n = 0;

	lockdep_assert_held(&c->lock);
	for (u32 f = head->freelist; f != SLAB_END && n++ < c->objects;
	     f = slot_at(head, f)->next)
		if (f == off)
			return true;
	return false;
}

/*
 * Return obj to its slab; page is any page of that slab. Refuses (WARN,
 * counted) a pointer that is not a slot start or is already free.
 * Takes c->lock.
 */
static struct page *slab_head(struct kmem_cache *c, struct page *page)
{
	return &mem_map[page_to_pfn(page) & ~((1UL << c->order) - 1)];
}

/* Put the slot at off back on head's free list. */
static void slot_release(struct kmem_cache *c, struct page *head, u32 off)
{
	struct free_slot *s = slot_at(head, off);

	lockdep_assert_held(&c->lock);
	s->next = head->freelist;
	s->magic = FREE_MAGIC;
	head->freelist = off;
	if (head->inuse-- == c->objects)
		list_add(&head->lru, &c->partial);
	if (!head->inuse)
		slab_release(c, head);
}

static void slab_free(struct kmem_cache *c, struct page *page, const void *obj,
		      unsigned long ip)
{
	struct page *head = slab_head(c, page);
	u32 off = (const char *)obj - (const char *)page_address(head);
	struct free_slot *s = slot_at(head, off);
	unsigned long flags;
	bool bad;

	if (KEEL_KASAN && !(off % c->size) &&
	    !kasan_slab_free(obj, c->meta_offset, slot_meta(c, obj), ip)) {
		count_bad_free(); /* a double free, reported */
		return;
	}
	spin_lock_irqsave(&c->lock, flags);
	bad = WARN_ON_ONCE(
		off % c->size || off >= c->objects * c->size ||
		(s->magic == FREE_MAGIC && slot_is_free(c, head, off)));
	if (bad) {
		count_bad_free();
	} else {
		c->in_use--;
		c->bytes -= c->object_size;
		if (!KEEL_KASAN)
			slot_release(c, head, off);
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (KEEL_KASAN && !bad && !kasan_quarantine_put(c, (void *)obj))
		slab_free_quarantined(c, (void *)obj);
}

void slab_free_quarantined(void *cache, void *obj)
{
	struct kmem_cache *c = cache;
	struct page *head = slab_head(c, virt_to_page(obj));
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	slot_release(c, head, (char *)obj - (char *)page_address(head));
	spin_unlock_irqrestore(&c->lock, flags);
}

bool slab_object_info(const void *addr, struct kasan_obj_info *info)
{
	struct page *page, *head;
	struct kmem_cache *c;
	unsigned long off;

	if (!KEEL_KASAN)
		return false;
	page = virt_to_page(addr);
	if (!page || !(page->flags & PG_slab))
		return false;
	c = page->cache;
	head = slab_head(c, page);
	off = (const char *)addr - (const char *)page_address(head);
	if (off >= c->objects * c->size)
		return false;
	info->cache = c->name;
	info->object = (char *)page_address(head) + off - off % c->size;
	info->object_size = c->object_size;
	info->meta = slot_meta(c, info->object);
	return true;
}

/* The slab page holding p, if p points into a slab; else NULL. */
static struct page *slab_page(const void *p)
{
	struct page *page = virt_to_page(p);

	return page && (page->flags & PG_slab) ? page : NULL;
}

/* The head of a live large kmalloc block starting at p, else NULL. */
static struct page *large_head(const void *p)
{
	struct page *page = virt_to_page(p);

	if (!page || page->flags != (PG_head | PG_large) ||
	    page_address(page) != p)
		return NULL;
	return page;
}

void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	struct page *page;

	if (!obj)
		return;
	page = slab_page(obj);
	if (WARN_ON_ONCE(!page || page->cache != c)) {
		count_bad_free();
		return;
	}
	if (KEEL_LOCKDEP)
		lockdep_free_range(obj, c->size);
	slab_free(c, page, obj, (unsigned long)__builtin_return_address(0));
}

/* Large kmalloc: a page block of its own. Returns it or NULL. */
static void *kmalloc_pages(size_t size, gfp_t gfp)
{
	unsigned int order = size_order(min(size, KMALLOC_MAX_SIZE + 1));
	struct kmem_cache *c = &kmalloc_large;
	struct page *page = NULL;
	unsigned long flags;

	gfp_might_sleep(gfp);
	if (!should_fail_alloc(gfp) && order <= MAX_ORDER)
		page = __alloc_pages(gfp & (__GFP_ZERO | __GFP_DMA32), order);
	spin_lock_irqsave(&c->lock, flags);
	if (page) {
		page->flags |= PG_large;
		c->in_use++;
		c->bytes += PAGE_SIZE << order;
		c->pages += 1UL << order;
		c->allocs++;
	} else {
		c->fails++;
	}
	spin_unlock_irqrestore(&c->lock, flags);
	if (page && KEEL_KASAN) { /* the rest of the block is a red zone */
		size_t used = ALIGN_UP(size, KASAN_GRANULE);

		kasan_unpoison(page_address(page), size);
		kasan_poison((char *)page_address(page) + used,
			     (PAGE_SIZE << order) - used, KASAN_PAGE_REDZONE);
	}
	return page ? page_address(page) : NULL;
}

static void kfree_pages(struct page *page)
{
	struct kmem_cache *c = &kmalloc_large;
	unsigned int order = page->order;
	unsigned long flags;

	spin_lock_irqsave(&c->lock, flags);
	c->in_use--;
	c->bytes -= PAGE_SIZE << order;
	c->pages -= 1UL << order;
	spin_unlock_irqrestore(&c->lock, flags);
	page->flags &= ~PG_large;
	__free_pages(page, order);
}

static struct kmem_cache *kmalloc_cache(size_t size)
{
	unsigned int i = 0;

	while ((size_t)KMALLOC_MIN_SIZE << i < size)
		i++;
	return &kmalloc_caches[i];
}

/*
 * Returns at least size bytes, 8-aligned (size-aligned up to 2048 for
 * power-of-two sizes, page aligned above), or NULL. size 0 is served as
 * 1 byte. Takes the cache's lock.
 */
void *kmalloc(size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_pages(size, gfp);
	return cache_alloc(kmalloc_cache(size), gfp, size ? size : 1);
}

void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/* kfree(NULL) does nothing; a pointer kmalloc did not return WARNs. */
void kfree(const void *p)
{
	struct page *page;

	if (!p)
		return;
	page = slab_page(p);
	if (page) {
		if (KEEL_LOCKDEP)
			lockdep_free_range(p, page->cache->size);
		slab_free(page->cache, page, p,
			  (unsigned long)__builtin_return_address(0));
		return;
	}
	page = large_head(p);
	if (WARN_ON_ONCE(!page)) {
		count_bad_free();
		return;
	}
	kfree_pages(page);
}

/* What ksize() says of an object of c: its slot, or with KASAN its size. */
static size_t ksize_of(const struct kmem_cache *c)
{
	return KEEL_KASAN ? c->object_size : c->size;
}

/* Usable bytes at p (0 for NULL or a pointer kmalloc did not return). */
size_t ksize(const void *p)
{
	struct page *page;

	if (!p)
		return 0;
	page = slab_page(p);
	if (page && KEEL_KASAN) { /* the caller may use all of it now */
		kasan_unpoison(p, page->cache->object_size);
		return page->cache->object_size;
	}
	if (page)
		return page->cache->size;
	page = large_head(p);
	if (WARN_ON_ONCE(!page))
		return 0;
	kasan_unpoison(p, PAGE_SIZE << page->order);
	return PAGE_SIZE << page->order;
}

/*
 * Resize p to new_size keeping min(old, new) bytes. Keeps p when the new
 * size maps to the same size class. Returns the block, or NULL: on
 * failure (p untouched) or for new_size 0 (p freed).
 */
void *krealloc(void *p, size_t new_size, gfp_t gfp)
{
	size_t old, want;
	void *n;

	if (!p)
		return kmalloc(new_size, gfp);
	if (!new_size) {
		kfree(p);
		return NULL;
	}
	old = ksize(p);
	if (!old || new_size > KMALLOC_MAX_SIZE)
		return NULL;
	want = new_size > KMALLOC_MAX_CACHE_SIZE ?
		       PAGE_SIZE << size_order(new_size) :
		       ksize_of(kmalloc_cache(new_size));
	if (want == old) { /* same size class: KASAN allows new_size */
		if (KEEL_KASAN && new_size <= KMALLOC_MAX_CACHE_SIZE)
			kasan_slab_alloc(p, new_size,
					 kmalloc_cache(new_size)->meta_offset,
					 slot_meta(kmalloc_cache(new_size), p));
		return p;
	}
	n = kmalloc(new_size, gfp);
	if (!n)
		return NULL;
	memcpy(n, p, min(old, new_size));
	kfree(p);
	return n;
}

/*
 * Returns a new cache (its struct from kmalloc) or NULL: out of memory,
 * size 0 or too big for a slab of 2^MAX_SLAB_ORDER pages, or align not a
 * power of two. flags are reserved (must be 0). Takes cache_list_lock.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags)
{
	struct kmem_cache *c;

	if (!align)
		align = KMALLOC_ALIGN;
	if (!size || size > (PAGE_SIZE << MAX_SLAB_ORDER) || flags ||
	    (align & (align - 1)) || align > PAGE_SIZE)
		return NULL;
	c = kzalloc(sizeof(*c), GFP_KERNEL);
	if (c)
		cache_setup(c, name, size, align);
	return c;
}

/*
 * Destroy an empty cache. One with live objects is refused with a WARN
 * (freeing it would leave slabs pointing at freed memory).
 */
void kmem_cache_destroy(struct kmem_cache *c)
{
	unsigned long flags;

	if (!c)
		return;
	kasan_quarantine_drain(); /* no object of c may stay parked */
	if (WARN_ON_ONCE(READ_ONCE(c->in_use)))
		return;
	spin_lock_irqsave(&cache_list_lock, flags);
	list_del_init(&c->list);
	spin_unlock_irqrestore(&cache_list_lock, flags);
	kfree(c);
}

void kmem_cache_get_stats(const struct kmem_cache *c,
			  struct kmem_cache_stats *st)
{
	struct kmem_cache *mc = (struct kmem_cache *)c;
	unsigned long flags;

	kasan_quarantine_drain(); /* freed objects' slabs count as freed */

	spin_lock_irqsave(&mc->lock, flags);
	*st = (struct kmem_cache_stats){
		.name = c->name,
		.object_size = c->object_size,
		.objects_in_use = c->in_use,
		.bytes_in_use = c->bytes,
		.slabs = c->pages,
		.total_allocs = c->allocs,
		.failed_allocs = c->fails,
	};
	spin_unlock_irqrestore(&mc->lock, flags);
}

/* Live objects and bytes over all caches. Takes cache_list_lock. */
void slab_usage(unsigned long *objects, unsigned long *bytes)
{
	struct kmem_cache *c;
	unsigned long flags;

	*objects = 0;
	*bytes = 0;
	spin_lock_irqsave(&cache_list_lock, flags);
	list_for_each_entry(c, &cache_list, list) {
		*objects += READ_ONCE(c->in_use);
		*bytes += READ_ONCE(c->bytes);
	}
	spin_unlock_irqrestore(&cache_list_lock, flags);
}

unsigned long slab_bad_frees(void)
{
	return __atomic_load_n(&bad_frees, __ATOMIC_RELAXED);
}

void slab_for_each_stats(void (*fn)(const struct kmem_cache_stats *st,
				    void *arg),
			 void *arg)
{
	struct kmem_cache_stats st;
	struct kmem_cache *c;
	unsigned long flags;

	spin_lock_irqsave(&cache_list_lock, flags);
	list_for_each_entry(c, &cache_list, list) {
		kmem_cache_get_stats(c, &st);
		fn(&st, arg);
	}
	spin_unlock_irqrestore(&cache_list_lock, flags);
}

static void show_cache(const struct kmem_cache_stats *st, void *arg)
{
	(void)arg;
	monitor_printf("%-16s %6zu %8lu %10lu %6lu %10lu %6lu\n", st->name,
		       st->object_size, st->objects_in_use, st->bytes_in_use,
		       st->slabs, st->total_allocs, st->failed_allocs);
}

/* One line per cache (monitor "meminfo"). Takes cache_list_lock. */
void slab_show_info(void)
{
	monitor_printf("%-16s %6s %8s %10s %6s %10s %6s\n", "cache", "size",
		       "objects", "bytes", "pages", "allocs", "fails");
	slab_for_each_stats(show_cache, NULL);
	monitor_printf("bad kfree/kmem_cache_free refused: %lu\n",
		       slab_bad_frees());
}
