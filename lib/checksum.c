// SPDX-License-Identifier: MIT
/*
 * checksum.c - the Internet checksum (keel/checksum.h): a 64-bit
 * accumulator over 32-bit native loads, folded at the end. Adding native
 * words gives the byte-swapped sum on a little-endian CPU, which is the
 * in-memory form of the big-endian sum (RFC 1071 2B), so no swapping is
 * needed anywhere.
 */
#include <keel/checksum.h>
#include <keel/string.h>

static u32 fold64(u64 sum)
{
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	return (u32)sum;
}

u32 csum_partial(const void *buf, size_t len, u32 sum)
{
	const u8 *p = buf;
	u64 acc = sum;
	u32 w32;
	u16 w16;

	while (len >= 4) {
		memcpy(&w32, p, 4);
		acc += w32;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&w16, p, 2);
		acc += w16;
		p += 2;
		len -= 2;
	}
	if (len)
		acc += *p; /* low byte of a little-endian word */
	return fold64(acc);
}

__sum16 csum_fold(u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__sum16)~sum;
}

__sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, ihl * 4, 0));
}

__sum16 csum_tcpudp_magic(__be32 saddr, __be32 daddr, u16 len, u8 proto,
			  u32 sum)
{
	u64 acc = sum;

	acc += saddr;
	acc += daddr;
	acc += htons(proto);
	acc += htons(len);
	return csum_fold(fold64(acc));
}
