/* SPDX-License-Identifier: MIT */
/*
 * keel/net.h - sockets: the objects behind a socket file descriptor
 * (Linux's struct socket and struct sock folded into one, at keel's
 * size), between the system calls (net/socket.c) and the protocols
 * (net/ipv4/af_inet.c for UDP, net/ipv4/raw.c for raw IPv4).
 *
 * A socket file's private_data is its struct socket. The socket layer
 * owns the receive queue: a protocol's input path (softirq) calls
 * sock_queue_rcv_skb(), which charges the datagram against the
 * receive buffer (SO_RCVBUF), drops and counts it when the buffer is
 * full, and wakes readers and pollers on sock->wq. recv copies from
 * the head of the queue: a UDP skb's data is the payload (the sender
 * is in its IP and UDP headers), a raw skb's is the whole IP packet.
 *
 * Locking: sock->lock (irqsave) guards the receive queue, rx_bytes,
 * drops and shutdown; the protocol's table lock (udp_lock, raw_lock)
 * may be held around it (table -> sock->lock). Everything else (the
 * addresses, the options) belongs to the system calls on the socket
 * and is serialised by sock->mutex.
 */
#ifndef _KEEL_NET_H
#define _KEEL_NET_H

#include <keel/fs.h>
#include <keel/mutex.h>
#include <keel/skbuff.h>
#include <keel/socket.h>
#include <keel/spinlock.h>
#include <keel/wait.h>

struct socket;
struct sockaddr_in;

/* What a protocol does; the socket layer checks the user's input. */
struct proto_ops {
	/* bind to addr:port (checked: an address of ours or INADDR_ANY) */
	int (*bind)(struct socket *sock, __be32 addr, u16 port);
	/* set the default peer; NULL: forget it (AF_UNSPEC) */
	int (*connect)(struct socket *sock, const struct sockaddr_in *to);
	/* send one datagram of len bytes to `to`; len or -Exxx */
	long (*sendmsg)(struct socket *sock, const void *buf, size_t len,
			const struct sockaddr_in *to);
	/* SOL_IP and protocol levels (SOL_SOCKET is the socket layer's) */
	int (*setsockopt)(struct socket *sock, int level, int name,
			  const void *val, unsigned int len);
	/* *len in: room at val; out: bytes written */
	int (*getsockopt)(struct socket *sock, int level, int name, void *val,
			  unsigned int *len);
	/* unhook from the protocol: no input reaches sock after it */
	void (*release)(struct socket *sock);
	/* the largest datagram sendmsg takes */
	size_t max_payload;
};

struct socket {
	int family, type, protocol;
	const struct proto_ops *ops;
	struct file *file;
	struct mutex mutex; /* the calls on this socket, one at a time */

	/* receive side: under lock (input runs in softirqs) */
	spinlock_t lock;
	struct sk_buff_head rxq;
	unsigned int rx_bytes;	   /* charged against rcvbuf */
	u64 drops;		   /* datagrams refused: rcvbuf full */
	u8 shutdown;		   /* RCV_SHUTDOWN | SEND_SHUTDOWN */
	struct wait_queue_head wq; /* a datagram came, or a shutdown */

	/* addresses (sock->mutex) */
	__be32 saddr; /* bound local address (INADDR_ANY: any) */
	u16 sport;    /* local port, host order (raw: the protocol) */
	bool bound;   /* bind() succeeded (not an automatic bind) */
	bool connected;
	__be32 daddr; /* default peer, if connected */
	u16 dport;

	/* SOL_SOCKET options */
	int rcvbuf, sndbuf;
	long rcvtimeo, sndtimeo; /* jiffies; MAX_SCHEDULE_TIMEOUT: none */
	bool reuseaddr, broadcast;
	int err; /* SO_ERROR (nothing sets one yet) */

	void *sk; /* the protocol's: a udp_sock, a raw_sock */
};

/* The socket behind file, or NULL if it is not a socket. */
struct socket *sock_from_file(struct file *file);
/*
 * Input: queue skb on sock (softirq or any context). Consumes skb.
 * Returns 0, or -ENOBUFS when the receive buffer is full or the socket
 * is shut down for reading (the skb is freed and sock->drops counted).
 */
int sock_queue_rcv_skb(struct socket *sock, struct sk_buff *skb);

/* Create a socket of the inet family (net/ipv4/af_inet.c). */
int inet_create(struct socket *sock, int protocol);
/*
 * SOL_IP options both inet protocols have: IP_TTL (1..255, -1: the
 * default) and IP_TOS into *ttl and *tos; multicast ones are
 * -ENOPROTOOPT (keel joins no groups), and so is anything else.
 */
int inet_set_ip_opt(int name, const void *val, unsigned int len, u8 *ttl,
		    u8 *tos);
int inet_get_ip_opt(int name, void *val, unsigned int *len, u8 ttl, u8 tos);
/* Interface ioctls (SIOCGIF*, SIOCSIF*: net/core/dev_ioctl.c). */
long dev_ioctl(unsigned int cmd, void __user *arg);

#endif
