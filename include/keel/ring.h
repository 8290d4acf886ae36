/* SPDX-License-Identifier: MIT */
/*
 * keel/ring.h - index arithmetic for descriptor rings.
 *
 * A ring has n entries, n a power of two. The producer fills entries
 * from `prod`, the consumer takes them from `cons`; one entry always
 * stays empty so that prod == cons means empty, never full. The same
 * rules are in Rust as kernel::dma::RingIndex (and tested on both
 * sides).
 */
#ifndef _KEEL_RING_H
#define _KEEL_RING_H

#include <keel/compiler.h>

static inline bool ring_size_valid(unsigned int n)
{
	return n >= 2 && !(n & (n - 1));
}

static inline unsigned int ring_add(unsigned int i, unsigned int k,
				    unsigned int n)
{
	return (i + k) & (n - 1);
}

static inline unsigned int ring_next(unsigned int i, unsigned int n)
{
	return ring_add(i, 1, n);
}

static inline unsigned int ring_prev(unsigned int i, unsigned int n)
{
	return (i - 1) & (n - 1);
}

/* Entries filled and not yet consumed. */
static inline unsigned int ring_used(unsigned int prod, unsigned int cons,
				     unsigned int n)
{
	return (prod - cons) & (n - 1);
}

/* Entries the producer may still fill. */
static inline unsigned int ring_free(unsigned int prod, unsigned int cons,
				     unsigned int n)
{
	return n - 1 - ring_used(prod, cons, n);
}

#endif
