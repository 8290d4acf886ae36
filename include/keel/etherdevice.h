/* SPDX-License-Identifier: MIT */
/*
 * keel/etherdevice.h - Ethernet addresses and headers.
 */
#ifndef _KEEL_ETHERDEVICE_H
#define _KEEL_ETHERDEVICE_H

#include <keel/netdevice.h>
#include <keel/string.h>

struct ethhdr {
	u8 h_dest[ETH_ALEN];
	u8 h_source[ETH_ALEN];
	__be16 h_proto;
} __packed;

static inline bool is_broadcast_ether_addr(const u8 *a)
{
	return (a[0] & a[1] & a[2] & a[3] & a[4] & a[5]) == 0xff;
}

static inline bool is_multicast_ether_addr(const u8 *a)
{
	return a[0] & 1;
}

static inline bool is_zero_ether_addr(const u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

/* Unicast and not all zeros: usable as a station address. */
static inline bool is_valid_ether_addr(const u8 *a)
{
	return !is_multicast_ether_addr(a) && !is_zero_ether_addr(a);
}

static inline bool ether_addr_equal(const u8 *a, const u8 *b)
{
	return !memcmp(a, b, ETH_ALEN);
}

static inline void ether_addr_copy(u8 *dst, const u8 *src)
{
	memcpy(dst, src, ETH_ALEN);
}

static inline void eth_broadcast_addr(u8 *a)
{
	memset(a, 0xff, ETH_ALEN);
}

/*
 * Classify a received frame (skb->pkt_type), strip the Ethernet header
 * and return its EtherType (host order). Requires skb->len >= ETH_HLEN.
 */
u16 eth_type_trans(struct sk_buff *skb, struct net_device *dev);
/*
 * Prepend an Ethernet header from dev to daddr (NULL: broadcast).
 * Returns 0 or -ENOSPC (no headroom).
 */
int eth_header(struct sk_buff *skb, struct net_device *dev, u16 proto,
	       const u8 *daddr);

#endif
