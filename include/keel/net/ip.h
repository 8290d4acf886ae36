/* SPDX-License-Identifier: MIT */
/*
 * keel/net/ip.h - IPv4: the header, input, output and routing.
 *
 * Input (ip_rcv, softirq) checks the header (version, length, checksum),
 * drops and counts fragments, frames for other hosts and unknown
 * protocols, trims Ethernet padding and hands ICMP and UDP to their
 * handlers. Output (ip_output) routes, builds the header and passes the
 * packet to ARP. Routing is by interface: a destination on an
 * interface's subnet goes out there directly, anything else to the
 * first interface with a gateway. Addresses are __be32 throughout.
 */
#ifndef _KEEL_NET_IP_H
#define _KEEL_NET_IP_H

#include <keel/netdevice.h>

struct iphdr {
	u8 version_ihl;
	u8 tos;
	__be16 tot_len;
	__be16 id;
	__be16 frag_off;
	u8 ttl;
	u8 protocol;
	__sum16 check;
	__be32 saddr;
	__be32 daddr;
} __packed;

#define IPPROTO_ICMP 1
#define IPPROTO_UDP  17

#define IP_MF	       0x2000 /* more fragments */
#define IP_OFFSET      0x1fff
#define IP_DEFAULT_TTL 64

#define INADDR_ANY	 ((__be32)0)
#define INADDR_BROADCAST ((__be32)0xffffffff)

/* Headroom an skb needs for ip_output: Ethernet + IPv4 headers. */
#define IP_HEADROOM (NET_SKB_PAD + NET_IP_ALIGN + ETH_HLEN + 20)

/* An skb for payload_len bytes of transport data, headroom reserved. */
struct sk_buff *ip_alloc_skb(unsigned int payload_len, gfp_t gfp);

/*
 * Send skb (skb->data at the transport header) to daddr with protocol
 * proto. dev NULL routes by address; saddr INADDR_ANY takes the
 * interface's. Consumes skb. Returns 0, -ENETUNREACH, -ENETDOWN,
 * -EHOSTUNREACH (ARP gave up), -ENOBUFS or -ENOSPC (no headroom).
 */
int ip_output(struct sk_buff *skb, struct net_device *dev, __be32 saddr,
	      __be32 daddr, u8 proto);
/*
 * ip_output with the header's TTL and TOS given (sockets' IP_TTL and
 * IP_TOS). A packet to one of our own addresses is not sent but queued
 * for local input (a tasklet), as Linux's loopback would deliver it.
 */
int ip_output_ttl(struct sk_buff *skb, struct net_device *dev, __be32 saddr,
		  __be32 daddr, u8 proto, u8 ttl, u8 tos);

/*
 * The interface and next hop for daddr. Returns 0 or -ENETUNREACH.
 * A limited broadcast needs an explicit interface.
 */
int ip_route(__be32 daddr, struct net_device **dev, __be32 *nexthop);

/* Whether addr is dev's address or a broadcast on dev's subnet. */
bool ip_addr_is_local(const struct net_device *dev, __be32 addr);
bool ip_addr_is_broadcast(const struct net_device *dev, __be32 addr);

/* Configure dev (addr, prefix length, gateway or 0). 0 or -EINVAL. */
int ip_config_set(struct net_device *dev, __be32 addr, unsigned int prefix,
		  __be32 gateway);
void ip_config_clear(struct net_device *dev);

/* Parse "a.b.c.d" into *addr. 0 or -EINVAL. */
int in_aton(const char *s, __be32 *addr);
/* Parse "a.b.c.d/len" (len defaults to 24). 0 or -EINVAL. */
int in_aton_prefix(const char *s, __be32 *addr, unsigned int *prefix);

#endif
