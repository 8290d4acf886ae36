// SPDX-License-Identifier: MIT
/*
 * ip.c - IPv4 input, output, routing and interface addresses
 * (keel/net/ip.h).
 *
 * Input validates in the order a header can be trusted: enough bytes
 * for a minimal header, version and header length, enough bytes for the
 * whole header, its checksum, the total length against the frame (the
 * Ethernet padding is trimmed), fragments (keel does not reassemble:
 * dropped), then the addresses. Each drop is counted under its reason.
 * A host does not forward, so TTL only matters on output (RFC 1122
 * 3.2.1.7: never discard a datagram for a low TTL on input).
 *
 * Output never fragments: a datagram larger than the MTU is refused
 * with -EMSGSIZE and sent with DF.
 */
#define pr_fmt(fmt) "ipv4: " fmt

#include <keel/checksum.h>
#include <keel/errno.h>
#include <keel/init.h>
#include <keel/net/arp.h>
#include <keel/net/icmp.h>
#include <keel/net/ip.h>
#include <keel/net/raw.h>
#include <keel/net/snmp.h>
#include <keel/net/udp.h>
#include <keel/printk.h>
#include <keel/softirq.h>
#include <keel/string.h>

#define IP_DF	      0x4000
#define LOOPBACK_QLEN 256 /* packets to ourselves waiting for input */

static u16 ip_ident;

struct sk_buff *ip_alloc_skb(unsigned int payload_len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(IP_HEADROOM + payload_len, gfp);

	if (skb)
		skb_reserve(skb, IP_HEADROOM);
	return skb;
}

bool ip_addr_is_local(const struct net_device *dev, __be32 addr)
{
	return dev->ip.configured && addr == dev->ip.addr;
}

bool ip_addr_is_broadcast(const struct net_device *dev, __be32 addr)
{
	if (addr == INADDR_BROADCAST)
		return true;
	return dev->ip.configured && dev->ip.mask != INADDR_BROADCAST &&
	       addr == (dev->ip.addr | ~dev->ip.mask);
}

/* Multicast (224/4) or limited broadcast: never a source. */
static bool ip_bad_source(__be32 saddr)
{
	return saddr == INADDR_BROADCAST || (ntohl(saddr) >> 28) == 0xe;
}

/* Header checks; returns the header length or 0 (counted, drop). */
static unsigned int ip_check_header(struct sk_buff *skb)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	unsigned int ihl, tot;

	if (!pskb_may_pull(skb, sizeof(*iph))) {
		NET_INC(IP_IN_TRUNCATED);
		return 0;
	}
	ihl = (iph->version_ihl & 0xf) * 4;
	if ((iph->version_ihl >> 4) != 4 || ihl < sizeof(*iph)) {
		NET_INC(IP_IN_HDR_ERRORS);
		return 0;
	}
	if (!pskb_may_pull(skb, ihl)) {
		NET_INC(IP_IN_TRUNCATED);
		return 0;
	}
	if (ip_fast_csum(iph, ihl / 4)) {
		NET_INC(IP_IN_CSUM_ERRORS);
		return 0;
	}
	tot = ntohs(iph->tot_len);
	if (tot < ihl) {
		NET_INC(IP_IN_HDR_ERRORS);
		return 0;
	}
	if (tot > skb->len) {
		NET_INC(IP_IN_TRUNCATED);
		return 0;
	}
	skb_trim(skb, tot); /* Ethernet pads short frames */
	if (ntohs(iph->frag_off) & (IP_MF | IP_OFFSET)) {
		NET_INC(IP_IN_FRAGS_DROPPED);
		return 0;
	}
	return ihl;
}

/* Is iph addressed to dev (or a DHCP reply before dev has an address)? */
static bool ip_for_us(const struct net_device *dev, const struct iphdr *iph)
{
	if (ip_bad_source(iph->saddr))
		return false;
	if (ip_addr_is_local(dev, iph->daddr) ||
	    ip_addr_is_broadcast(dev, iph->daddr))
		return true;
	return !dev->ip.configured && iph->protocol == IPPROTO_UDP;
}

/*
 * Hand a packet for us (skb->data at its checked IP header of ihl
 * bytes) to the raw sockets and its protocol. Consumes skb.
 */
static void ip_local_deliver(struct sk_buff *skb, unsigned int ihl)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;

	skb_reset_network_header(skb);
	skb_pull(skb, ihl);
	skb_reset_transport_header(skb);
	raw_local_deliver(skb, iph->protocol);
	switch (iph->protocol) {
	case IPPROTO_ICMP:
		NET_INC(IP_IN_DELIVERS);
		icmp_rcv(skb);
		return;
	case IPPROTO_UDP:
		NET_INC(IP_IN_DELIVERS);
		udp_rcv(skb);
		return;
	default: NET_INC(IP_IN_UNKNOWN_PROTOS); kfree_skb(skb);
	}
}

/* Receive one packet (skb->data at the IP header). Consumes skb. */
static void ip_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;
	unsigned int ihl;

	NET_INC(IP_IN_RECEIVES);
	ihl = ip_check_header(skb);
	if (!ihl)
		goto drop;
	if (!ip_for_us(skb->dev, iph)) {
		NET_INC(IP_IN_ADDR_ERRORS);
		goto drop;
	}
	ip_local_deliver(skb, ihl);
	return;
drop:
	kfree_skb(skb);
}

/*
 * Loopback: a packet to one of our own addresses does not go to the
 * wire (nothing would answer the ARP request for it) but through this
 * queue to ip_local_deliver, in a tasklet so that input never runs
 * inside the output call that sent it (the UDP echo's data_ready sends
 * with udp_lock held; its reply to itself must not take it again).
 */
static struct sk_buff_head loopback_q;
static DEFINE_SPINLOCK(loopback_lock);

static void loopback_rx(struct tasklet *t)
{
	struct sk_buff *skb;
	unsigned long flags;

	(void)t;
	for (;;) {
		spin_lock_irqsave(&loopback_lock, flags);
		skb = skb_dequeue(&loopback_q);
		spin_unlock_irqrestore(&loopback_lock, flags);
		if (!skb)
			break;
		NET_INC(IP_IN_RECEIVES);
		ip_local_deliver(skb, sizeof(struct iphdr));
	}
}

static struct tasklet loopback_tasklet = TASKLET_INIT(loopback_rx);

/* The interface that has addr as its own address, or NULL. */
static struct net_device *ip_local_dev(__be32 addr)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev)))
		if (netif_running(dev) && ip_addr_is_local(dev, addr))
			return dev;
	return NULL;
}

/* Queue skb (at its IP header) for local input on dev. Returns 0. */
static int ip_loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	unsigned long flags;

	skb->dev = dev;
	local_bh_disable();
	spin_lock_irqsave(&loopback_lock, flags);
	if (loopback_q.qlen >= LOOPBACK_QLEN) {
		spin_unlock_irqrestore(&loopback_lock, flags);
		NET_INC(IP_OUT_DISCARDS);
		kfree_skb(skb);
		local_bh_enable();
		return -ENOBUFS;
	}
	skb_queue_tail(&loopback_q, skb);
	spin_unlock_irqrestore(&loopback_lock, flags);
	tasklet_schedule(&loopback_tasklet);
	local_bh_enable(); /* runs it, unless we are a softirq already */
	return 0;
}

static struct packet_type ip_packet_type = {
	.type = ETH_P_IP,
	.func = ip_rcv,
};

static int ip_proto_init(void)
{
	skb_queue_head_init(&loopback_q);
	return dev_add_pack(&ip_packet_type);
}
subsys_initcall(ip_proto_init);

static bool on_subnet(const struct net_device *dev, __be32 addr)
{
	return dev->ip.configured && !((addr ^ dev->ip.addr) & dev->ip.mask);
}

int ip_route(__be32 daddr, struct net_device **devp, __be32 *nexthop)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev))) {
		if (netif_running(dev) && on_subnet(dev, daddr)) {
			*devp = dev;
			*nexthop = daddr;
			return 0;
		}
	}
	while ((dev = dev_next(dev))) {
		if (netif_running(dev) && dev->ip.configured &&
		    dev->ip.gateway) {
			*devp = dev;
			*nexthop = dev->ip.gateway;
			return 0;
		}
	}
	NET_INC(IP_OUT_NO_ROUTES);
	return -ENETUNREACH;
}

/* Next hop for daddr through a given dev. */
static __be32 next_hop(const struct net_device *dev, __be32 daddr)
{
	if (ip_addr_is_broadcast(dev, daddr) || on_subnet(dev, daddr) ||
	    !dev->ip.gateway)
		return daddr;
	return dev->ip.gateway;
}

int ip_output(struct sk_buff *skb, struct net_device *dev, __be32 saddr,
	      __be32 daddr, u8 proto)
{
	return ip_output_ttl(skb, dev, saddr, daddr, proto, IP_DEFAULT_TTL, 0);
}

int ip_output_ttl(struct sk_buff *skb, struct net_device *dev, __be32 saddr,
		  __be32 daddr, u8 proto, u8 ttl, u8 tos)
{
	struct net_device *local;
	struct iphdr *iph;
	__be32 nexthop;
	int err;

	if (dev) {
		nexthop = next_hop(dev, daddr);
	} else {
		err = ip_route(daddr, &dev, &nexthop);
		if (err)
			goto drop;
	}
	err = -EMSGSIZE;
	if (skb->len + sizeof(*iph) > dev->mtu)
		goto drop;
	err = -ENOSPC;
	iph = (struct iphdr *)skb_push(skb, sizeof(*iph));
	if (!iph)
		goto drop;
	iph->version_ihl = 0x45;
	iph->tos = tos;
	iph->tot_len = htons(skb->len);
	iph->id = htons(__atomic_fetch_add(&ip_ident, 1, __ATOMIC_RELAXED));
	iph->frag_off = htons(IP_DF);
	iph->ttl = ttl;
	iph->protocol = proto;
	iph->saddr = saddr ? saddr : dev->ip.addr;
	iph->daddr = daddr;
	iph->check = 0;
	iph->check = ip_fast_csum(iph, 5);
	skb_reset_network_header(skb);
	NET_INC(IP_OUT_REQUESTS);
	local = ip_local_dev(daddr);
	if (local)
		return ip_loopback_xmit(skb, local);
	return arp_output(skb, dev, nexthop, ETH_P_IP);
drop:
	NET_INC(IP_OUT_DISCARDS);
	kfree_skb(skb);
	return err;
}

static __be32 prefix_to_mask(unsigned int prefix)
{
	return prefix ? htonl(~0U << (32 - prefix)) : 0;
}

int ip_config_set(struct net_device *dev, __be32 addr, unsigned int prefix,
		  __be32 gateway)
{
	__be32 mask;

	if (prefix > 32 || !addr || ip_bad_source(addr))
		return -EINVAL;
	mask = prefix_to_mask(prefix);
	if (gateway && ((gateway ^ addr) & mask))
		return -EINVAL; /* the gateway must be on the subnet */
	arp_flush(dev);
	dev->ip.addr = addr;
	dev->ip.mask = mask;
	dev->ip.gateway = gateway;
	dev->ip.dhcp = false;
	dev->ip.configured = true;
	pr_info("%s: %pI4/%u gateway %pI4\n", dev->name, &addr, prefix,
		&gateway);
	if (netif_running(dev) && netif_carrier_ok(dev))
		arp_send_gratuitous(dev);
	return 0;
}

void ip_config_clear(struct net_device *dev)
{
	arp_flush(dev);
	dev->ip = (struct in_device){ 0 };
}

int in_aton(const char *s, __be32 *addr)
{
	u32 v = 0;

	for (int i = 0; i < 4; i++) {
		unsigned int part = 0, digits = 0;

		while (*s >= '0' && *s <= '9' && digits < 4) {
			part = part * 10 + (*s++ - '0');
			digits++;
		}
		if (!digits || part > 255 || (i < 3 && *s++ != '.'))
			return -EINVAL;
		v = v << 8 | part;
	}
	if (*s)
		return -EINVAL;
	*addr = htonl(v);
	return 0;
}

int in_aton_prefix(const char *s, __be32 *addr, unsigned int *prefix)
{
	char buf[16];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);

	if (n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*prefix = 24;
	if (slash && (kstrtouint(slash + 1, 10, prefix) || *prefix > 32))
		return -EINVAL;
	return in_aton(buf, addr);
}
