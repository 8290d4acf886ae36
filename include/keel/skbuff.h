/* SPDX-License-Identifier: MIT */
/*
 * keel/skbuff.h - packet buffers (Linux's sk_buff, linear only).
 *
 * One allocation holds the struct and the data area behind it:
 *
 *	head            data              data+len        head+size
 *	 |   headroom    |   packet bytes   |   tailroom    |
 *
 * Receive paths strip headers with skb_pull(); transmit paths reserve
 * headroom first (skb_reserve) and prepend headers with skb_push(). A
 * buffer belongs to one owner at a time: whoever is handed an skb
 * (dev_queue_xmit, netif_receive_skb, a protocol handler) frees it or
 * passes it on. Functions that could run past either end return NULL
 * instead and leave the buffer as it was: malformed input is dropped by
 * the caller, never read out of bounds.
 */
#ifndef _KEEL_SKBUFF_H
#define _KEEL_SKBUFF_H

#include <keel/mm.h>
#include <keel/types.h>

#define NET_SKB_PAD  64 /* headroom for headers a frame may gain */
#define NET_IP_ALIGN 2	/* 14-byte Ethernet header: align what follows */

struct net_device;

enum skb_pkt_type {
	PACKET_HOST,	  /* to us */
	PACKET_BROADCAST, /* to all */
	PACKET_MULTICAST, /* to a group */
	PACKET_OTHERHOST, /* to someone else (promiscuous) */
};

struct sk_buff {
	struct sk_buff *next; /* in an sk_buff_head */
	struct net_device *dev;
	u8 *head;
	u8 *data;
	unsigned int len;     /* bytes from data */
	unsigned int size;    /* bytes from head */
	u16 protocol;	      /* EtherType, host order (eth_type_trans) */
	u16 network_header;   /* offset from head */
	u16 transport_header; /* offset from head */
	u8 pkt_type;
};

/* A buffer of size bytes, all tailroom. NULL if memory is short. */
struct sk_buff *alloc_skb(unsigned int size, gfp_t gfp);
/*
 * A receive buffer for a frame of len bytes on dev, with NET_SKB_PAD +
 * NET_IP_ALIGN bytes of headroom; GFP_ATOMIC (softirq context).
 */
struct sk_buff *netdev_alloc_skb(struct net_device *dev, unsigned int len);
/* Free skb; NULL is a no-op. */
void kfree_skb(struct sk_buff *skb);
/* A private copy of skb (same headroom). NULL if memory is short. */
struct sk_buff *skb_copy(const struct sk_buff *skb, gfp_t gfp);
/* Live buffers (allocated, not yet freed), for tests and netstat. */
long skb_live_count(void);

static inline unsigned int skb_headroom(const struct sk_buff *skb)
{
	return skb->data - skb->head;
}

static inline unsigned int skb_tailroom(const struct sk_buff *skb)
{
	return skb->size - skb_headroom(skb) - skb->len;
}

static inline u8 *skb_tail_pointer(const struct sk_buff *skb)
{
	return skb->data + skb->len;
}

/* Move an empty buffer's start forward by len (headroom). */
static inline void skb_reserve(struct sk_buff *skb, unsigned int len)
{
	if (!skb->len && len <= skb_tailroom(skb))
		skb->data += len;
}

/* Extend the data at the end by len; returns the old end or NULL. */
static inline u8 *skb_put(struct sk_buff *skb, unsigned int len)
{
	u8 *tail = skb_tail_pointer(skb);

	if (len > skb_tailroom(skb))
		return NULL;
	skb->len += len;
	return tail;
}

/* Extend the data at the front by len; returns the new start or NULL. */
static inline u8 *skb_push(struct sk_buff *skb, unsigned int len)
{
	if (len > skb_headroom(skb))
		return NULL;
	skb->data -= len;
	skb->len += len;
	return skb->data;
}

/* Drop len bytes from the front; returns the new start or NULL. */
static inline u8 *skb_pull(struct sk_buff *skb, unsigned int len)
{
	if (len > skb->len)
		return NULL;
	skb->data += len;
	skb->len -= len;
	return skb->data;
}

/* Whether len bytes of header are present at data. */
static inline bool pskb_may_pull(const struct sk_buff *skb, unsigned int len)
{
	return len <= skb->len;
}

/* Cut the data to len bytes (no-op if already shorter). */
static inline void skb_trim(struct sk_buff *skb, unsigned int len)
{
	if (len < skb->len)
		skb->len = len;
}

static inline void skb_reset_network_header(struct sk_buff *skb)
{
	skb->network_header = skb->data - skb->head;
}

static inline void skb_reset_transport_header(struct sk_buff *skb)
{
	skb->transport_header = skb->data - skb->head;
}

static inline u8 *skb_network_header(const struct sk_buff *skb)
{
	return skb->head + skb->network_header;
}

static inline u8 *skb_transport_header(const struct sk_buff *skb)
{
	return skb->head + skb->transport_header;
}

/* A FIFO of buffers; the owner provides locking. */
struct sk_buff_head {
	struct sk_buff *first, *last;
	unsigned int qlen;
};

static inline void skb_queue_head_init(struct sk_buff_head *q)
{
	q->first = q->last = NULL;
	q->qlen = 0;
}

static inline void skb_queue_tail(struct sk_buff_head *q, struct sk_buff *skb)
{
	skb->next = NULL;
	if (q->last)
		q->last->next = skb;
	else
		q->first = skb;
	q->last = skb;
	q->qlen++;
}

static inline struct sk_buff *skb_dequeue(struct sk_buff_head *q)
{
	struct sk_buff *skb = q->first;

	if (!skb)
		return NULL;
	q->first = skb->next;
	if (!q->first)
		q->last = NULL;
	q->qlen--;
	skb->next = NULL;
	return skb;
}

/* Free every buffer in q. */
void skb_queue_purge(struct sk_buff_head *q);

#endif
