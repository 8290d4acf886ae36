/* SPDX-License-Identifier: MIT */
/* keel/compiler.h - attributes and small helper macros used everywhere. */
#ifndef _KEEL_COMPILER_H
#define _KEEL_COMPILER_H

#include <keel/types.h>

#define __packed	__attribute__((packed))
#define __aligned(x)	__attribute__((aligned(x)))
#define __section(s)	__attribute__((section(s)))
#define __used		__attribute__((used))
#define __unused	__attribute__((unused))
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __always_inline inline __attribute__((always_inline))
#define noinline	__attribute__((noinline))
#define __weak		__attribute__((weak))
/* No canary in this function (it runs before, or sets, the canary). */
#define __no_stack_protector __attribute__((no_stack_protector))

#define likely(x)   __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define barrier()   __asm__ __volatile__("" ::: "memory")

#define READ_ONCE(x)	 (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))

#define ARRAY_SIZE(a)	   (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)	   (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a)   ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a)   (((x) & ((__typeof__(x))(a)-1)) == 0)
#define DIV_ROUND_UP(n, d) (((n) + (d)-1) / (d))
#define min(a, b)	   ((a) < (b) ? (a) : (b))
#define max(a, b)	   ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr)-offsetof(type, member)))

#define __stringify_1(x) #x
#define __stringify(x)	 __stringify_1(x)
#define __CONCAT1(a, b)	 a##b
#define __CONCAT(a, b)	 __CONCAT1(a, b)
#define __UNIQUE(p)	 __CONCAT(p, __COUNTER__)

/* Make the compiler forget what it knows of v (tests of deliberate bugs). */
#define OPTIMIZER_HIDE_VAR(v) __asm__("" : "+r"(v))

/* Marks pointers into user memory (documentation only, as sparse's). */
#define __user

#endif
