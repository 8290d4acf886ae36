/* SPDX-License-Identifier: MIT */
/*
 * keel/checksum.h - the Internet checksum (RFC 1071) for IPv4, ICMP and
 * UDP.
 *
 * As in Linux, a partial sum (u32, "wsum") and a final checksum
 * (__sum16) are kept in the byte order they have in memory, so a
 * __sum16 goes straight into a header field and a header whose checksum
 * is right sums to 0: the one's-complement sum does not depend on byte
 * order (RFC 1071, section 2B), which lets the loop add native words.
 */
#ifndef _KEEL_CHECKSUM_H
#define _KEEL_CHECKSUM_H

#include <keel/byteorder.h>

/* Add len bytes at buf to the partial sum (any alignment, any length). */
u32 csum_partial(const void *buf, size_t len, u32 sum);
/* Fold a partial sum to 16 bits and complement it: the checksum. */
__sum16 csum_fold(u32 sum);
/* Checksum of an IPv4 header of ihl 32-bit words (0 if it is valid). */
__sum16 ip_fast_csum(const void *iph, unsigned int ihl);
/*
 * Checksum of a UDP/TCP segment: the pseudo-header (addresses in
 * network order, len and proto in host order) plus the partial sum of
 * the segment itself.
 */
__sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u16 len, u8 proto,
			  u32 sum);

#endif
