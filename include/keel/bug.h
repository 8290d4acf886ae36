/* SPDX-License-Identifier: MIT */
/*
 * keel/bug.h - panic and assertions.
 *
 * BUG_ON: a broken invariant, the kernel cannot go on (panics).
 * WARN_ON / WARN_ON_ONCE: a recoverable surprise; prints a backtrace and
 * returns the condition so the caller can bail out.
 * BUILD_BUG_ON: a compile-time assertion.
 */
#ifndef _KEEL_BUG_H
#define _KEEL_BUG_H

#include <keel/compiler.h>

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;
void __warn(const char *file, int line, const char *cond);
void dump_stack(void);
bool in_panic(void);

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)

#define BUG_ON(cond)                                                  \
	do {                                                          \
		if (unlikely(cond))                                   \
			panic("BUG_ON(%s) at %s:%d", #cond, __FILE__, \
			      __LINE__);                              \
	} while (0)

#define WARN_ON(cond)                                      \
	({                                                 \
		bool __c = !!(cond);                       \
		if (unlikely(__c))                         \
			__warn(__FILE__, __LINE__, #cond); \
		__c;                                       \
	})

#define WARN_ON_ONCE(cond)                                 \
	({                                                 \
		static bool __warned;                      \
		bool __c = !!(cond);                       \
		if (unlikely(__c) && !__warned) {          \
			__warned = true;                   \
			__warn(__FILE__, __LINE__, #cond); \
		}                                          \
		__c;                                       \
	})

/* Like WARN_ON_ONCE, with a message instead of the condition's text. */
#define WARN_ONCE(cond, msg)                             \
	({                                               \
		static bool __warned;                    \
		bool __c = !!(cond);                     \
		if (unlikely(__c) && !__warned) {        \
			__warned = true;                 \
			__warn(__FILE__, __LINE__, msg); \
		}                                        \
		__c;                                     \
	})

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

#endif
