/* SPDX-License-Identifier: MIT */
/*
 * keel/net/udp.h - UDP and the in-kernel socket API.
 *
 *	struct udp_sock *s = udp_open();
 *	udp_bind(s, INADDR_ANY, 5000);
 *	n = udp_recvfrom(s, buf, sizeof(buf), &from, 1000);
 *	udp_sendto(s, buf, n, &from);
 *	udp_close(s);
 *
 * Received datagrams wait on the socket's queue (at most
 * UDP_RCVQ_LEN; more are dropped and counted) until udp_recvfrom()
 * takes them; it sleeps on the socket's wait queue (keel/wait.h).
 * A socket may instead have a data_ready callback, run in softirq
 * context for each datagram, as the echo service on port 7 does. It
 * runs with the socket table locked: it may send on its own (bound)
 * socket, but must not open, bind or close sockets.
 */
#ifndef _KEEL_NET_UDP_H
#define _KEEL_NET_UDP_H

#include <keel/netdevice.h>
#include <keel/spinlock.h>
#include <keel/wait.h>

struct udphdr {
	__be16 source;
	__be16 dest;
	__be16 len;
	__sum16 check;
} __packed;

#define UDP_RCVQ_LEN	 32
#define UDP_MAX_PAYLOAD	 1472 /* 1500 - IPv4 - UDP: no fragments */
#define UDP_EPHEMERAL_LO 49152

struct sockaddr_in {
	__be32 addr;
	u16 port; /* host order */
};

struct udp_sock {
	__be32 addr;		/* bound address, INADDR_ANY for all */
	u16 port;		/* bound port, host order; 0 unbound */
	struct net_device *dev; /* bound interface, or NULL */
	/* in softirq context, instead of queueing; consumes skb */
	void (*data_ready)(struct udp_sock *sk, struct sk_buff *skb,
			   const struct sockaddr_in *from);
	struct sk_buff_head rxq;   /* under the stack's udp_lock */
	struct wait_queue_head wq; /* woken when rxq gains one */
	struct list_head node;
	/* connected peer (0: any): only its datagrams are delivered */
	__be32 daddr;
	u16 dport;
	bool reuse; /* SO_REUSEADDR: may share a port with others that set it */
	u8 ttl, tos; /* IP header of what it sends (ttl 0: the default) */
	void *sk_user_data; /* the owner's (net/ipv4/af_inet.c's socket) */
};

/* Receive one datagram (skb->data at the UDP header). Consumes skb. */
void udp_rcv(struct sk_buff *skb);

/* A new unbound socket, or NULL. */
struct udp_sock *udp_open(void);
/*
 * Bind to addr:port (port 0: an ephemeral one). 0, -EINVAL (bound
 * already) or -EADDRINUSE (the port is taken for addr, unless both
 * sockets set reuse).
 */
int udp_bind(struct udp_sock *sk, __be32 addr, u16 port);
/* Undo udp_bind (a disconnect of an automatically bound socket). */
void udp_unbind(struct udp_sock *sk);
/* Set or clear (daddr 0) the connected peer, under the table's lock. */
void udp_set_peer(struct udp_sock *sk, __be32 daddr, u16 dport);
/* Send only through dev (DHCP, before dev has an address). */
void udp_bind_dev(struct udp_sock *sk, struct net_device *dev);
/*
 * Send len bytes to `to`. Binds an ephemeral port first if unbound.
 * Returns len, -EMSGSIZE, -ENOMEM or a routing/send error.
 */
long udp_sendto(struct udp_sock *sk, const void *buf, size_t len,
		const struct sockaddr_in *to);
/*
 * Take the next datagram, waiting up to timeout_ms; copies at most len
 * bytes (the rest is discarded) and the sender into *from (may be
 * NULL). Returns the bytes copied or -ETIMEDOUT.
 */
long udp_recvfrom(struct udp_sock *sk, void *buf, size_t len,
		  struct sockaddr_in *from, unsigned int timeout_ms);
/* Unbind and free the socket and anything queued on it. */
void udp_close(struct udp_sock *sk);

/* Datagrams queued on all sockets (tests). */
unsigned int udp_queued(void);

#endif
