/* SPDX-License-Identifier: MIT */
/*
 * keel/net/icmp.h - ICMP: echo replies for anyone who pings us, and an
 * in-kernel ping client (monitor "ping").
 */
#ifndef _KEEL_NET_ICMP_H
#define _KEEL_NET_ICMP_H

#include <keel/netdevice.h>

struct icmphdr {
	u8 type;
	u8 code;
	__sum16 checksum;
	__be16 id;
	__be16 sequence;
} __packed;

#define ICMP_ECHOREPLY 0
#define ICMP_ECHO      8

/* Receive one ICMP message (skb->data at the ICMP header). Consumes. */
void icmp_rcv(struct sk_buff *skb);

struct ping_result {
	u64 rtt_ns;
	u8 ttl;
	unsigned int bytes; /* ICMP bytes in the reply */
};

/*
 * Send one echo request with size payload bytes to daddr (out of dev,
 * or routed if NULL) and wait up to timeout_ms for the matching reply.
 * Process context. Returns 0 (res filled in), -ETIMEDOUT, -EINVAL
 * (size), -EBUSY (another ping is running) or a send error.
 */
int icmp_ping(struct net_device *dev, __be32 daddr, u16 seq, unsigned int size,
	      unsigned int timeout_ms, struct ping_result *res);

/*
 * Ping daddr count times, one second apart, printing a line per reply
 * and a summary like ping(8) with monitor_printf() (the monitor's
 * "ping"). A request that cannot be sent (interface down, no address,
 * no route) is explained once, with the command that fixes it, and the
 * remaining requests are still tried. Returns the number of replies.
 */
int ping_run(struct net_device *dev, __be32 daddr, unsigned int count,
	     unsigned int size);

#endif
