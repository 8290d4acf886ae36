// SPDX-License-Identifier: MIT
/*
 * af_inet.c - the inet family's sockets: socket(AF_INET, ...) picks
 * the protocol, and UDP sockets (SOCK_DGRAM) are struct udp_sock of
 * the in-kernel API (keel/net/udp.h) whose data_ready callback moves
 * each datagram onto the socket's receive queue. Raw sockets are in
 * raw.c.
 *
 * As Linux's inet_create, a type keel has no protocol for at all
 * (SOCK_STREAM: keel has no TCP; SOCK_SEQPACKET) is -ESOCKTNOSUPPORT,
 * and a protocol the type does not have is -EPROTONOSUPPORT.
 */
#include <keel/errno.h>
#include <keel/net.h>
#include <keel/net/ip.h>
#include <keel/net/raw.h>
#include <keel/net/snmp.h>
#include <keel/net/udp.h>
#include <keel/slab.h>
#include <keel/string.h>

/* NET_RX softirq (udp_lock held): onto the owner's queue. */
static void udp_sock_data_ready(struct udp_sock *usk, struct sk_buff *skb,
				const struct sockaddr_in *from)
{
	(void)from; /* recv reads it from the headers */
	if (sock_queue_rcv_skb(usk->sk_user_data, skb))
		NET_INC(UDP_RCVBUF_ERRORS);
}

static int udp_sock_bind(struct socket *sock, __be32 addr, u16 port)
{
	struct udp_sock *usk = sock->sk;
	int err;

	usk->reuse = sock->reuseaddr;
	err = udp_bind(usk, addr, port);
	if (err)
		return err;
	sock->saddr = usk->addr;
	sock->sport = usk->port;
	return 0;
}

/* Bind an ephemeral port if there is none yet (Linux's autobind). */
static int udp_autobind(struct socket *sock)
{
	struct udp_sock *usk = sock->sk;

	if (usk->port)
		return 0;
	return udp_sock_bind(sock, INADDR_ANY, 0);
}

static int udp_sock_connect(struct socket *sock, const struct sockaddr_in *to)
{
	struct udp_sock *usk = sock->sk;
	int err;

	if (!to) {
		udp_set_peer(usk, 0, 0);
		if (!sock->bound && usk->port) {
			udp_unbind(usk);
			sock->saddr = INADDR_ANY;
			sock->sport = 0;
		}
		return 0;
	}
	err = udp_autobind(sock);
	if (err)
		return err;
	udp_set_peer(usk, to->addr, to->port);
	return 0;
}

static long udp_sock_sendmsg(struct socket *sock, const void *buf, size_t len,
			     const struct sockaddr_in *to)
{
	int err;

	if (!to->port)
		return -EINVAL;
	err = udp_autobind(sock);
	if (err)
		return err;
	return udp_sendto(sock->sk, buf, len, to);
}

static int udp_sock_setsockopt(struct socket *sock, int level, int name,
			       const void *val, unsigned int len)
{
	struct udp_sock *usk = sock->sk;

	if (level == SOL_IP)
		return inet_set_ip_opt(name, val, len, &usk->ttl, &usk->tos);
	return -ENOPROTOOPT; /* SOL_UDP: no UDP_CORK, no GRO */
}

static int udp_sock_getsockopt(struct socket *sock, int level, int name,
			       void *val, unsigned int *len)
{
	struct udp_sock *usk = sock->sk;

	if (level == SOL_IP)
		return inet_get_ip_opt(name, val, len, usk->ttl, usk->tos);
	return -ENOPROTOOPT;
}

static void udp_sock_release(struct socket *sock)
{
	udp_close(sock->sk); /* no data_ready runs once it returns */
	sock->sk = NULL;
}

static const struct proto_ops udp_sock_ops = {
	.bind = udp_sock_bind,
	.connect = udp_sock_connect,
	.sendmsg = udp_sock_sendmsg,
	.setsockopt = udp_sock_setsockopt,
	.getsockopt = udp_sock_getsockopt,
	.release = udp_sock_release,
	.max_payload = UDP_MAX_PAYLOAD,
};

static int udp_sock_create(struct socket *sock, int protocol)
{
	struct udp_sock *usk;

	if (protocol != IPPROTO_IP && protocol != IPPROTO_UDP)
		return -EPROTONOSUPPORT;
	usk = udp_open();
	if (!usk)
		return -ENOMEM;
	usk->data_ready = udp_sock_data_ready;
	usk->sk_user_data = sock;
	sock->sk = usk;
	sock->ops = &udp_sock_ops;
	sock->protocol = IPPROTO_UDP;
	return 0;
}

int inet_create(struct socket *sock, int protocol)
{
	if (protocol < 0 || protocol >= IPPROTO_MAX)
		return -EINVAL;
	switch (sock->type) {
	case SOCK_DGRAM: return udp_sock_create(sock, protocol);
	case SOCK_RAW:
		/* TODO: CAP_NET_RAW (-EPERM) once processes have credentials:
		 * today every process is root */
		return raw_create(sock, protocol);
	default: return -ESOCKTNOSUPPORT; /* TODO: SOCK_STREAM (TCP) */
	}
}

static int get_int_opt(const void *val, unsigned int len, int *v)
{
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(v, val, sizeof(int));
	return 0;
}

int inet_set_ip_opt(int name, const void *val, unsigned int len, u8 *ttl,
		    u8 *tos)
{
	int v, err;

	switch (name) {
	case IP_TTL:
		err = get_int_opt(val, len, &v);
		if (err)
			return err;
		if (v == -1)
			v = 0; /* the default */
		else if (v < 1 || v > 255)
			return -EINVAL;
		*ttl = v;
		return 0;
	case IP_TOS:
		err = get_int_opt(val, len, &v);
		if (err)
			return err;
		*tos = v;
		return 0;
	default: return -ENOPROTOOPT; /* IP_MULTICAST_*: no groups */
	}
}

int inet_get_ip_opt(int name, void *val, unsigned int *len, u8 ttl, u8 tos)
{
	int v;

	switch (name) {
	case IP_TTL: v = ttl ? ttl : IP_DEFAULT_TTL; break;
	case IP_TOS: v = tos; break;
	default: return -ENOPROTOOPT;
	}
	if (*len > sizeof(v))
		*len = sizeof(v);
	memcpy(val, &v, *len);
	return 0;
}
