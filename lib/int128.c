// SPDX-License-Identifier: MIT
/*
 * int128.c - 128-bit division, which gcc and rustc lower to calls to
 * __udivti3 and friends. Rust's core uses u128 (e.g. in integer
 * formatting); these are the correct implementations it links against.
 * Division by zero never reaches here from Rust (it checks first); from
 * C it is a BUG.
 */
#include <keel/bug.h>
#include <keel/compiler.h>

typedef unsigned __int128 u128;
typedef __int128 s128;

u128 __udivmodti4(u128 n, u128 d, u128 *rem);
u128 __udivti3(u128 n, u128 d);
u128 __umodti3(u128 n, u128 d);
s128 __divti3(s128 n, s128 d);
s128 __modti3(s128 n, s128 d);

/* Shift-subtract long division; a 64-bit fast path when both fit. */
u128 __udivmodti4(u128 n, u128 d, u128 *rem)
{
	u128 q = 0, r = 0;

	BUG_ON(d == 0);
	if ((n >> 64) == 0 && (d >> 64) == 0) {
		u64 n64 = n, d64 = d;

		if (rem)
			*rem = n64 % d64;
		return n64 / d64;
	}
	for (int i = 127; i >= 0; i--) {
		r = (r << 1) | ((n >> i) & 1);
		if (r >= d) {
			r -= d;
			q |= (u128)1 << i;
		}
	}
	if (rem)
		*rem = r;
	return q;
}

u128 __udivti3(u128 n, u128 d)
{
	return __udivmodti4(n, d, NULL);
}

u128 __umodti3(u128 n, u128 d)
{
	u128 r;

	__udivmodti4(n, d, &r);
	return r;
}

static u128 uabs(s128 v)
{
	return v < 0 ? -(u128)v : (u128)v;
}

s128 __divti3(s128 n, s128 d)
{
	u128 q = __udivmodti4(uabs(n), uabs(d), NULL);

	return (n < 0) != (d < 0) ? -(s128)q : (s128)q;
}

s128 __modti3(s128 n, s128 d)
{
	u128 r;

	__udivmodti4(uabs(n), uabs(d), &r);
	return n < 0 ? -(s128)r : (s128)r;
}
