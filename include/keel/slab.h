/* SPDX-License-Identifier: MIT */
/*
 * keel/slab.h - kernel object allocation.
 *
 * kmalloc() serves sizes up to KMALLOC_MAX_CACHE_SIZE from power-of-two
 * size-class caches (8 .. 2048 bytes) and larger sizes straight from the
 * page allocator. kmem_cache_create() makes a cache for one object type.
 * Every cache counts objects and bytes in use so tests can assert that
 * nothing leaked. Allocation never panics: failure returns NULL, and the
 * failslab knob (failslab=N / failslab.prob=P on the command line, or
 * failslab_set() from tests) makes allocations fail on purpose.
 */
#ifndef _KEEL_SLAB_H
#define _KEEL_SLAB_H

#include <keel/mm.h>

#define KMALLOC_MIN_SIZE       8
#define KMALLOC_MAX_CACHE_SIZE 2048
#define KMALLOC_ALIGN	       8 /* every kmalloc result is 8-aligned */

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
/* Resize keeping the contents; NULL on failure leaves p untouched. */
void *krealloc(void *p, size_t new_size, gfp_t gfp);
void kfree(const void *p);
/* Usable size of a kmalloc'd block (>= the size asked for). */
size_t ksize(const void *p);

struct kmem_cache;

struct kmem_cache_stats {
	const char *name;
	size_t object_size;
	unsigned long objects_in_use;
	unsigned long bytes_in_use; /* objects_in_use * object_size */
	unsigned long slabs;	    /* pages held by the cache */
	unsigned long total_allocs;
	unsigned long failed_allocs;
};

/*
 * A cache of objects of size bytes aligned to align (0: 8). The name is
 * not copied. Returns NULL if memory for the cache itself is short.
 */
struct kmem_cache *kmem_cache_create(const char *name, size_t size,
				     size_t align, unsigned int flags);
/* Frees the cache; its objects must all have been freed (else WARN). */
void kmem_cache_destroy(struct kmem_cache *c);
void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *c, void *obj);
void kmem_cache_get_stats(const struct kmem_cache *c,
			  struct kmem_cache_stats *st);
/*
 * fn(stats, arg) for every cache, under the cache list's spinlock with
 * interrupts off: fn must not sleep or allocate (/proc/slabinfo, the
 * monitor).
 */
void slab_for_each_stats(void (*fn)(const struct kmem_cache_stats *st,
				    void *arg),
			 void *arg);

/* Fault injection, failslab-style. */
struct failslab_config {
	/* fail the nth allocation from now (1 = the next), 0 = off */
	unsigned long fail_nth;
	/* percent of allocations to fail, 0 = off */
	unsigned int probability;
	/* stop after this many injected failures, 0 = no limit */
	unsigned long times;
	/* seed of the probability's generator, 0 = the default seed */
	u64 seed;
};
void failslab_set(const struct failslab_config *cfg);
void failslab_get(struct failslab_config *cfg);
unsigned long failslab_injected(void); /* failures injected so far */
/* Apply failslab= from the command line (boot, once mm is up). */
void failslab_init(void);
/* A probability-only config from a "P" or "P:SEED" string (ktest.failslab=) */
int failslab_parse_rate(const char *val, struct failslab_config *cfg);

#endif
