/* SPDX-License-Identifier: MIT */
/*
 * keel/refcount.h - reference counts that saturate instead of wrapping.
 *
 * An increment from 0 (use after free) or past REFCOUNT_SATURATED, or a
 * decrement below zero, WARNs once and pins the count at
 * REFCOUNT_SATURATED: the object then leaks, which is safe, instead of
 * being freed while still in use.
 */
#ifndef _KEEL_REFCOUNT_H
#define _KEEL_REFCOUNT_H

#include <keel/bug.h>
#include <keel/compiler.h>

typedef struct {
	int refs;
} refcount_t;

#define REFCOUNT_SATURATED (INT_MIN / 2)
#define REFCOUNT_INIT(n)    \
	{                   \
		.refs = (n) \
	}

static inline void refcount_set(refcount_t *r, int n)
{
	__atomic_store_n(&r->refs, n, __ATOMIC_RELAXED);
}

static inline int refcount_read(const refcount_t *r)
{
	return __atomic_load_n(&r->refs, __ATOMIC_RELAXED);
}

static inline void refcount_inc(refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs, 1, __ATOMIC_RELAXED);

	if (unlikely(old <= 0 || old == INT_MAX)) {
		refcount_set(r, REFCOUNT_SATURATED);
		WARN_ONCE(true, old ? "refcount overflow: saturated" :
				      "refcount_inc on 0: use after free");
	}
}

/*
 * Take a reference unless the count is 0 (the object is being freed).
 * Returns true if it took one. Saturated counts stay saturated.
 */
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = refcount_read(r);

	do {
		if (old == 0)
			return false;
		if (unlikely(old < 0 || old == INT_MAX)) {
			refcount_set(r, REFCOUNT_SATURATED);
			return true;
		}
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, false,
					      __ATOMIC_ACQUIRE,
					      __ATOMIC_RELAXED));
	return true;
}

/* Drop a reference that is known not to be the last one. */
static inline void refcount_dec(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_RELEASE);

	if (unlikely(old <= 1)) {
		refcount_set(r, REFCOUNT_SATURATED);
		WARN_ONCE(true, old == 1 ? "refcount_dec hit 0: leaked" :
					   "refcount underflow: saturated");
	}
}

/* Returns true when the count dropped to zero: the caller frees. */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	int old = __atomic_fetch_sub(&r->refs, 1, __ATOMIC_RELEASE);

	if (old == 1) {
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		return true;
	}
	if (unlikely(old <= 0)) {
		refcount_set(r, REFCOUNT_SATURATED);
		WARN_ONCE(true, "refcount underflow: saturated");
	}
	return false;
}

#endif
