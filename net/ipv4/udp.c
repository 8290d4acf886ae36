// SPDX-License-Identifier: MIT
/*
 * udp.c - UDP input and output and the in-kernel socket API
 * (keel/net/udp.h), plus the echo service on port 7 (RFC 862).
 *
 * Input checks the length field against the packet (trimming nothing
 * else), verifies a nonzero checksum, finds the socket bound to the
 * destination port (an interface without an address only delivers to
 * sockets bound to it: the DHCP client), and queues the datagram or
 * hands it to the socket's data_ready callback. No ICMP "port
 * unreachable" is sent; the drop is counted.
 *
 * Locking: udp_lock (irqsave) guards the socket list, bindings and every
 * socket's receive queue, and is held while data_ready runs, so a socket
 * cannot be closed under a callback on any CPU. A callback may therefore
 * send on its own bound socket but must not bind, open or close one.
 */
#define pr_fmt(fmt) "udp: " fmt

#include <keel/checksum.h>
#include <keel/errno.h>
#include <keel/init.h>
#include <keel/lockdep.h>
#include <keel/net/ip.h>
#include <keel/net/snmp.h>
#include <keel/net/udp.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/softirq.h>
#include <keel/string.h>
#include <keel/timer.h>

#define UDP_ECHO_PORT 7

static LIST_HEAD(udp_socks);
static DEFINE_SPINLOCK(udp_lock);
static u16 next_ephemeral = UDP_EPHEMERAL_LO;

/*
 * The socket for a datagram from `from` to daddr:port on dev: a socket
 * connected to `from` before one that is not (a connected socket only
 * takes its peer's datagrams).
 */
static struct udp_sock *udp_lookup(const struct net_device *dev, __be32 daddr,
				   u16 port, const struct sockaddr_in *from)
{
	struct udp_sock *sk, *any = NULL;

	lockdep_assert_held(&udp_lock);
	list_for_each_entry(sk, &udp_socks, node) {
		if (sk->port != port || (sk->dev && sk->dev != dev))
			continue;
		if (!dev->ip.configured && sk->dev != dev)
			continue;
		if (sk->addr != INADDR_ANY && sk->addr != daddr)
			continue;
		if (!sk->dport) {
			if (!any)
				any = sk;
			continue;
		}
		if (sk->daddr == from->addr && sk->dport == from->port)
			return sk;
	}
	return any;
}

/* Length and checksum checks; 0 or -EINVAL (counted). */
static int udp_check(struct sk_buff *skb, const struct iphdr *iph)
{
	const struct udphdr *uh = (const struct udphdr *)skb->data;
	unsigned int len;

	if (!pskb_may_pull(skb, sizeof(*uh))) {
		NET_INC(UDP_IN_ERRORS);
		return -EINVAL;
	}
	len = ntohs(uh->len);
	if (len < sizeof(*uh) || len > skb->len) {
		NET_INC(UDP_IN_ERRORS);
		return -EINVAL;
	}
	skb_trim(skb, len);
	if (uh->check &&
	    csum_tcpudp_magic(iph->saddr, iph->daddr, len, IPPROTO_UDP,
			      csum_partial(uh, len, 0))) {
		NET_INC(UDP_IN_CSUM_ERRORS);
		return -EINVAL;
	}
	return 0;
}

void udp_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph = (const struct iphdr *)skb_network_header(skb);
	const struct udphdr *uh = (const struct udphdr *)skb->data;
	struct sockaddr_in from;
	struct udp_sock *sk;
	unsigned long flags;

	if (udp_check(skb, iph))
		goto drop;
	from.addr = iph->saddr;
	from.port = ntohs(uh->source);
	spin_lock_irqsave(&udp_lock, flags);
	sk = udp_lookup(skb->dev, iph->daddr, ntohs(uh->dest), &from);
	if (!sk) {
		spin_unlock_irqrestore(&udp_lock, flags);
		NET_INC(UDP_NO_PORTS);
		goto drop;
	}
	NET_INC(UDP_IN_DATAGRAMS);
	skb_pull(skb, sizeof(*uh));
	if (sk->data_ready) {
		sk->data_ready(sk, skb, &from);
	} else if (sk->rxq.qlen >= UDP_RCVQ_LEN) {
		NET_INC(UDP_RCVBUF_ERRORS);
		kfree_skb(skb);
	} else {
		skb_queue_tail(&sk->rxq, skb);
		wake_up(&sk->wq);
	}
	spin_unlock_irqrestore(&udp_lock, flags);
	return;
drop:
	kfree_skb(skb);
}

struct udp_sock *udp_open(void)
{
	struct udp_sock *sk = kzalloc(sizeof(*sk), GFP_KERNEL);

	if (!sk)
		return NULL;
	skb_queue_head_init(&sk->rxq);
	init_waitqueue_head(&sk->wq);
	INIT_LIST_HEAD(&sk->node);
	return sk;
}

/* Whether port is taken for addr (reuse: unless all holders share). */
static bool port_in_use(__be32 addr, u16 port, bool reuse)
{
	struct udp_sock *sk;

	lockdep_assert_held(&udp_lock);
	list_for_each_entry(sk, &udp_socks, node)
		if (sk->port == port && !(reuse && sk->reuse) &&
		    (sk->addr == INADDR_ANY || addr == INADDR_ANY ||
		     sk->addr == addr))
			return true;
	return false;
}

/* A free ephemeral port, or 0 if none. */
static u16 pick_ephemeral(__be32 addr)
{
	lockdep_assert_held(&udp_lock);

	for (unsigned int tries = 0; tries < 65536 - UDP_EPHEMERAL_LO;
	     tries++) {
		u16 port = next_ephemeral;

		next_ephemeral = port == 65535 ? UDP_EPHEMERAL_LO : port + 1;
		if (!port_in_use(addr, port, false))
			return port;
	}
	return 0;
}

int udp_bind(struct udp_sock *sk, __be32 addr, u16 port)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&udp_lock, flags);
	if (sk->port) {
		err = -EINVAL;
		goto out_unlock;
	}
	if (!port)
		port = pick_ephemeral(addr);
	if (!port || port_in_use(addr, port, sk->reuse)) {
		err = -EADDRINUSE;
		goto out_unlock;
	}
	sk->addr = addr;
	sk->port = port;
	list_add_tail(&sk->node, &udp_socks);
out_unlock:
	spin_unlock_irqrestore(&udp_lock, flags);
	return err;
}

void udp_unbind(struct udp_sock *sk)
{
	unsigned long flags;

	spin_lock_irqsave(&udp_lock, flags);
	list_del_init(&sk->node);
	sk->addr = INADDR_ANY;
	sk->port = 0;
	spin_unlock_irqrestore(&udp_lock, flags);
}

void udp_set_peer(struct udp_sock *sk, __be32 daddr, u16 dport)
{
	unsigned long flags;

	spin_lock_irqsave(&udp_lock, flags);
	sk->daddr = daddr;
	sk->dport = daddr ? dport : 0;
	spin_unlock_irqrestore(&udp_lock, flags);
}

void udp_bind_dev(struct udp_sock *sk, struct net_device *dev)
{
	sk->dev = dev;
}

/* Send through dev (NULL: routed). Returns len or -Exxx. */
static long udp_send(struct udp_sock *sk, struct net_device *dev,
		     const void *buf, size_t len, const struct sockaddr_in *to)
{
	struct sk_buff *skb;
	struct udphdr *uh;
	__be32 saddr, nexthop;
	int err;

	if (len > UDP_MAX_PAYLOAD)
		return -EMSGSIZE;
	if (!sk->port && (err = udp_bind(sk, INADDR_ANY, 0)))
		return err;
	if (!dev && (err = ip_route(to->addr, &dev, &nexthop)))
		return err;
	saddr = sk->addr ? sk->addr : dev->ip.addr;
	skb = ip_alloc_skb(sizeof(*uh) + len,
			   in_softirq() ? GFP_ATOMIC : GFP_KERNEL);
	if (!skb)
		return -ENOMEM;
	uh = (struct udphdr *)skb_put(skb, sizeof(*uh) + len);
	memcpy(uh + 1, buf, len);
	uh->source = htons(sk->port);
	uh->dest = htons(to->port);
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;
	uh->check = csum_tcpudp_magic(saddr, to->addr, sizeof(*uh) + len,
				      IPPROTO_UDP,
				      csum_partial(uh, sizeof(*uh) + len, 0));
	if (!uh->check)
		uh->check = 0xffff; /* 0 means "no checksum" */
	NET_INC(UDP_OUT_DATAGRAMS);
	err = ip_output_ttl(skb, dev, saddr, to->addr, IPPROTO_UDP,
			    sk->ttl ? sk->ttl : IP_DEFAULT_TTL, sk->tos);
	return err ? err : (long)len;
}

long udp_sendto(struct udp_sock *sk, const void *buf, size_t len,
		const struct sockaddr_in *to)
{
	return udp_send(sk, sk->dev, buf, len, to);
}

long udp_recvfrom(struct udp_sock *sk, void *buf, size_t len,
		  struct sockaddr_in *from, unsigned int timeout_ms)
{
	const struct iphdr *iph;
	struct sk_buff *skb;
	unsigned long flags;
	size_t n;

	if (!wait_event_timeout(sk->wq, READ_ONCE(sk->rxq.qlen) != 0,
				msecs_to_jiffies(timeout_ms)))
		return -ETIMEDOUT;
	spin_lock_irqsave(&udp_lock, flags);
	skb = skb_dequeue(&sk->rxq);
	spin_unlock_irqrestore(&udp_lock, flags);
	if (!skb)
		return -ETIMEDOUT;
	n = min(len, (size_t)skb->len);
	memcpy(buf, skb->data, n);
	if (from) {
		iph = (const struct iphdr *)skb_network_header(skb);
		from->addr = iph->saddr;
		from->port = get_be16(skb_transport_header(skb));
	}
	kfree_skb(skb);
	return n;
}

void udp_close(struct udp_sock *sk)
{
	struct sk_buff_head q;
	unsigned long flags;

	spin_lock_irqsave(&udp_lock, flags);
	list_del_init(&sk->node);
	q = sk->rxq;
	skb_queue_head_init(&sk->rxq);
	spin_unlock_irqrestore(&udp_lock, flags);
	skb_queue_purge(&q);
	kfree(sk);
}

unsigned int udp_queued(void)
{
	struct udp_sock *sk;
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&udp_lock, flags);
	list_for_each_entry(sk, &udp_socks, node)
		n += sk->rxq.qlen;
	spin_unlock_irqrestore(&udp_lock, flags);
	return n;
}

/* RFC 862: send every datagram back the way it came. */
static void echo_data_ready(struct udp_sock *sk, struct sk_buff *skb,
			    const struct sockaddr_in *from)
{
	udp_send(sk, skb->dev, skb->data, skb->len, from);
	kfree_skb(skb);
}

static int udp_echo_init(void)
{
	struct udp_sock *sk = udp_open();
	int err;

	if (!sk)
		return -ENOMEM;
	sk->data_ready = echo_data_ready;
	err = udp_bind(sk, INADDR_ANY, UDP_ECHO_PORT);
	if (err)
		kfree(sk);
	return err;
}
late_initcall(udp_echo_init);
