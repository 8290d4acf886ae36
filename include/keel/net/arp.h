/* SPDX-License-Identifier: MIT */
/*
 * keel/net/arp.h - ARP (RFC 826) and the neighbour cache.
 *
 * The cache maps (interface, IPv4 address) to a MAC address. An entry
 * is INCOMPLETE while a request is outstanding (up to ARP_QUEUE_LEN
 * packets wait on it; a request is repeated each second, ARP_RETRIES
 * times, then the entry fails and its packets are dropped), REACHABLE
 * for ARP_TIMEOUT_S seconds after a reply, then stale (resolved again
 * on the next use). Timeouts are checked when entries are used and
 * from the receive path; no timer is needed.
 *
 * Replies and requests for other hosts' addresses only refresh entries
 * already in the cache (RFC 826's merge rule) and are counted; a storm
 * of them cannot evict anything.
 */
#ifndef _KEEL_NET_ARP_H
#define _KEEL_NET_ARP_H

#include <keel/netdevice.h>

#define ARP_CACHE_SIZE 32
#define ARP_QUEUE_LEN  4
#define ARP_RETRIES    3
#define ARP_TIMEOUT_S  60

struct arphdr {
	__be16 ar_hrd; /* 1: Ethernet */
	__be16 ar_pro; /* ETH_P_IP */
	u8 ar_hln;     /* 6 */
	u8 ar_pln;     /* 4 */
	__be16 ar_op;  /* 1 request, 2 reply */
	u8 ar_sha[ETH_ALEN];
	__be32 ar_sip;
	u8 ar_tha[ETH_ALEN];
	__be32 ar_tip;
} __packed;

#define ARPOP_REQUEST 1
#define ARPOP_REPLY   2

/*
 * Send skb (skb->data at the network header, protocol proto) to nexthop
 * on dev: at once if its MAC is known, else after resolution. Consumes
 * skb. Returns 0 (sent or queued), -ENOBUFS (queue full) or the
 * driver's error.
 */
int arp_output(struct sk_buff *skb, struct net_device *dev, __be32 nexthop,
	       u16 proto);

/* Announce dev's address (request for our own address). 0 or -Exxx. */
int arp_send_gratuitous(struct net_device *dev);
/* Send a request for tip on dev. 0 or -Exxx. */
int arp_send_request(struct net_device *dev, __be32 tip);

/* MAC of ip on dev if resolved: 0 or -ENOENT. */
int arp_lookup(struct net_device *dev, __be32 ip, u8 *mac);
/* Drop dev's entries (NULL: all) and free what waits on them. */
void arp_flush(struct net_device *dev);
/* Entries in use (any state). */
unsigned int arp_cache_count(void);
/* Print the cache (monitor "arp"). */
void arp_show(void);

#endif
