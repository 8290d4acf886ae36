// SPDX-License-Identifier: MIT
/*
 * skbuff.c - allocation of packet buffers (keel/skbuff.h).
 *
 * The struct and its data come from one kmalloc: a full-size Ethernet
 * frame with headroom (64 + 2 + 1514 bytes + the struct) fits the
 * 2048-byte size class, so a packet costs one allocation and one free.
 * live counts buffers in flight so tests can show that every path frees
 * what it was given.
 */
#include <keel/netdevice.h>
#include <keel/skbuff.h>
#include <keel/slab.h>
#include <keel/string.h>

static long live;

struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp)
{
	struct sk_buff *skb = kmalloc(sizeof(*skb) + size, gfp);

	if (!skb)
		return NULL;
	memset(skb, 0, sizeof(*skb));
	skb->head = skb->data = (u8 *)(skb + 1);
	skb->size = size;
	__atomic_fetch_add(&live, 1, __ATOMIC_RELAXED);
	return skb;
}

struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len)
{
	struct sk_buff *skb =
		alloc_skb(len + NET_SKB_PAD + NET_IP_ALIGN, GFP_ATOMIC);

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD + NET_IP_ALIGN);
	skb->dev = dev;
	return skb;
}

void kfree_skb(struct sk_buff *skb)
{
	if (!skb)
		return;
	__atomic_fetch_sub(&live, 1, __ATOMIC_RELAXED);
	kfree(skb);
}

struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp)
{
	struct sk_buff *n = alloc_skb(skb->size, gfp);

	if (!n)
		return NULL;
	skb_reserve(n, skb_headroom(skb));
	memcpy(skb_put(n, skb->len), skb->data, skb->len);
	n->dev = skb->dev;
	n->protocol = skb->protocol;
	n->network_header = skb->network_header;
	n->transport_header = skb->transport_header;
	n->pkt_type = skb->pkt_type;
	return n;
}

long skb_live_count(void)
{
	return __atomic_load_n(&live, __ATOMIC_RELAXED);
}

void skb_queue_purge(struct sk_buff_head *q)
{
	struct sk_buff *skb;

	while ((skb = skb_dequeue(q)))
		kfree_skb(skb);
}
