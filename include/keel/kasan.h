/* SPDX-License-Identifier: MIT */
/*
 * keel/kasan.h - the kernel address sanitizer (make KASAN=1; mm/kasan.c).
 *
 * Generic KASAN with Linux's shadow layout: one shadow byte describes 8
 * bytes of memory (0: all accessible, 1..7: the first N accessible,
 * negative: none, the value says why), at (addr >> 3) +
 * KASAN_SHADOW_OFFSET. The compilers (gcc for C, rustc for Rust) call
 * __asan_load/store* before each access; the page allocator and the slab
 * poison what is free or a red zone. Without KASAN every hook below
 * compiles to nothing.
 */
#ifndef _KEEL_KASAN_H
#define _KEEL_KASAN_H

#include <keel/types.h>

#ifndef KEEL_KASAN
#define KEEL_KASAN 0
#endif

#define KASAN_SHADOW_OFFSET 0xdffffc0000000000UL
#define KASAN_GRANULE	    8

/* Shadow values (Linux's): why a granule may not be touched. */
#define KASAN_PAGE_FREE	     0xff /* a free page */
#define KASAN_PAGE_REDZONE   0xfe /* past a large kmalloc's size */
#define KASAN_SLAB_REDZONE   0xfc /* between and after slab objects */
#define KASAN_SLAB_FREE	     0xfb /* a freed slab object */
#define KASAN_GLOBAL_REDZONE 0xf9 /* after a global variable */
#define KASAN_VMAP_INVALID   0xf8 /* VMAP space in no area, or freed */
#define KASAN_VMAP_GUARD     0xf7 /* a vmap area's guard (stacks) */

/* Per-object record of the last allocation and free (in the slot). */
#define KASAN_TRACK_DEPTH 8
struct kasan_track {
	int pid;
	unsigned int nr;
	unsigned long stack[KASAN_TRACK_DEPTH];
};

struct kasan_meta {
	struct kasan_track alloc, free;
};

/* What the slab knows about an address inside one of its slots. */
struct kasan_obj_info {
	const char *cache;
	const void *object;
	size_t object_size;
	struct kasan_meta *meta;
};

#if KEEL_KASAN
/* Map and clear the shadow of the direct map, then turn checking on. */
void kasan_init(void);
void kasan_poison(const void *addr, size_t size, u8 value);
/* size bytes accessible, the rest of the last granule not. */
void kasan_unpoison(const void *addr, size_t size);
/* Check an access the compiler did not see (memcpy, user copies). */
bool kasan_check_range(const void *addr, size_t size, bool write,
		       unsigned long ip);
/* The slab's hooks (mm/slab.c). */
void kasan_slab_alloc(const void *obj, size_t size, size_t slot_size,
		      struct kasan_meta *meta);
/* Returns false (and reports) for a double or invalid free. */
bool kasan_slab_free(const void *obj, size_t slot_size, struct kasan_meta *meta,
		     unsigned long ip);
/* Keep a freed object out of reuse for a while; false: free it now. */
bool kasan_quarantine_put(void *cache, void *obj);
/* Hand every quarantined object back to its slab (the leak check). */
void kasan_quarantine_drain(void);
/* Reports so far, and the kind of the latest ("slab-use-after-free"). */
unsigned long kasan_reports(void);
const char *kasan_last_report(void);
/* kasan.fault=panic on (true) or off; returns the old setting (tests) */
bool kasan_set_fault_panic(bool on);
#else
static inline void kasan_init(void)
{
}
static inline void kasan_poison(const void *addr, size_t size, u8 value)
{
}
static inline void kasan_unpoison(const void *addr, size_t size)
{
}
static inline bool kasan_check_range(const void *addr, size_t size, bool write,
				     unsigned long ip)
{
	return true;
}
static inline void kasan_slab_alloc(const void *obj, size_t size,
				    size_t slot_size, struct kasan_meta *meta)
{
}
static inline bool kasan_slab_free(const void *obj, size_t slot_size,
				   struct kasan_meta *meta, unsigned long ip)
{
	return true;
}
static inline bool kasan_quarantine_put(void *cache, void *obj)
{
	return false;
}
static inline void kasan_quarantine_drain(void)
{
}
static inline unsigned long kasan_reports(void)
{
	return 0;
}
static inline const char *kasan_last_report(void)
{
	return NULL;
}
static inline bool kasan_set_fault_panic(bool on)
{
	return false;
}
#endif

/*
 * For ktests (which include keel/ktest.h and keel/string.h): run stmt
 * and expect exactly one KASAN report, of kind ("slab-use-after-free").
 */
#define EXPECT_KASAN(t, kind, stmt)                                            \
	do {                                                                   \
		unsigned long __before = kasan_reports();                      \
		stmt;                                                          \
		KTEST_EXPECT_EQ(t, kasan_reports(), __before + 1);             \
		KTEST_EXPECT_TRUE(t,                                           \
				  kasan_last_report() &&                       \
					  !strcmp(kasan_last_report(), kind)); \
	} while (0)

/* mm/slab.c, for reports: the object an address falls in, if any. */
bool slab_object_info(const void *addr, struct kasan_obj_info *info);
/* mm/vmalloc.c, for reports: the area around a VMAP address, if any. */
struct vmap_area_info {
	unsigned long start, end; /* including the guard */
	unsigned long guard;	  /* its size, at the bottom */
	bool stack;		  /* a kernel stack (kstack_alloc) */
};
bool vmap_area_info(unsigned long addr, struct vmap_area_info *info);
/* mm/slab.c: give a quarantined object back to its slab for real. */
void slab_free_quarantined(void *cache, void *obj);
/* arch/x86_64/mmu.c: back [va, va + size) with zeroed pages. */
int kasan_map_shadow(unsigned long va, unsigned long size);

#endif
