/* SPDX-License-Identifier: MIT */
/*
 * keel/byteorder.h - network (big-endian) byte order on little-endian
 * x86. __be16/__be32 mark values kept in network order; they are plain
 * integers to the compiler, so the names are the only guard: convert at
 * the edge with htons/ntohs/htonl/ntohl.
 */
#ifndef _KEEL_BYTEORDER_H
#define _KEEL_BYTEORDER_H

#include <keel/types.h>

typedef u16 __be16;
typedef u32 __be32;
typedef u16 __sum16; /* an Internet checksum, network order */

static inline u16 swab16(u16 x)
{
	return __builtin_bswap16(x);
}

static inline u32 swab32(u32 x)
{
	return __builtin_bswap32(x);
}

#define htons(x) ((__be16)swab16(x))
#define ntohs(x) swab16((__be16)(x))
#define htonl(x) ((__be32)swab32(x))
#define ntohl(x) swab32((__be32)(x))

/* Byte-wise big-endian loads and stores, for any alignment. */
static inline u16 get_be16(const void *p)
{
	const u8 *b = p;

	return (u16)(b[0] << 8 | b[1]);
}

static inline u32 get_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

static inline void put_be16(void *p, u16 v)
{
	u8 *b = p;

	b[0] = v >> 8;
	b[1] = v;
}

static inline void put_be32(void *p, u32 v)
{
	u8 *b = p;

	b[0] = v >> 24;
	b[1] = v >> 16;
	b[2] = v >> 8;
	b[3] = v;
}

#endif
