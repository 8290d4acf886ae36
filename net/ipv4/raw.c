// SPDX-License-Identifier: MIT
/*
 * raw.c - raw IPv4 sockets (keel/net/raw.h).
 *
 * Each raw socket sits on raw_socks with its protocol. Input hands
 * every packet for us to raw_local_deliver() before its protocol
 * handler sees it: each raw socket of that protocol whose bound
 * address, connected peer and (ICMP) type filter let it through gets
 * its own copy, starting at the IP header. The protocol handler then
 * runs as usual: the kernel still answers an echo request that a raw
 * socket also saw, as Linux does.
 *
 * Output: the program's bytes are the payload (the ICMP header and
 * data for ping, checksum computed by the program); ip_output_ttl adds
 * the IP header with the socket's TTL and TOS. IP_HDRINCL (the program
 * writes the IP header) is not implemented.
 *
 * Locking: raw_lock (irqsave) guards the list; a socket's receive
 * queue lock nests inside it (sock_queue_rcv_skb).
 */
#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/net.h>
#include <keel/net/icmp.h>
#include <keel/net/ip.h>
#include <keel/net/raw.h>
#include <keel/net/udp.h>
#include <keel/slab.h>
#include <keel/softirq.h>
#include <keel/string.h>

struct raw_sock {
	struct socket *sock;
	struct list_head node;
	u8 protocol;
	u8 ttl, tos;	 /* IP_TTL (0: the default), IP_TOS */
	u32 icmp_filter; /* ICMP_FILTER: bit n set drops ICMP type n */
};

static LIST_HEAD(raw_socks);
static DEFINE_SPINLOCK(raw_lock);

/* Whether rs wants this packet (iph of a packet for us). */
static bool raw_match(const struct raw_sock *rs, const struct iphdr *iph,
		      const struct sk_buff *skb)
{
	const struct socket *sock = rs->sock;

	if (rs->protocol != iph->protocol)
		return false;
	if (sock->saddr && sock->saddr != iph->daddr)
		return false;
	if (sock->connected && sock->daddr != iph->saddr)
		return false;
	if (rs->protocol == IPPROTO_ICMP && skb->len >= 1) {
		u8 type = skb->data[0];

		if (type < 32 && (rs->icmp_filter & (1U << type)))
			return false;
	}
	return true;
}

/* A copy of the packet from its IP header on, or NULL. */
static struct sk_buff *raw_copy(const struct sk_buff *skb)
{
	const u8 *nh = skb_network_header(skb);
	unsigned int len = skb->data + skb->len - nh;
	struct sk_buff *n = alloc_skb(len, GFP_ATOMIC);

	if (!n)
		return NULL;
	memcpy(skb_put(n, len), nh, len);
	skb_reset_network_header(n);
	n->transport_header = n->network_header + (skb->data - nh);
	n->dev = skb->dev;
	return n;
}

void raw_local_deliver(struct sk_buff *skb, u8 proto)
{
	const struct iphdr *iph = (const struct iphdr *)skb_network_header(skb);
	struct raw_sock *rs;
	unsigned long flags;

	spin_lock_irqsave(&raw_lock, flags);
	list_for_each_entry(rs, &raw_socks, node) {
		struct sk_buff *copy;

		if (rs->protocol != proto || !raw_match(rs, iph, skb))
			continue;
		copy = raw_copy(skb);
		if (copy) {
			sock_queue_rcv_skb(rs->sock, copy);
		} else {
			spin_lock(&rs->sock->lock);
			rs->sock->drops++;
			spin_unlock(&rs->sock->lock);
		}
	}
	spin_unlock_irqrestore(&raw_lock, flags);
}

static int raw_bind(struct socket *sock, __be32 addr, u16 port)
{
	(void)port; /* a raw socket has no ports */
	sock->saddr = addr;
	return 0;
}

static int raw_connect(struct socket *sock, const struct sockaddr_in *to)
{
	(void)sock;
	(void)to; /* the socket layer keeps the peer; input checks it */
	return 0;
}

static long raw_sendmsg(struct socket *sock, const void *buf, size_t len,
			const struct sockaddr_in *to)
{
	struct raw_sock *rs = sock->sk;
	struct sk_buff *skb;
	int err;

	skb = ip_alloc_skb(len, GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	memcpy(skb_put(skb, len), buf, len);
	err = ip_output_ttl(skb, NULL, sock->saddr, to->addr, rs->protocol,
			    rs->ttl ? rs->ttl : IP_DEFAULT_TTL, rs->tos);
	return err ? err : (long)len;
}

static int raw_setsockopt(struct socket *sock, int level, int name,
			  const void *val, unsigned int len);
static int raw_getsockopt(struct socket *sock, int level, int name, void *val,
			  unsigned int *len);

static void raw_release(struct socket *sock)
{
	struct raw_sock *rs = sock->sk;
	unsigned long flags;

	spin_lock_irqsave(&raw_lock, flags);
	list_del(&rs->node);
	spin_unlock_irqrestore(&raw_lock, flags);
	kfree(rs);
	sock->sk = NULL;
}

static const struct proto_ops raw_ops = {
	.bind = raw_bind,
	.connect = raw_connect,
	.sendmsg = raw_sendmsg,
	.setsockopt = raw_setsockopt,
	.getsockopt = raw_getsockopt,
	.release = raw_release,
	.max_payload = ETH_DATA_LEN - sizeof(struct iphdr),
};

static int raw_setsockopt(struct socket *sock, int level, int name,
			  const void *val, unsigned int len)
{
	struct raw_sock *rs = sock->sk;
	unsigned long flags;
	u32 filter = 0;

	if (level == SOL_IP)
		return inet_set_ip_opt(name, val, len, &rs->ttl, &rs->tos);
	if (level != SOL_RAW || name != ICMP_FILTER)
		return -ENOPROTOOPT;
	if (rs->protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	memcpy(&filter, val, len < sizeof(filter) ? len : sizeof(filter));
	spin_lock_irqsave(&raw_lock, flags);
	rs->icmp_filter = filter;
	spin_unlock_irqrestore(&raw_lock, flags);
	return 0;
}

static int raw_getsockopt(struct socket *sock, int level, int name, void *val,
			  unsigned int *len)
{
	struct raw_sock *rs = sock->sk;

	if (level == SOL_IP)
		return inet_get_ip_opt(name, val, len, rs->ttl, rs->tos);
	if (level != SOL_RAW || name != ICMP_FILTER)
		return -ENOPROTOOPT;
	if (rs->protocol != IPPROTO_ICMP)
		return -EOPNOTSUPP;
	if (*len > sizeof(rs->icmp_filter))
		*len = sizeof(rs->icmp_filter);
	memcpy(val, &rs->icmp_filter, *len);
	return 0;
}

int raw_create(struct socket *sock, int protocol)
{
	struct raw_sock *rs;
	unsigned long flags;

	/* TODO: IPPROTO_RAW and protocol 0 need IP_HDRINCL */
	if (protocol <= IPPROTO_IP || protocol >= IPPROTO_RAW)
		return -EPROTONOSUPPORT;
	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return -ENOMEM;
	rs->sock = sock;
	rs->protocol = protocol;
	sock->sk = rs;
	sock->ops = &raw_ops;
	sock->sport = protocol; /* getsockname shows it, as Linux's */
	spin_lock_irqsave(&raw_lock, flags);
	list_add_tail(&rs->node, &raw_socks);
	spin_unlock_irqrestore(&raw_lock, flags);
	return 0;
}
