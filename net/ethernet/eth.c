// SPDX-License-Identifier: MIT
/*
 * eth.c - Ethernet framing: classify and strip a received header, build
 * one for sending (keel/etherdevice.h).
 */
#include <keel/errno.h>
#include <keel/etherdevice.h>

u16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const struct ethhdr *eth = (const struct ethhdr *)skb->data;

	if (is_multicast_ether_addr(eth->h_dest))
		skb->pkt_type = is_broadcast_ether_addr(eth->h_dest) ?
					PACKET_BROADCAST :
					PACKET_MULTICAST;
	else if (ether_addr_equal(eth->h_dest, dev->dev_addr))
		skb->pkt_type = PACKET_HOST;
	else
		skb->pkt_type = PACKET_OTHERHOST;
	skb_pull(skb, ETH_HLEN);
	skb_reset_network_header(skb);
	return ntohs(eth->h_proto);
}

int eth_header(struct sk_buff *skb, struct net_device *dev, u16 proto,
	       const u8 *daddr)
{
	struct ethhdr *eth = (struct ethhdr *)skb_push(skb, ETH_HLEN);

	if (!eth)
		return -ENOSPC;
	if (daddr)
		ether_addr_copy(eth->h_dest, daddr);
	else
		eth_broadcast_addr(eth->h_dest);
	ether_addr_copy(eth->h_source, dev->dev_addr);
	eth->h_proto = htons(proto);
	return 0;
}
