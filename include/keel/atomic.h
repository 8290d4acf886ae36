/* SPDX-License-Identifier: MIT */
/*
 * keel/atomic.h - atomic integers and memory barriers.
 *
 * atomic_t (int) and atomic64_t (s64), Linux's names and semantics:
 * plain reads and sets are relaxed; operations that return a value are
 * fully ordered (sequentially consistent), the others relaxed. On x86
 * every locked instruction is a full barrier anyway; the orders are
 * stated so the code stays right on a weaker architecture.
 *
 * smp_mb() orders everything; smp_rmb()/smp_wmb() order reads/writes
 * (compiler barriers on x86); smp_load_acquire()/smp_store_release()
 * publish data between CPUs.
 */
#ifndef _KEEL_ATOMIC_H
#define _KEEL_ATOMIC_H

#include <keel/compiler.h>

#define smp_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#define smp_load_acquire(p)	__atomic_load_n(p, __ATOMIC_ACQUIRE)
#define smp_store_release(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

typedef struct {
	int counter;
} atomic_t;

typedef struct {
	s64 counter;
} atomic64_t;

#define ATOMIC_INIT(n) \
	{              \
		(n)    \
	}

#define __ATOMIC_OPS(pfx, atype, ctype)                                       \
	static inline ctype pfx##_read(const atype *v)                        \
	{                                                                     \
		return __atomic_load_n(&v->counter, __ATOMIC_RELAXED);        \
	}                                                                     \
	static inline void pfx##_set(atype *v, ctype i)                       \
	{                                                                     \
		__atomic_store_n(&v->counter, i, __ATOMIC_RELAXED);           \
	}                                                                     \
	static inline void pfx##_add(ctype i, atype *v)                       \
	{                                                                     \
		__atomic_fetch_add(&v->counter, i, __ATOMIC_RELAXED);         \
	}                                                                     \
	static inline void pfx##_sub(ctype i, atype *v)                       \
	{                                                                     \
		__atomic_fetch_sub(&v->counter, i, __ATOMIC_RELAXED);         \
	}                                                                     \
	static inline void pfx##_inc(atype *v)                                \
	{                                                                     \
		pfx##_add(1, v);                                              \
	}                                                                     \
	static inline void pfx##_dec(atype *v)                                \
	{                                                                     \
		pfx##_sub(1, v);                                              \
	}                                                                     \
	static inline ctype pfx##_add_return(ctype i, atype *v)               \
	{                                                                     \
		return __atomic_add_fetch(&v->counter, i, __ATOMIC_SEQ_CST);  \
	}                                                                     \
	static inline ctype pfx##_sub_return(ctype i, atype *v)               \
	{                                                                     \
		return __atomic_sub_fetch(&v->counter, i, __ATOMIC_SEQ_CST);  \
	}                                                                     \
	static inline ctype pfx##_fetch_add(ctype i, atype *v)                \
	{                                                                     \
		return __atomic_fetch_add(&v->counter, i, __ATOMIC_SEQ_CST);  \
	}                                                                     \
	static inline ctype pfx##_inc_return(atype *v)                        \
	{                                                                     \
		return pfx##_add_return(1, v);                                \
	}                                                                     \
	static inline ctype pfx##_dec_return(atype *v)                        \
	{                                                                     \
		return pfx##_sub_return(1, v);                                \
	}                                                                     \
	static inline bool pfx##_dec_and_test(atype *v)                       \
	{                                                                     \
		return pfx##_sub_return(1, v) == 0;                           \
	}                                                                     \
	static inline ctype pfx##_xchg(atype *v, ctype n)                     \
	{                                                                     \
		return __atomic_exchange_n(&v->counter, n, __ATOMIC_SEQ_CST); \
	}                                                                     \
	/* Returns the old value; the swap happened if it equals old. */      \
	static inline ctype pfx##_cmpxchg(atype *v, ctype old, ctype n)       \
	{                                                                     \
		__atomic_compare_exchange_n(&v->counter, &old, n, false,      \
					    __ATOMIC_SEQ_CST,                 \
					    __ATOMIC_SEQ_CST);                \
		return old;                                                   \
	}

__ATOMIC_OPS(atomic, atomic_t, int)
__ATOMIC_OPS(atomic64, atomic64_t, s64)

#undef __ATOMIC_OPS

/* Compare-and-swap on any word; returns the value found. */
#define cmpxchg(ptr, old, n)                                       \
	({                                                         \
		__typeof__(*(ptr)) __old = (old);                  \
		__atomic_compare_exchange_n(ptr, &__old, n, false, \
					    __ATOMIC_SEQ_CST,      \
					    __ATOMIC_SEQ_CST);     \
		__old;                                             \
	})

#define xchg(ptr, n) __atomic_exchange_n(ptr, n, __ATOMIC_SEQ_CST)

#endif
