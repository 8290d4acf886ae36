/* SPDX-License-Identifier: MIT */
/* keel/types.h - fixed-width integer types shared by C and bindgen. */
#ifndef _KEEL_TYPES_H
#define _KEEL_TYPES_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef unsigned long long u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef long long s64;

typedef u64 phys_addr_t;
typedef long ssize_t;

#define U8_MAX	   ((u8)~0U)
#define U32_MAX	   ((u32)~0U)
#define U64_MAX	   ((u64)~0ULL)
#define INT_MAX	   ((int)(~0U >> 1))
#define INT_MIN	   (-INT_MAX - 1)
#define UINT_MAX   (~0U)
#define LONG_MAX   ((long)(~0UL >> 1))
#define LONG_MIN   (-LONG_MAX - 1)
#define ULONG_MAX  (~0UL)
#define LLONG_MAX  ((long long)(~0ULL >> 1))
#define LLONG_MIN  (-LLONG_MAX - 1)
#define ULLONG_MAX (~0ULL)

#endif
