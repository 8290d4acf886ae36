// SPDX-License-Identifier: MIT
/*
 * arp.c - ARP requests, replies and the neighbour cache
 * (keel/net/arp.h).
 *
 * The cache is a fixed table: a flood of ARP traffic can neither grow
 * it nor evict entries it did not create (only packets addressed to us
 * insert; others merely refresh entries already present, RFC 826).
 * Packets waiting for a resolution are queued on their entry, at most
 * ARP_QUEUE_LEN. Timeouts are evaluated when an entry is used and by
 * arp_expire(), which the receive and send paths call at most once a
 * second: no timer is involved.
 *
 * Locking: arp_lock (irqsave) guards the table. Nothing is sent with it
 * held: frames to send are collected under the lock and handed to the
 * driver after it is dropped.
 */
#define pr_fmt(fmt) "arp: " fmt

#include <keel/errno.h>
#include <keel/etherdevice.h>
#include <keel/init.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/net/arp.h>
#include <keel/net/ip.h>
#include <keel/net/snmp.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/time.h>

#define ARP_HRD_ETHER	 1
#define ARP_RETRY_NS	 NSEC_PER_SEC
#define ARP_REACHABLE_NS (ARP_TIMEOUT_S * NSEC_PER_SEC)

enum neigh_state { NEIGH_FREE, NEIGH_INCOMPLETE, NEIGH_REACHABLE };

struct neighbour {
	enum neigh_state state;
	struct net_device *dev;
	__be32 ip;
	u8 mac[ETH_ALEN];
	u64 stamp;	     /* resolved, or last request sent */
	unsigned int probes; /* requests sent while incomplete */
	struct sk_buff_head queue;
};

static struct neighbour cache[ARP_CACHE_SIZE];
static DEFINE_SPINLOCK(arp_lock);
static u64 next_expire_ns;

/* Entry for (dev, ip) or NULL. */
static struct neighbour *neigh_find(struct net_device *dev, __be32 ip)
{
	lockdep_assert_held(&arp_lock);

	for (int i = 0; i < ARP_CACHE_SIZE; i++) {
		struct neighbour *n = &cache[i];

		if (n->state != NEIGH_FREE && n->dev == dev && n->ip == ip)
			return n;
	}
	return NULL;
}

/* Move n's waiting packets to out. */
static void neigh_take_queue(struct neighbour *n, struct sk_buff_head *out)
{
	struct sk_buff *skb;

	lockdep_assert_held(&arp_lock);
	while ((skb = skb_dequeue(&n->queue)))
		skb_queue_tail(out, skb);
}

/* Free n, moving its queue to drop. */
static void neigh_release(struct neighbour *n, struct sk_buff_head *drop)
{
	lockdep_assert_held(&arp_lock);

	neigh_take_queue(n, drop);
	n->state = NEIGH_FREE;
	n->dev = NULL;
}

/*
 * A free entry for (dev, ip), evicting the oldest one if the table is
 * full (its waiting packets go to drop).
 */
static struct neighbour *neigh_create(struct net_device *dev, __be32 ip,
				      struct sk_buff_head *drop)
{
	struct neighbour *victim = NULL;

	lockdep_assert_held(&arp_lock);
	for (int i = 0; i < ARP_CACHE_SIZE; i++) {
		struct neighbour *n = &cache[i];

		if (n->state == NEIGH_FREE) {
			victim = n;
			break;
		}
		if (!victim || n->stamp < victim->stamp)
			victim = n;
	}
	neigh_release(victim, drop);
	victim->state = NEIGH_INCOMPLETE;
	victim->dev = dev;
	victim->ip = ip;
	victim->probes = 0;
	victim->stamp = 0;
	skb_queue_head_init(&victim->queue);
	return victim;
}

/* Whether an incomplete entry has used all its requests. */
static bool neigh_failed(const struct neighbour *n, u64 now)
{
	lockdep_assert_held(&arp_lock);

	return n->state == NEIGH_INCOMPLETE && n->probes >= ARP_RETRIES &&
	       now - n->stamp >= ARP_RETRY_NS;
}

static void drop_all(struct sk_buff_head *q, bool count)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q))) {
		if (count)
			NET_INC(ARP_UNRESOLVED_DROPS);
		kfree_skb(skb);
	}
}

/* Free failed and long-stale entries, at most once a second. */
static void arp_expire(void)
{
	struct sk_buff_head drop;
	u64 now = ktime_get_ns();
	unsigned long flags;

	if (now < READ_ONCE(next_expire_ns))
		return;
	skb_queue_head_init(&drop);
	spin_lock_irqsave(&arp_lock, flags);
	next_expire_ns = now + NSEC_PER_SEC;
	for (int i = 0; i < ARP_CACHE_SIZE; i++) {
		struct neighbour *n = &cache[i];

		if (neigh_failed(n, now) ||
		    (n->state == NEIGH_REACHABLE &&
		     now - n->stamp >= 2 * ARP_REACHABLE_NS))
			neigh_release(n, &drop);
	}
	spin_unlock_irqrestore(&arp_lock, flags);
	drop_all(&drop, true);
}

/* Build and send one ARP packet on dev. 0 or -Exxx. */
static int arp_send(struct net_device *dev, u16 op, __be32 tip, const u8 *tha,
		    const u8 *eth_dest)
{
	struct sk_buff *skb = ip_alloc_skb(sizeof(struct arphdr), GFP_ATOMIC);
	struct arphdr *arp;

	if (!skb)
		return -ENOMEM;
	arp = (struct arphdr *)skb_put(skb, sizeof(*arp));
	arp->ar_hrd = htons(ARP_HRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(op);
	ether_addr_copy(arp->ar_sha, dev->dev_addr);
	arp->ar_sip = dev->ip.addr;
	if (tha)
		ether_addr_copy(arp->ar_tha, tha);
	else
		memset(arp->ar_tha, 0, ETH_ALEN);
	arp->ar_tip = tip;
	skb->dev = dev;
	if (eth_header(skb, dev, ETH_P_ARP, eth_dest)) {
		kfree_skb(skb);
		return -ENOSPC;
	}
	return dev_queue_xmit(skb);
}

int arp_send_request(struct net_device *dev, __be32 tip)
{
	NET_INC(ARP_OUT_REQUESTS);
	return arp_send(dev, ARPOP_REQUEST, tip, NULL, NULL);
}

int arp_send_gratuitous(struct net_device *dev)
{
	if (!dev->ip.configured)
		return -EADDRNOTAVAIL;
	NET_INC(ARP_OUT_GRATUITOUS);
	return arp_send(dev, ARPOP_REQUEST, dev->ip.addr, NULL, NULL);
}

/* Give each queued packet its Ethernet header and send it. */
static void send_queue(struct sk_buff_head *q, const u8 *mac)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q))) {
		if (eth_header(skb, skb->dev, skb->protocol, mac)) {
			kfree_skb(skb);
			continue;
		}
		dev_queue_xmit(skb);
	}
}

int arp_output(struct sk_buff *skb, struct net_device *dev, __be32 nexthop,
	       u16 proto)
{
	struct sk_buff_head drop, ready;
	struct neighbour *n;
	u64 now = ktime_get_ns();
	unsigned long flags;
	bool request = false;
	u8 mac[ETH_ALEN];
	int err = 0;

	skb->dev = dev;
	skb->protocol = proto;
	if (ip_addr_is_broadcast(dev, nexthop)) {
		if (eth_header(skb, dev, proto, NULL)) {
			kfree_skb(skb);
			return -ENOSPC;
		}
		return dev_queue_xmit(skb);
	}
	arp_expire();
	skb_queue_head_init(&drop);
	skb_queue_head_init(&ready);
	spin_lock_irqsave(&arp_lock, flags);
	n = neigh_find(dev, nexthop);
	if (n && n->state == NEIGH_REACHABLE &&
	    now - n->stamp < ARP_REACHABLE_NS) {
		ether_addr_copy(mac, n->mac);
		skb_queue_tail(&ready, skb);
		goto out_unlock;
	}
	if (!n)
		n = neigh_create(dev, nexthop, &drop);
	if (n->state == NEIGH_REACHABLE) { /* stale: resolve again */
		n->state = NEIGH_INCOMPLETE;
		n->probes = 0;
		n->stamp = 0;
	}
	if (neigh_failed(n, now)) { /* gave up; this packet starts anew */
		neigh_take_queue(n, &drop);
		n->probes = 0;
	}
	if (n->queue.qlen < ARP_QUEUE_LEN) {
		skb_queue_tail(&n->queue, skb);
	} else {
		skb_queue_tail(&drop, skb);
		err = -ENOBUFS;
	}
	if (n->probes < ARP_RETRIES &&
	    (!n->probes || now - n->stamp >= ARP_RETRY_NS)) {
		n->probes++;
		n->stamp = now;
		request = true;
	}
out_unlock:
	spin_unlock_irqrestore(&arp_lock, flags);
	drop_all(&drop, true);
	if (request)
		arp_send_request(dev, nexthop);
	if (ready.qlen)
		send_queue(&ready, mac);
	return err;
}

/*
 * Record sip -> sha learned from an ARP packet. insert: create the
 * entry if absent (the packet was for us). Frames that were waiting are
 * moved to ready.
 */
static void neigh_update(struct net_device *dev, __be32 sip, const u8 *sha,
			 bool insert, struct sk_buff_head *ready,
			 struct sk_buff_head *drop)
{
	struct neighbour *n = neigh_find(dev, sip);

	lockdep_assert_held(&arp_lock);
	if (!n && !insert)
		return;
	if (!n)
		n = neigh_create(dev, sip, drop);
	ether_addr_copy(n->mac, sha);
	n->state = NEIGH_REACHABLE;
	n->stamp = ktime_get_ns();
	n->probes = 0;
	neigh_take_queue(n, ready);
}

/* A well-formed Ethernet/IPv4 ARP request or reply? */
static bool arp_valid(const struct arphdr *arp)
{
	u16 op = ntohs(arp->ar_op);

	return ntohs(arp->ar_hrd) == ARP_HRD_ETHER &&
	       ntohs(arp->ar_pro) == ETH_P_IP && arp->ar_hln == ETH_ALEN &&
	       arp->ar_pln == 4 && (op == ARPOP_REQUEST || op == ARPOP_REPLY) &&
	       is_valid_ether_addr(arp->ar_sha);
}

/* Receive one ARP packet (skb->data at the ARP header). Consumes skb. */
static void arp_rcv(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct sk_buff_head ready, drop;
	const struct arphdr *arp = (const struct arphdr *)skb->data;
	unsigned long flags;
	bool for_us;
	u8 sha[ETH_ALEN];

	NET_INC(ARP_IN);
	if (!pskb_may_pull(skb, sizeof(*arp)) || !arp_valid(arp)) {
		NET_INC(ARP_IN_MALFORMED);
		goto out_free;
	}
	arp_expire();
	for_us = dev->ip.configured && arp->ar_tip == dev->ip.addr;
	skb_queue_head_init(&ready);
	skb_queue_head_init(&drop);
	ether_addr_copy(sha, arp->ar_sha);
	if (arp->ar_sip != INADDR_ANY && !ip_addr_is_local(dev, arp->ar_sip)) {
		spin_lock_irqsave(&arp_lock, flags);
		neigh_update(dev, arp->ar_sip, sha, for_us, &ready, &drop);
		spin_unlock_irqrestore(&arp_lock, flags);
	}
	drop_all(&drop, true);
	send_queue(&ready, sha);
	if (!for_us) {
		NET_INC(ARP_IN_NOT_FOR_US);
		goto out_free;
	}
	if (ntohs(arp->ar_op) == ARPOP_REPLY) {
		NET_INC(ARP_IN_REPLIES);
		goto out_free;
	}
	NET_INC(ARP_IN_REQUESTS);
	NET_INC(ARP_OUT_REPLIES);
	arp_send(dev, ARPOP_REPLY, arp->ar_sip, sha, sha);
out_free:
	kfree_skb(skb);
}

static struct packet_type arp_packet_type = {
	.type = ETH_P_ARP,
	.func = arp_rcv,
};

static int arp_proto_init(void)
{
	return dev_add_pack(&arp_packet_type);
}
subsys_initcall(arp_proto_init);

int arp_lookup(struct net_device *dev, __be32 ip, u8 *mac)
{
	struct neighbour *n;
	unsigned long flags;
	int err = -ENOENT;

	spin_lock_irqsave(&arp_lock, flags);
	n = neigh_find(dev, ip);
	if (n && n->state == NEIGH_REACHABLE) {
		ether_addr_copy(mac, n->mac);
		err = 0;
	}
	spin_unlock_irqrestore(&arp_lock, flags);
	return err;
}

void arp_flush(struct net_device *dev)
{
	struct sk_buff_head drop;
	unsigned long flags;

	skb_queue_head_init(&drop);
	spin_lock_irqsave(&arp_lock, flags);
	for (int i = 0; i < ARP_CACHE_SIZE; i++) {
		struct neighbour *n = &cache[i];

		if (n->state != NEIGH_FREE && (!dev || n->dev == dev))
			neigh_release(n, &drop);
	}
	spin_unlock_irqrestore(&arp_lock, flags);
	drop_all(&drop, false);
}

unsigned int arp_cache_count(void)
{
	unsigned int count = 0;

	for (int i = 0; i < ARP_CACHE_SIZE; i++)
		count += READ_ONCE(cache[i].state) != NEIGH_FREE;
	return count;
}

void arp_show(void)
{
	u64 now = ktime_get_ns();
	unsigned long flags;

	spin_lock_irqsave(&arp_lock, flags);
	for (int i = 0; i < ARP_CACHE_SIZE; i++) {
		const struct neighbour *n = &cache[i];

		if (n->state == NEIGH_FREE)
			continue;
		if (n->state == NEIGH_REACHABLE)
			monitor_printf("%pI4 at %pM on %s, %llus old\n", &n->ip,
				       n->mac, n->dev->name,
				       (now - n->stamp) / NSEC_PER_SEC);
		else
			monitor_printf(
				"%pI4 incomplete on %s, %u request(s), %u "
				"queued\n",
				&n->ip, n->dev->name, n->probes, n->queue.qlen);
	}
	spin_unlock_irqrestore(&arp_lock, flags);
}
