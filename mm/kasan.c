// SPDX-License-Identifier: MIT
/*
 * kasan.c - the runtime of the kernel address sanitizer (keel/kasan.h),
 * built only with KASAN=1 and itself not instrumented.
 *
 * Shadow: kasan_init() backs the shadow of the direct map (all RAM) with
 * zeroed pages, one per 32 KiB of RAM, and turns checking on; then the
 * shadow of the kernel image, and runs gcc's constructors (.init_array),
 * which register each instrumented file's globals: the red zone gcc put
 * after each is poisoned (global-out-of-bounds). Until then (and for
 * vmap memory and stacks, user addresses) the checks let every access
 * pass. The first VMAP_SHADOWED bytes of VMAP (kernel stacks, device
 * windows) have shadow too: free space and each area's guard are
 * poisoned (vmalloc-out-of-bounds, the report names the area). TODO:
 * stack red zones (asan-stack), and Rust's globals (rust.mk builds them
 * with -asan-globals=0).
 *
 * The compilers call __asan_{load,store}{1,2,4,8,16,N}[_noabort] before
 * each access of instrumented code (gcc with -fsanitize=kernel-address,
 * rustc with -Zsanitizer=kernel-address, both in outline mode, so one
 * runtime serves C and Rust). A bad access is reported with its kind
 * (from the shadow value), size, address, task and stack, the slab
 * object around it with the stacks that last allocated and freed it,
 * and the kernel goes on; kasan.fault=panic panics instead.
 *
 * Freed slab objects wait in a quarantine (a FIFO of up to
 * QUARANTINE_MAX objects) before the slab may hand them out again, so a
 * use after free is caught even when the memory would otherwise be
 * reused at once.
 */
#include <asm/layout.h>
#include <keel/bug.h>
#include <keel/cmdline.h>
#include <keel/kallsyms.h>
#include <keel/kasan.h>
#include <keel/mm.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <keel/stacktrace.h>
#include <keel/string.h>

#include "internal.h"

#define QUARANTINE_MAX 4096

/*
 * VMAP addresses with shadow: the first VMAP_SHADOWED bytes of the area
 * (first fit keeps kernel stacks and device windows low), at most an
 * eighth of RAM's worth of shadow. Mapped once at boot, so that creating
 * an area allocates nothing the leak checks would see.
 */
#define VMAP_SHADOWED (32UL << 20)

static bool kasan_enabled;
static unsigned long shadowed_end;	/* direct map covered up to here */
static unsigned long vmap_shadowed_end; /* VMAP covered up to here */
static unsigned long reports;
static const char *last_report;
static bool fault_panic;
static u32 reporting; /* bit per CPU inside a report */

static int kasan_fault_param(const char *val)
{
	if (!strcmp(val, "panic"))
		fault_panic = true;
	else if (strcmp(val, "report"))
		return -EINVAL;
	return 0;
}
cmdline_param("kasan.fault", kasan_fault_param);

static s8 *shadow_of(unsigned long addr)
{
	return (s8 *)((addr >> 3) + KASAN_SHADOW_OFFSET);
}

extern char _kernel_start[], _kernel_end[];
/* gcc's global registration constructors (kernel.ld collects them). */
extern void (*const __init_array_start[])(void);
extern void (*const __init_array_end[])(void);
static bool image_shadowed;

static bool in_range(unsigned long addr, size_t size, unsigned long start,
		     unsigned long end)
{
	return addr >= start && addr < end && size <= end - addr;
}

static bool has_shadow(unsigned long addr, size_t size)
{
	return in_range(addr, size, PAGE_OFFSET, shadowed_end) ||
	       in_range(addr, size, VMAP_BASE, READ_ONCE(vmap_shadowed_end)) ||
	       (READ_ONCE(image_shadowed) &&
		in_range(addr, size, (unsigned long)_kernel_start,
			 (unsigned long)_kernel_end));
}

/*
 * The part of [*addr, *addr + *size) that has shadow: all of it, or the
 * part of a VMAP range (a big device window) inside the shadowed start
 * of VMAP. False if none.
 */
static bool clip_to_shadow(unsigned long *addr, size_t *size)
{
	unsigned long vend = READ_ONCE(vmap_shadowed_end);

	if (has_shadow(*addr, *size))
		return true;
	if (*addr < VMAP_BASE || *addr >= vend)
		return false;
	*size = min(*size, vend - *addr);
	return true;
}

static int map_shadow_of(unsigned long start, unsigned long end)
{
	unsigned long s = (unsigned long)shadow_of(start);
	unsigned long e = (unsigned long)shadow_of(end);

	return kasan_map_shadow(ALIGN_DOWN(s, PAGE_SIZE),
				ALIGN_UP(e, PAGE_SIZE) -
					ALIGN_DOWN(s, PAGE_SIZE));
}

/*
 * The kernel image's shadow, then gcc's constructors: each instrumented
 * file registers its globals (__asan_register_globals), which poisons
 * the red zone gcc placed after each one. Without image shadow, global
 * accesses stay unchecked.
 */
static void kasan_init_globals(void)
{
	int err = map_shadow_of((unsigned long)_kernel_start,
				(unsigned long)_kernel_end);

	if (err) {
		pr_err("kasan: no shadow for the kernel image (%d)\n", err);
		return;
	}
	WRITE_ONCE(image_shadowed, true);
	for (void (*const *ctor)(void) = __init_array_start;
	     ctor < __init_array_end; ctor++)
		(*ctor)();
}

/*
 * The shadow of the first part of VMAP, all KASAN_VMAP_INVALID:
 * vmalloc.c unpoisons each area's mapped part and poisons its guard.
 */
static void kasan_init_vmap(void)
{
	unsigned long size = min(VMAP_SHADOWED, (max_pfn << PAGE_SHIFT));
	int err = map_shadow_of(VMAP_BASE, VMAP_BASE + size);

	if (err) {
		pr_err("kasan: no shadow for VMAP (%d): stacks unchecked\n",
		       err);
		return;
	}
	__memset(shadow_of(VMAP_BASE), KASAN_VMAP_INVALID, size >> 3);
	WRITE_ONCE(vmap_shadowed_end, VMAP_BASE + size);
}

void kasan_init(void)
{
	unsigned long end = PAGE_OFFSET + (max_pfn << PAGE_SHIFT);
	unsigned long s = (unsigned long)shadow_of(PAGE_OFFSET);
	unsigned long e = (unsigned long)shadow_of(end);
	int err = map_shadow_of(PAGE_OFFSET, end);

	if (err) {
		pr_err("kasan: no shadow memory (%d): checks stay off\n", err);
		return;
	}
	shadowed_end = end;
	WRITE_ONCE(kasan_enabled, true);
	kasan_init_globals();
	kasan_init_vmap();
	pr_info("kasan: generic, %lu KiB of shadow for %lu MiB of RAM%s\n",
		(e - s) >> 10, (max_pfn << PAGE_SHIFT) >> 20,
		fault_panic ? ", kasan.fault=panic" : "");
}

void kasan_poison(const void *addr, size_t size, u8 value)
{
	unsigned long a = (unsigned long)addr;

	if (!READ_ONCE(kasan_enabled) || !clip_to_shadow(&a, &size))
		return;
	__memset(shadow_of(a), value, ALIGN_UP(size, KASAN_GRANULE) >> 3);
}

void kasan_unpoison(const void *addr, size_t size)
{
	unsigned long a = (unsigned long)addr;

	if (!READ_ONCE(kasan_enabled) || !clip_to_shadow(&a, &size))
		return;
	__memset(shadow_of(a), 0, size >> 3);
	if (size & (KASAN_GRANULE - 1))
		*shadow_of(a + size) = size & (KASAN_GRANULE - 1);
}

/* The first inaccessible byte of [addr, addr + size), or 0. */
static unsigned long first_bad_byte(unsigned long addr, size_t size)
{
	for (unsigned long a = addr; a < addr + size; a++) {
		s8 v = *shadow_of(a);

		if (v && (v < 0 || (s8)(a & 7) >= v))
			return a;
		if (!v) /* a whole good granule: skip to its end */
			a |= KASAN_GRANULE - 1;
	}
	return 0;
}

/* Why bad is poisoned: a partly good granule's reason is the next one's. */
static u8 poison_of(unsigned long bad)
{
	s8 v = *shadow_of(bad);

	if (v > 0 && v < KASAN_GRANULE)
		v = *shadow_of(bad + KASAN_GRANULE);
	return (u8)v;
}

static const char *bug_kind(unsigned long bad, struct kasan_obj_info *o)
{
	u8 v = poison_of(bad);
	bool in_slab = slab_object_info((const void *)bad, o);

	switch (v) {
	case KASAN_PAGE_FREE: return "use-after-free";
	case KASAN_PAGE_REDZONE: return "out-of-bounds";
	case KASAN_SLAB_FREE: return "slab-use-after-free";
	case KASAN_GLOBAL_REDZONE: return "global-out-of-bounds";
	case KASAN_VMAP_INVALID:
	case KASAN_VMAP_GUARD: return "vmalloc-out-of-bounds";
	default: return in_slab ? "slab-out-of-bounds" : "out-of-bounds";
	}
}

/*
 * Record who allocated or freed an object. The record lives in the
 * slot's poisoned metadata: filled on the stack (no shadow there) by
 * the instrumented unwinder, then copied without checks.
 */
static void save_track(struct kasan_track *t, unsigned long fp)
{
	struct kasan_track local;

	local.pid = current ? current->pid : 0;
	local.nr = stack_trace_save_fp(fp, local.stack, KASAN_TRACK_DEPTH);
	__memcpy(t, &local, sizeof(local));
}

static void print_track(const char *what, const struct kasan_track *t)
{
	char buf[96];

	if (!t->nr)
		return;
	pr_err("%s by task %d:\n", what, t->pid);
	for (unsigned int i = 0; i < t->nr; i++)
		pr_err("  %s\n",
		       kallsyms_format(t->stack[i] - 1, buf, sizeof(buf)));
}

static void print_object(unsigned long addr, const struct kasan_obj_info *o)
{
	unsigned long obj = (unsigned long)o->object;

	print_track("Allocated", &o->meta->alloc);
	print_track("Freed", &o->meta->free);
	pr_err("The buggy address belongs to the object at %lx\n"
	       " which belongs to the cache %s of size %zu\n",
	       obj, o->cache, o->object_size);
	if (addr < obj + o->object_size)
		pr_err("The buggy address is located %lu bytes inside of\n",
		       addr - obj);
	else
		pr_err("The buggy address is located %lu bytes to the right "
		       "of\n",
		       addr - obj - o->object_size);
	pr_err(" %zu-byte region [%lx, %lx)\n", o->object_size, obj,
	       obj + o->object_size);
}

/*
 * Global red zones: what gcc's constructors pass for each instrumented
 * global (the layout of gcc 7 and later, "ASan ABI version 5").
 */
struct kasan_source_location {
	const char *filename;
	int line_no;
	int column_no;
};

struct kasan_global {
	const void *beg;	  /* the variable */
	size_t size;		  /* its size */
	size_t size_with_redzone; /* and the red zone gcc put after it */
	const char *name;
	const char *module_name;
	unsigned long has_dynamic_init;
	struct kasan_source_location *location;
	char *odr_indicator;
};

/* Each constructor's array, for naming the variable in a report. */
struct global_set {
	const struct kasan_global *g;
	size_t n;
};
static struct global_set global_sets[512];
static unsigned int nr_global_sets;

static const struct kasan_global *global_of(unsigned long addr)
{
	for (unsigned int i = 0; i < nr_global_sets; i++)
		for (size_t j = 0; j < global_sets[i].n; j++) {
			const struct kasan_global *g = &global_sets[i].g[j];
			unsigned long beg = (unsigned long)g->beg;

			if (addr >= beg && addr < beg + g->size_with_redzone)
				return g;
		}
	return NULL;
}

static void print_global(unsigned long addr)
{
	const struct kasan_global *g = global_of(addr);

	if (!g)
		return;
	pr_err("The buggy address belongs to the variable %s of size %zu",
	       g->name, g->size);
	if (g->location)
		pr_cont(" (%s:%d)", g->location->filename,
			g->location->line_no);
	pr_cont("\n");
	pr_err(" and is located %lu bytes to the right of it\n",
	       addr - (unsigned long)g->beg - g->size);
}

/* Name the vmap area (and its guard) a bad VMAP address falls in. */
static void print_vmap(unsigned long addr)
{
	struct vmap_area_info a;

	if (!vmap_area_info(addr, &a)) {
		pr_err("The buggy address is in VMAP space no area holds "
		       "(never mapped, or freed)\n");
		return;
	}
	if (addr < a.start + a.guard)
		pr_err("The buggy address is in the %lu-byte guard below %s "
		       "[%lx, %lx), %lu bytes below its bottom\n",
		       a.guard, a.stack ? "the kernel stack" : "the vmap area",
		       a.start + a.guard, a.end, a.start + a.guard - addr);
	else
		pr_err("The buggy address is %lu bytes inside %s [%lx, %lx)\n",
		       addr - a.start - a.guard,
		       a.stack ? "the kernel stack" : "the vmap area",
		       a.start + a.guard, a.end);
}

static void report(unsigned long addr, size_t size, bool write,
		   unsigned long ip, unsigned long bad, const char *kind)
{
	struct kasan_obj_info o = { 0 };
	u32 bit = 1U << (smp_processor_id() & 31);
	char buf[96];

	if (__atomic_fetch_or(&reporting, bit, __ATOMIC_ACQUIRE) & bit)
		return;
	if (!kind)
		kind = bug_kind(bad, &o);
	else
		slab_object_info((const void *)addr, &o);
	WRITE_ONCE(last_report, kind);
	__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED);
	pr_err("==================================================="
	       "===============\n");
	pr_err("BUG: KASAN: %s in %s\n", kind,
	       kallsyms_format(ip - 1, buf, sizeof(buf)));
	if (size)
		pr_err("%s of size %zu at addr %lx by task %d (%s)\n",
		       write ? "Write" : "Read", size, addr,
		       current ? current->pid : 0,
		       current ? current->name : "-");
	else
		pr_err("Free of addr %lx by task %d (%s)\n", addr,
		       current ? current->pid : 0,
		       current ? current->name : "-");
	dump_stack();
	if (o.meta)
		print_object(bad ? bad : addr, &o);
	else if (bad && poison_of(bad) == KASAN_GLOBAL_REDZONE)
		print_global(bad);
	else if (bad && (poison_of(bad) == KASAN_VMAP_GUARD ||
			 poison_of(bad) == KASAN_VMAP_INVALID))
		print_vmap(bad);
	pr_err("==================================================="
	       "===============\n");
	__atomic_fetch_and(&reporting, ~bit, __ATOMIC_RELEASE);
	if (fault_panic)
		panic("kasan.fault=panic: %s", kind);
}

bool kasan_check_range(const void *addr, size_t size, bool write,
		       unsigned long ip)
{
	unsigned long a = (unsigned long)addr, bad;

	if (!READ_ONCE(kasan_enabled) || !size || !has_shadow(a, size))
		return true;
	bad = first_bad_byte(a, size);
	if (!bad)
		return true;
	report(a, size, write, ip, bad, NULL);
	return false;
}

#define RET_IP ((unsigned long)__builtin_return_address(0))

#define DEFINE_ASAN_ACCESS(size)                                      \
	void __asan_load##size(unsigned long addr)                    \
	{                                                             \
		kasan_check_range((void *)addr, size, false, RET_IP); \
	}                                                             \
	void __asan_store##size(unsigned long addr)                   \
	{                                                             \
		kasan_check_range((void *)addr, size, true, RET_IP);  \
	}                                                             \
	void __asan_load##size##_noabort(unsigned long addr)          \
	{                                                             \
		kasan_check_range((void *)addr, size, false, RET_IP); \
	}                                                             \
	void __asan_store##size##_noabort(unsigned long addr)         \
	{                                                             \
		kasan_check_range((void *)addr, size, true, RET_IP);  \
	}                                                             \
	void __asan_report_load##size##_noabort(unsigned long addr)   \
	{                                                             \
		kasan_check_range((void *)addr, size, false, RET_IP); \
	}                                                             \
	void __asan_report_store##size##_noabort(unsigned long addr)  \
	{                                                             \
		kasan_check_range((void *)addr, size, true, RET_IP);  \
	}

/* Declared here only: the compilers call them, nothing else does. */
#define DECLARE_ASAN_ACCESS(size)                                    \
	void __asan_load##size(unsigned long addr);                  \
	void __asan_store##size(unsigned long addr);                 \
	void __asan_load##size##_noabort(unsigned long addr);        \
	void __asan_store##size##_noabort(unsigned long addr);       \
	void __asan_report_load##size##_noabort(unsigned long addr); \
	void __asan_report_store##size##_noabort(unsigned long addr)

DECLARE_ASAN_ACCESS(1);
DECLARE_ASAN_ACCESS(2);
DECLARE_ASAN_ACCESS(4);
DECLARE_ASAN_ACCESS(8);
DECLARE_ASAN_ACCESS(16);
DEFINE_ASAN_ACCESS(1)
DEFINE_ASAN_ACCESS(2)
DEFINE_ASAN_ACCESS(4)
DEFINE_ASAN_ACCESS(8)
DEFINE_ASAN_ACCESS(16)

void __asan_loadN(unsigned long addr, size_t size);
void __asan_storeN(unsigned long addr, size_t size);
void __asan_loadN_noabort(unsigned long addr, size_t size);
void __asan_storeN_noabort(unsigned long addr, size_t size);
void __asan_report_load_n_noabort(unsigned long addr, size_t size);
void __asan_report_store_n_noabort(unsigned long addr, size_t size);
void __asan_handle_no_return(void);
void __asan_register_globals(void *globals, size_t n);
void __asan_unregister_globals(void *globals, size_t n);

void __asan_loadN(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, false, RET_IP);
}

void __asan_storeN(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, true, RET_IP);
}

void __asan_loadN_noabort(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, false, RET_IP);
}

void __asan_storeN_noabort(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, true, RET_IP);
}

void __asan_report_load_n_noabort(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, false, RET_IP);
}

void __asan_report_store_n_noabort(unsigned long addr, size_t size)
{
	kasan_check_range((void *)addr, size, true, RET_IP);
}

/* Stack red zones are not used (asan-stack=0): nothing to unpoison. */
void __asan_handle_no_return(void)
{
}

/* Rust's (LLVM's) names for checked memory intrinsics. */
void *__asan_memcpy(void *dst, const void *src, size_t n);
void *__asan_memmove(void *dst, const void *src, size_t n);
void *__asan_memset(void *dst, int c, size_t n);

void *__asan_memcpy(void *dst, const void *src, size_t n)
{
	kasan_check_range(src, n, false, RET_IP);
	kasan_check_range(dst, n, true, RET_IP);
	return __memcpy(dst, src, n);
}

void *__asan_memmove(void *dst, const void *src, size_t n)
{
	kasan_check_range(src, n, false, RET_IP);
	kasan_check_range(dst, n, true, RET_IP);
	return __memmove(dst, src, n);
}

void *__asan_memset(void *dst, int c, size_t n)
{
	kasan_check_range(dst, n, true, RET_IP);
	return __memset(dst, c, n);
}

void __asan_register_globals(void *globals, size_t n)
{
	struct kasan_global *g = globals;

	if (nr_global_sets < ARRAY_SIZE(global_sets))
		global_sets[nr_global_sets++] =
			(struct global_set){ .g = g, .n = n };
	for (size_t i = 0; i < n; i++) {
		unsigned long beg = (unsigned long)g[i].beg;
		unsigned long rz = ALIGN_UP(beg + g[i].size, KASAN_GRANULE);

		kasan_unpoison(g[i].beg, g[i].size);
		if (g[i].size_with_redzone > rz - beg)
			kasan_poison((void *)rz,
				     g[i].size_with_redzone - (rz - beg),
				     KASAN_GLOBAL_REDZONE);
	}
}

void __asan_unregister_globals(void *globals, size_t n)
{
}

void kasan_slab_alloc(const void *obj, size_t size, size_t slot_size,
		      struct kasan_meta *meta)
{
	size_t rz = ALIGN_UP(size, KASAN_GRANULE);

	if (!READ_ONCE(kasan_enabled))
		return;
	kasan_unpoison(obj, size);
	kasan_poison((const char *)obj + rz, slot_size - rz,
		     KASAN_SLAB_REDZONE);
	save_track(&meta->alloc, (unsigned long)__builtin_frame_address(0));
	meta->free.nr = 0;
}

bool kasan_slab_free(const void *obj, size_t slot_size, struct kasan_meta *meta,
		     unsigned long ip)
{
	if (!READ_ONCE(kasan_enabled) || !has_shadow((unsigned long)obj, 1))
		return true;
	if ((u8)*shadow_of((unsigned long)obj) == KASAN_SLAB_FREE) {
		report((unsigned long)obj, 0, true, ip, 0, "double-free");
		return false;
	}
	kasan_poison(obj, slot_size, KASAN_SLAB_FREE);
	save_track(&meta->free, (unsigned long)__builtin_frame_address(0));
	return true;
}

/* --- quarantine: a FIFO of freed objects not yet given back --- */

static struct {
	void *cache, *obj;
} quarantine[QUARANTINE_MAX];
static unsigned int q_head, q_len;
static DEFINE_SPINLOCK(q_lock);

bool kasan_quarantine_put(void *cache, void *obj)
{
	unsigned long flags;
	void *old_cache = NULL, *old_obj = NULL;

	if (!READ_ONCE(kasan_enabled))
		return false;
	spin_lock_irqsave(&q_lock, flags);
	if (q_len == QUARANTINE_MAX) {
		old_cache = quarantine[q_head].cache;
		old_obj = quarantine[q_head].obj;
		q_head = (q_head + 1) % QUARANTINE_MAX;
		q_len--;
	}
	quarantine[(q_head + q_len) % QUARANTINE_MAX].cache = cache;
	quarantine[(q_head + q_len) % QUARANTINE_MAX].obj = obj;
	q_len++;
	spin_unlock_irqrestore(&q_lock, flags);
	if (old_obj)
		slab_free_quarantined(old_cache, old_obj);
	return true;
}

void kasan_quarantine_drain(void)
{
	unsigned long flags;

	for (;;) {
		void *cache, *obj;

		spin_lock_irqsave(&q_lock, flags);
		if (!q_len) {
			spin_unlock_irqrestore(&q_lock, flags);
			return;
		}
		cache = quarantine[q_head].cache;
		obj = quarantine[q_head].obj;
		q_head = (q_head + 1) % QUARANTINE_MAX;
		q_len--;
		spin_unlock_irqrestore(&q_lock, flags);
		slab_free_quarantined(cache, obj);
	}
}

unsigned long kasan_reports(void)
{
	return __atomic_load_n(&reports, __ATOMIC_RELAXED);
}

const char *kasan_last_report(void)
{
	return READ_ONCE(last_report);
}

bool kasan_set_fault_panic(bool on)
{
	bool old = READ_ONCE(fault_panic);

	WRITE_ONCE(fault_panic, on);
	return old;
}
