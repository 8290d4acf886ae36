// SPDX-License-Identifier: MIT
/*
 * stack_test.c - the IPv4 stack on crafted buffers: a fake interface
 * (ktest0 in spirit; registered as the next ethN) whose transmit
 * captures frames, frames fed to netif_receive_skb() with bottom halves
 * off (as from a NAPI poll), and checks of what comes out and which
 * counter moved. Covers Ethernet classification, the ARP cache, IPv4
 * header validation, ICMP echo, UDP sockets and the echo service, the
 * DHCP reply parser and address parsing.
 */
#include <keel/checksum.h>
#include <keel/errno.h>
#include <keel/etherdevice.h>
#include <keel/ktest.h>
#include <keel/net/arp.h>
#include <keel/net/dhcp.h>
#include <keel/net/icmp.h>
#include <keel/net/ip.h>
#include <keel/net/snmp.h>
#include <keel/net/udp.h>
#include <keel/softirq.h>
#include <keel/string.h>

static const u8 our_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0x77, 0x02 };
static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0x77, 0x01 };
#define OUR_IP	htonl(0xc0a80702) /* 192.168.7.2 */
#define PEER_IP htonl(0xc0a80701) /* 192.168.7.1 */

static struct net_device *tdev;
static struct sk_buff_head sent;

static netdev_tx_t capture_xmit(struct sk_buff *skb, struct net_device *dev)
{
	skb_queue_tail(&sent, skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops capture_ops = {
	.ndo_start_xmit = capture_xmit,
};

static int stack_init(struct ktest *t)
{
	skb_queue_head_init(&sent);
	tdev = alloc_etherdev(0);
	if (!tdev)
		return -ENOMEM;
	ether_addr_copy(tdev->dev_addr, our_mac);
	tdev->netdev_ops = &capture_ops;
	if (register_netdev(tdev) || dev_open(tdev)) {
		free_netdev(tdev);
		return -EIO;
	}
	netif_carrier_on(tdev);
	ip_config_set(tdev, OUR_IP, 24, 0);
	skb_queue_purge(&sent); /* the gratuitous ARP */
	return 0;
}

static void stack_exit(struct ktest *t)
{
	unregister_netdev(tdev); /* closes: flushes the ARP entries */
	free_netdev(tdev);
	skb_queue_purge(&sent);
}

/* Feed a frame as a NAPI poll would. */
static void inject(const void *frame, size_t len)
{
	struct sk_buff *skb = netdev_alloc_skb(tdev, len);

	if (!skb)
		return;
	memcpy(skb_put(skb, len), frame, len);
	local_bh_disable();
	netif_receive_skb(skb);
	local_bh_enable();
}

/* Ethernet header from the peer; returns the payload pointer. */
static u8 *eth_hdr(u8 *f, const u8 *dst, u16 proto)
{
	struct ethhdr *e = (struct ethhdr *)f;

	ether_addr_copy(e->h_dest, dst);
	ether_addr_copy(e->h_source, peer_mac);
	e->h_proto = htons(proto);
	return f + ETH_HLEN;
}

/* IPv4 header from the peer to us around len payload bytes. */
static u8 *ip_hdr(u8 *p, u8 proto, unsigned int len)
{
	struct iphdr *iph = (struct iphdr *)p;

	memset(iph, 0, sizeof(*iph));
	iph->version_ihl = 0x45;
	iph->tot_len = htons(sizeof(*iph) + len);
	iph->ttl = 64;
	iph->protocol = proto;
	iph->saddr = PEER_IP;
	iph->daddr = OUR_IP;
	iph->check = ip_fast_csum(iph, 5);
	return p + sizeof(*iph);
}

static size_t arp_frame(u8 *f, u16 op, __be32 sip, __be32 tip)
{
	struct arphdr *a = (struct arphdr *)eth_hdr(f, our_mac, ETH_P_ARP);

	a->ar_hrd = htons(1);
	a->ar_pro = htons(ETH_P_IP);
	a->ar_hln = ETH_ALEN;
	a->ar_pln = 4;
	a->ar_op = htons(op);
	ether_addr_copy(a->ar_sha, peer_mac);
	a->ar_sip = sip;
	memset(a->ar_tha, 0, ETH_ALEN);
	a->ar_tip = tip;
	return ETH_HLEN + sizeof(*a);
}

static size_t udp_frame(u8 *f, u16 dport, const void *data, size_t len)
{
	struct udphdr *uh = (struct udphdr *)ip_hdr(
		eth_hdr(f, our_mac, ETH_P_IP), IPPROTO_UDP, sizeof(*uh) + len);

	uh->source = htons(4000);
	uh->dest = htons(dport);
	uh->len = htons(sizeof(*uh) + len);
	uh->check = 0;
	memcpy(uh + 1, data, len);
	uh->check = csum_tcpudp_magic(PEER_IP, OUR_IP, sizeof(*uh) + len,
				      IPPROTO_UDP,
				      csum_partial(uh, sizeof(*uh) + len, 0));
	return ETH_HLEN + 20 + sizeof(*uh) + len;
}

#define MIB(id) net_mib_get(NET_MIB_##id)

static void arp_request_is_answered(struct ktest *t)
{
	u8 f[64] = { 0 }, mac[ETH_ALEN];
	const struct arphdr *a;
	struct sk_buff *skb;
	u64 before = MIB(ARP_IN_REQUESTS);

	inject(f, arp_frame(f, ARPOP_REQUEST, PEER_IP, OUR_IP));
	KTEST_EXPECT_EQ(t, MIB(ARP_IN_REQUESTS), before + 1);
	skb = skb_dequeue(&sent);
	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_MEMEQ(t, skb->data, peer_mac, ETH_ALEN);
	a = (const struct arphdr *)(skb->data + ETH_HLEN);
	KTEST_EXPECT_EQ(t, ntohs(a->ar_op), ARPOP_REPLY);
	KTEST_EXPECT_MEMEQ(t, a->ar_sha, our_mac, ETH_ALEN);
	KTEST_EXPECT_EQ(t, a->ar_sip, OUR_IP);
	KTEST_EXPECT_EQ(t, a->ar_tip, PEER_IP);
	kfree_skb(skb);
	/* the requester is now in the cache */
	KTEST_EXPECT_EQ(t, arp_lookup(tdev, PEER_IP, mac), 0);
	KTEST_EXPECT_MEMEQ(t, mac, peer_mac, ETH_ALEN);
}

static void arp_resolves_queued_packets(struct ktest *t)
{
	u8 f[64] = { 0 };
	struct sk_buff *skb = ip_alloc_skb(8, GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, skb);
	memset(skb_put(skb, 8), 0xab, 8);
	KTEST_EXPECT_EQ(t, ip_output(skb, NULL, 0, PEER_IP, 253), 0);
	skb = skb_dequeue(&sent); /* only the request went out */
	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_EQ(t, get_be16(skb->data + 12), ETH_P_ARP);
	KTEST_EXPECT_TRUE(t, is_broadcast_ether_addr(skb->data));
	kfree_skb(skb);
	KTEST_EXPECT_NULL(t, sent.first);
	inject(f, arp_frame(f, ARPOP_REPLY, PEER_IP, OUR_IP));
	skb = skb_dequeue(&sent); /* the packet that waited */
	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_EQ(t, get_be16(skb->data + 12), ETH_P_IP);
	KTEST_EXPECT_MEMEQ(t, skb->data, peer_mac, ETH_ALEN);
	KTEST_EXPECT_EQ(t, skb->data[ETH_HLEN + 9], 253);
	KTEST_EXPECT_EQ(t, ip_fast_csum(skb->data + ETH_HLEN, 5), 0);
	kfree_skb(skb);
}

static void arp_queue_is_bounded(struct ktest *t)
{
	u64 drops = MIB(ARP_UNRESOLVED_DROPS);
	int err = 0;

	for (int i = 0; i < ARP_QUEUE_LEN + 2; i++) {
		struct sk_buff *skb = ip_alloc_skb(4, GFP_KERNEL);

		KTEST_ASSERT_NOT_NULL(t, skb);
		memset(skb_put(skb, 4), 0, 4);
		err = ip_output(skb, NULL, 0, htonl(0xc0a80709), 253);
	}
	KTEST_EXPECT_EQ(t, err, -ENOBUFS);
	KTEST_EXPECT_EQ(t, MIB(ARP_UNRESOLVED_DROPS), drops + 2);
	arp_flush(tdev); /* frees the four that wait */
	KTEST_EXPECT_EQ(t, arp_cache_count(), 0U);
}

static void arp_storm_cannot_fill_cache(struct ktest *t)
{
	u8 f[64] = { 0 };
	u64 not_for_us = MIB(ARP_IN_NOT_FOR_US);
	unsigned int before = arp_cache_count();

	for (u32 i = 0; i < 200; i++)
		inject(f, arp_frame(f, ARPOP_REQUEST, htonl(0x0a000000 + i),
				    htonl(0x0a010000 + i)));
	KTEST_EXPECT_EQ(t, MIB(ARP_IN_NOT_FOR_US), not_for_us + 200);
	KTEST_EXPECT_EQ(t, arp_cache_count(), before);
	KTEST_EXPECT_NULL(t, sent.first);
}

static void malformed_arp_is_counted(struct ktest *t)
{
	u8 f[64] = { 0 };
	u64 bad = MIB(ARP_IN_MALFORMED);
	size_t n = arp_frame(f, ARPOP_REQUEST, PEER_IP, OUR_IP);

	f[ETH_HLEN + 4] = 8; /* hardware address length */
	inject(f, n);
	inject(f, ETH_HLEN + 10); /* truncated */
	KTEST_EXPECT_EQ(t, MIB(ARP_IN_MALFORMED), bad + 2);
	KTEST_EXPECT_NULL(t, sent.first);
}

static void ethernet_classifies_and_drops(struct ktest *t)
{
	u8 f[64] = { 0 };
	u64 trunc = MIB(ETH_IN_TRUNCATED), unk = MIB(ETH_IN_UNKNOWN_PROTO);
	u64 other = MIB(ETH_IN_OTHERHOST);
	static const u8 someone[ETH_ALEN] = { 2, 9, 9, 9, 9, 9 };

	inject(f, 10);
	eth_hdr(f, our_mac, 0x88b5);
	inject(f, 60);
	eth_hdr(f, someone, ETH_P_IP);
	inject(f, 60);
	KTEST_EXPECT_EQ(t, MIB(ETH_IN_TRUNCATED), trunc + 1);
	KTEST_EXPECT_EQ(t, MIB(ETH_IN_UNKNOWN_PROTO), unk + 1);
	KTEST_EXPECT_EQ(t, MIB(ETH_IN_OTHERHOST), other + 1);
}

/*
 * A protocol registered with dev_add_pack() gets the frames of its type,
 * past the Ethernet header; a second handler for a type is refused.
 * (0x88b6, IEEE 802 local experimental 2: nothing else uses it. Packet
 * types stay registered, so the node is static and registered once.)
 */
static int test_pack_frames;
static u8 test_pack_first;

static void test_pack_rcv(struct sk_buff *skb)
{
	test_pack_frames++;
	test_pack_first = skb->data[0];
	kfree_skb(skb);
}

static struct packet_type test_pack = { .type = 0x88b6, .func = test_pack_rcv };
static struct packet_type test_pack_again = { .type = 0x88b6,
					      .func = test_pack_rcv };

static void packet_types_are_dispatched(struct ktest *t)
{
	static bool registered;
	u8 f[64] = { 0 };
	u64 unk = MIB(ETH_IN_UNKNOWN_PROTO);

	if (!registered)
		KTEST_ASSERT_EQ(t, dev_add_pack(&test_pack), 0);
	registered = true;
	KTEST_EXPECT_EQ(t, dev_add_pack(&test_pack_again), -EEXIST);
	KTEST_EXPECT_EQ(t, dev_add_pack(&test_pack), -EEXIST);
	test_pack_frames = 0;
	eth_hdr(f, our_mac, 0x88b6)[0] = 0x5a;
	inject(f, 60);
	KTEST_EXPECT_EQ(t, test_pack_frames, 1);
	KTEST_EXPECT_EQ(t, test_pack_first, 0x5a);
	KTEST_EXPECT_EQ(t, MIB(ETH_IN_UNKNOWN_PROTO), unk);
}

/* One IPv4 header defect and the counter it must move. */
struct ip_case {
	const char *what;
	int field, value; /* byte offset in the IP header, new value */
	bool fix_csum;
	enum net_mib_id counter;
	size_t frame_len; /* 0: the full frame */
};

static void ip_header_defects(struct ktest *t)
{
	static const struct ip_case cases[] = {
		{ "version 6", 0, 0x65, true, NET_MIB_IP_IN_HDR_ERRORS, 0 },
		{ "ihl 4", 0, 0x44, true, NET_MIB_IP_IN_HDR_ERRORS, 0 },
		{ "ihl 15", 0, 0x4f, true, NET_MIB_IP_IN_TRUNCATED, 0 },
		{ "bad checksum", 8, 63, false, NET_MIB_IP_IN_CSUM_ERRORS, 0 },
		{ "tot_len past frame", 2, 0x7f, true, NET_MIB_IP_IN_TRUNCATED,
		  0 },
		{ "tot_len < ihl", 3, 12, true, NET_MIB_IP_IN_HDR_ERRORS, 0 },
		{ "more fragments", 6, 0x20, true, NET_MIB_IP_IN_FRAGS_DROPPED,
		  0 },
		{ "offset", 7, 0x10, true, NET_MIB_IP_IN_FRAGS_DROPPED, 0 },
		{ "other host", 19, 99, true, NET_MIB_IP_IN_ADDR_ERRORS, 0 },
		{ "protocol 6", 9, 6, true, NET_MIB_IP_IN_UNKNOWN_PROTOS, 0 },
		{ "header cut", 0, 0x45, true, NET_MIB_IP_IN_TRUNCATED,
		  ETH_HLEN + 12 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		const struct ip_case *c = &cases[i];
		u8 f[80] = { 0 };
		u8 *iph = eth_hdr(f, our_mac, ETH_P_IP);
		size_t n = ETH_HLEN + (ip_hdr(iph, IPPROTO_UDP, 20) - iph) + 20;
		u64 before = net_mib_get(c->counter);

		iph[c->field] = c->value;
		if (c->fix_csum) {
			iph[10] = iph[11] = 0;
			memcpy(iph + 10, &(__sum16){ ip_fast_csum(iph, 5) }, 2);
		}
		inject(f, c->frame_len ? c->frame_len : n);
		if (net_mib_get(c->counter) != before + 1)
			ktest_fail(t, __FILE__, __LINE__,
				   "%s: counter not moved", c->what);
	}
	KTEST_EXPECT_NULL(t, sent.first);
}

static void icmp_echo_is_answered(struct ktest *t)
{
	u8 f[128] = { 0 }, mac[ETH_ALEN], *p;
	const struct icmphdr *r;
	struct icmphdr *icmp;
	struct sk_buff *skb;

	inject(f, arp_frame(f, ARPOP_REPLY, PEER_IP, OUR_IP)); /* learn */
	KTEST_ASSERT_EQ(t, arp_lookup(tdev, PEER_IP, mac), 0);
	memset(f, 0, sizeof(f));
	p = ip_hdr(eth_hdr(f, our_mac, ETH_P_IP), IPPROTO_ICMP, 8 + 32);
	icmp = (struct icmphdr *)p;
	icmp->type = ICMP_ECHO;
	icmp->id = htons(7);
	icmp->sequence = htons(3);
	for (int i = 0; i < 32; i++)
		p[8 + i] = i;
	icmp->checksum = csum_fold(csum_partial(icmp, 40, 0));
	inject(f, ETH_HLEN + 20 + 40);
	skb = skb_dequeue(&sent);
	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_EQ(t, skb->len, ETH_HLEN + 20 + 40U);
	r = (const struct icmphdr *)(skb->data + ETH_HLEN + 20);
	KTEST_EXPECT_EQ(t, r->type, ICMP_ECHOREPLY);
	KTEST_EXPECT_EQ(t, ntohs(r->sequence), 3);
	KTEST_EXPECT_MEMEQ(t, (const u8 *)(r + 1), p + 8, 32);
	KTEST_EXPECT_EQ(t, csum_fold(csum_partial(r, 40, 0)), 0);
	KTEST_EXPECT_EQ(t, get_be32(skb->data + ETH_HLEN + 16), 0xc0a80701);
	KTEST_EXPECT_EQ(t, ip_fast_csum(skb->data + ETH_HLEN, 5), 0);
	kfree_skb(skb);
}

static void udp_socket_round_trip(struct ktest *t)
{
	u8 f[128] = { 0 }, buf[16], mac[ETH_ALEN];
	struct udp_sock *sk = udp_open();
	struct sockaddr_in from;
	struct sk_buff *skb;
	const struct udphdr *uh;
	long n;

	KTEST_ASSERT_NOT_NULL(t, sk);
	KTEST_EXPECT_EQ(t, udp_bind(sk, INADDR_ANY, 5000), 0);
	inject(f, udp_frame(f, 5000, "hello", 5));
	n = udp_recvfrom(sk, buf, sizeof(buf), &from, 100);
	KTEST_EXPECT_EQ(t, n, 5L);
	KTEST_EXPECT_MEMEQ(t, buf, "hello", 5);
	KTEST_EXPECT_EQ(t, from.addr, PEER_IP);
	KTEST_EXPECT_EQ(t, from.port, 4000);
	KTEST_EXPECT_EQ(t, udp_recvfrom(sk, buf, sizeof(buf), NULL, 10),
			(long)-ETIMEDOUT);
	inject(f, arp_frame(f, ARPOP_REPLY, PEER_IP, OUR_IP)); /* learn */
	KTEST_ASSERT_EQ(t, arp_lookup(tdev, PEER_IP, mac), 0);
	KTEST_EXPECT_EQ(t, udp_sendto(sk, "back", 4, &from), 4L);
	skb = skb_dequeue(&sent);
	KTEST_ASSERT_NOT_NULL(t, skb);
	uh = (const struct udphdr *)(skb->data + ETH_HLEN + 20);
	KTEST_EXPECT_EQ(t, ntohs(uh->source), 5000);
	KTEST_EXPECT_EQ(t, ntohs(uh->dest), 4000);
	KTEST_EXPECT_EQ(t,
			csum_tcpudp_magic(OUR_IP, PEER_IP, 12, IPPROTO_UDP,
					  csum_partial(uh, 12, 0)),
			0);
	kfree_skb(skb);
	udp_close(sk);
}

static void udp_rejects_and_counts(struct ktest *t)
{
	u8 f[128] = { 0 };
	u64 noport = MIB(UDP_NO_PORTS), csum = MIB(UDP_IN_CSUM_ERRORS);
	u64 errs = MIB(UDP_IN_ERRORS);
	size_t n = udp_frame(f, 5001, "x", 1);
	u8 *uh = f + ETH_HLEN + 20;

	inject(f, n);	     /* nobody listens */
	put_be16(uh + 2, 7); /* to the echo service, checksum now wrong */
	inject(f, n);
	put_be16(uh + 4, 200); /* length past the packet */
	inject(f, n);
	KTEST_EXPECT_EQ(t, MIB(UDP_NO_PORTS), noport + 1);
	KTEST_EXPECT_EQ(t, MIB(UDP_IN_CSUM_ERRORS), csum + 1);
	KTEST_EXPECT_EQ(t, MIB(UDP_IN_ERRORS), errs + 1);
	KTEST_EXPECT_NULL(t, sent.first);
}

static void udp_echo_service_answers(struct ktest *t)
{
	u8 f[128] = { 0 }, mac[ETH_ALEN];
	struct sk_buff *skb;

	inject(f, arp_frame(f, ARPOP_REPLY, PEER_IP, OUR_IP));
	KTEST_ASSERT_EQ(t, arp_lookup(tdev, PEER_IP, mac), 0);
	memset(f, 0, sizeof(f));
	inject(f, udp_frame(f, 7, "echo me", 7));
	skb = skb_dequeue(&sent);
	KTEST_ASSERT_NOT_NULL(t, skb);
	KTEST_EXPECT_EQ(t, skb->len, ETH_HLEN + 20 + 8 + 7U);
	KTEST_EXPECT_MEMEQ(t, skb->data + ETH_HLEN + 28, "echo me", 7);
	kfree_skb(skb);
}

/* A BOOTREPLY with the given options after the magic cookie. */
static size_t dhcp_reply(u8 *b, u32 xid, const u8 *opts, size_t olen)
{
	memset(b, 0, 300);
	b[0] = 2;
	b[1] = 1;
	b[2] = 6;
	put_be32(b + 4, xid);
	put_be32(b + 16, 0x0a00020f);
	memcpy(b + 28, our_mac, ETH_ALEN);
	put_be32(b + 236, 0x63825363);
	memcpy(b + 240, opts, olen);
	return 240 + olen;
}

static void dhcp_parser_checks_everything(struct ktest *t)
{
	static const u8 good[] = { 53, 1,  5, 1, 4, 255, 255, 255, 0, 3,
				   4,  10, 0, 2, 2, 54,	 4,   10,  0, 2,
				   2,  51, 4, 0, 1, 81,	 128, 255 };
	static const u8 overrun[] = { 53, 1, 5, 54, 40, 10, 0, 2, 2, 255 };
	static const u8 no_end[] = { 53, 1, 5, 54, 4, 10, 0, 2, 2 };
	static const u8 no_server[] = { 53, 1, 5, 255 };
	static const u8 bad_type_len[] = {
		53, 2, 5, 5, 54, 4, 10, 0, 2, 2, 255
	};
	static u8 b[400];
	struct dhcp_lease l;
	size_t n = dhcp_reply(b, 42, good, sizeof(good));

	KTEST_ASSERT_EQ(t, dhcp_parse(b, n, 42, our_mac, &l), 0);
	KTEST_EXPECT_EQ(t, l.msg_type, DHCP_ACK);
	KTEST_EXPECT_EQ(t, ntohl(l.yiaddr), 0x0a00020fU);
	KTEST_EXPECT_EQ(t, ntohl(l.netmask), 0xffffff00U);
	KTEST_EXPECT_EQ(t, ntohl(l.router), 0x0a000202U);
	KTEST_EXPECT_EQ(t, l.lease_s, 86400U);
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 43, our_mac, &l), -EINVAL);
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 42, peer_mac, &l), -EINVAL);
	KTEST_EXPECT_EQ(t, dhcp_parse(b, 239, 42, our_mac, &l), -EINVAL);
	n = dhcp_reply(b, 42, overrun, sizeof(overrun));
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 42, our_mac, &l), -EINVAL);
	n = dhcp_reply(b, 42, no_end, sizeof(no_end));
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 42, our_mac, &l), -EINVAL);
	n = dhcp_reply(b, 42, no_server, sizeof(no_server));
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 42, our_mac, &l), -EINVAL);
	n = dhcp_reply(b, 42, bad_type_len, sizeof(bad_type_len));
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 42, our_mac, &l), -EINVAL);
	n = dhcp_reply(b, 42, good, sizeof(good));
	b[236] = 0; /* magic cookie */
	KTEST_EXPECT_EQ(t, dhcp_parse(b, n, 42, our_mac, &l), -EINVAL);
}

static void addresses_parse_strictly(struct ktest *t)
{
	unsigned int prefix;
	__be32 a;

	KTEST_EXPECT_EQ(t, in_aton("10.0.2.15", &a), 0);
	KTEST_EXPECT_EQ(t, ntohl(a), 0x0a00020fU);
	KTEST_EXPECT_EQ(t, in_aton("10.0.2", &a), -EINVAL);
	KTEST_EXPECT_EQ(t, in_aton("10.0.2.256", &a), -EINVAL);
	KTEST_EXPECT_EQ(t, in_aton("10.0.2.15x", &a), -EINVAL);
	KTEST_EXPECT_EQ(t, in_aton("1..2.3", &a), -EINVAL);
	KTEST_EXPECT_EQ(t, in_aton_prefix("192.168.7.2/16", &a, &prefix), 0);
	KTEST_EXPECT_EQ(t, prefix, 16U);
	KTEST_EXPECT_EQ(t, in_aton_prefix("192.168.7.2/33", &a, &prefix),
			-EINVAL);
	KTEST_EXPECT_EQ(t, ip_config_set(tdev, a, 24, htonl(0x0a000001)),
			-EINVAL); /* gateway off the subnet */
}

static void skb_bounds_hold(struct ktest *t)
{
	struct sk_buff *skb = alloc_skb(32, GFP_KERNEL);

	KTEST_ASSERT_NOT_NULL(t, skb);
	skb_reserve(skb, 8);
	KTEST_EXPECT_NULL(t, skb_put(skb, 25));
	KTEST_EXPECT_NOT_NULL(t, skb_put(skb, 24));
	KTEST_EXPECT_NULL(t, skb_push(skb, 9));
	KTEST_EXPECT_NOT_NULL(t, skb_push(skb, 8));
	KTEST_EXPECT_NULL(t, skb_pull(skb, 33));
	KTEST_EXPECT_NOT_NULL(t, skb_pull(skb, 32));
	KTEST_EXPECT_EQ(t, skb->len, 0U);
	kfree_skb(skb);
}

static struct ktest_case stack_cases[] = {
	KTEST_CASE(arp_request_is_answered),
	KTEST_CASE(arp_resolves_queued_packets),
	KTEST_CASE(arp_queue_is_bounded),
	KTEST_CASE(arp_storm_cannot_fill_cache),
	KTEST_CASE(malformed_arp_is_counted),
	KTEST_CASE(ethernet_classifies_and_drops),
	KTEST_CASE(packet_types_are_dispatched),
	KTEST_CASE(ip_header_defects),
	KTEST_CASE(icmp_echo_is_answered),
	KTEST_CASE(udp_socket_round_trip),
	KTEST_CASE(udp_rejects_and_counts),
	KTEST_CASE(udp_echo_service_answers),
	KTEST_CASE(dhcp_parser_checks_everything),
	KTEST_CASE(addresses_parse_strictly),
	KTEST_CASE(skb_bounds_hold),
	{}
};
KTEST_SUITE(net_stack, stack_cases, .init = stack_init, .exit = stack_exit);
