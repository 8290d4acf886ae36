// SPDX-License-Identifier: MIT
/*
 * dhcp.c - the DHCP client (keel/net/dhcp.h).
 *
 * One exchange per attempt: a broadcast DISCOVER, the first valid OFFER,
 * a broadcast REQUEST for it, then ACK (configure) or NAK (start over).
 * Until the interface has an address, the socket is bound to it and the
 * IPv4 layer lets UDP through to sockets bound to the interface. The
 * broadcast flag asks the server to broadcast its replies. Every reply is
 * parsed with bounds checks (dhcp_parse); anything malformed or for
 * another transaction is ignored.
 */
#define pr_fmt(fmt) "dhcp: " fmt

#include <keel/errno.h>
#include <keel/etherdevice.h>
#include <keel/net/dhcp.h>
#include <keel/net/ip.h>
#include <keel/net/udp.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/time.h>

#define BOOTP_REQUEST  1
#define BOOTP_REPLY    2
#define DHCP_SERVER    67
#define DHCP_CLIENT    68
#define DHCP_MAGIC     0x63825363
#define DHCP_FIXED_LEN 240 /* BOOTP header + magic cookie */
#define DHCP_PKT_LEN   300 /* BOOTP minimum */
#define DHCP_ATTEMPTS  4

/* BOOTP field offsets */
#define OFF_OP	   0
#define OFF_HTYPE  1
#define OFF_HLEN   2
#define OFF_XID	   4
#define OFF_FLAGS  10
#define OFF_YIADDR 16
#define OFF_CHADDR 28
#define OFF_MAGIC  236

#define OPT_PAD	      0
#define OPT_NETMASK   1
#define OPT_ROUTER    3
#define OPT_REQ_IP    50
#define OPT_LEASE     51
#define OPT_MSG_TYPE  53
#define OPT_SERVER_ID 54
#define OPT_PARAMS    55
#define OPT_END	      255

/* Apply one option to out; 0 or -EINVAL (bad length). */
static int parse_option(u8 code, const u8 *v, u8 len, struct dhcp_lease *out)
{
	switch (code) {
	case OPT_MSG_TYPE:
		if (len != 1)
			return -EINVAL;
		out->msg_type = v[0];
		break;
	case OPT_NETMASK:
	case OPT_ROUTER: /* a list; the first router is used */
	case OPT_SERVER_ID:
		if (len < 4 || (code != OPT_ROUTER && len != 4))
			return -EINVAL;
		memcpy(code == OPT_NETMASK ? &out->netmask :
		       code == OPT_ROUTER  ? &out->router :
					     &out->server,
		       v, 4);
		break;
	case OPT_LEASE:
		if (len != 4)
			return -EINVAL;
		out->lease_s = get_be32(v);
		break;
	}
	return 0;
}

static int parse_options(const u8 *p, size_t len, struct dhcp_lease *out)
{
	size_t i = 0;

	while (i < len) {
		u8 code = p[i++], olen;

		if (code == OPT_PAD)
			continue;
		if (code == OPT_END)
			return 0;
		if (i >= len)
			return -EINVAL;
		olen = p[i++];
		if (olen > len - i || parse_option(code, p + i, olen, out))
			return -EINVAL;
		i += olen;
	}
	return -EINVAL; /* no END */
}

int dhcp_parse(const u8 *buf, size_t len, u32 xid, const u8 *mac,
	       struct dhcp_lease *out)
{
	*out = (struct dhcp_lease){ 0 };
	if (len < DHCP_FIXED_LEN || buf[OFF_OP] != BOOTP_REPLY ||
	    buf[OFF_HTYPE] != 1 || buf[OFF_HLEN] != ETH_ALEN ||
	    get_be32(buf + OFF_XID) != xid ||
	    memcmp(buf + OFF_CHADDR, mac, ETH_ALEN) ||
	    get_be32(buf + OFF_MAGIC) != DHCP_MAGIC)
		return -EINVAL;
	memcpy(&out->yiaddr, buf + OFF_YIADDR, 4);
	if (parse_options(buf + DHCP_FIXED_LEN, len - DHCP_FIXED_LEN, out))
		return -EINVAL;
	if (!out->msg_type || !out->server)
		return -EINVAL;
	return 0;
}

/* Fill buf with a request of type msg; returns its length. */
static size_t build_request(u8 *buf, struct net_device *dev, u32 xid, u8 msg,
			    const struct dhcp_lease *offer)
{
	static const u8 params[] = { OPT_NETMASK, OPT_ROUTER, OPT_LEASE,
				     OPT_SERVER_ID };
	u8 *o = buf + DHCP_FIXED_LEN;

	memset(buf, 0, DHCP_PKT_LEN);
	buf[OFF_OP] = BOOTP_REQUEST;
	buf[OFF_HTYPE] = 1;
	buf[OFF_HLEN] = ETH_ALEN;
	put_be32(buf + OFF_XID, xid);
	put_be16(buf + OFF_FLAGS, 0x8000); /* broadcast replies */
	memcpy(buf + OFF_CHADDR, dev->dev_addr, ETH_ALEN);
	put_be32(buf + OFF_MAGIC, DHCP_MAGIC);
	*o++ = OPT_MSG_TYPE;
	*o++ = 1;
	*o++ = msg;
	*o++ = OPT_PARAMS;
	*o++ = sizeof(params);
	memcpy(o, params, sizeof(params));
	o += sizeof(params);
	if (offer) {
		*o++ = OPT_REQ_IP;
		*o++ = 4;
		memcpy(o, &offer->yiaddr, 4);
		o += 4;
		*o++ = OPT_SERVER_ID;
		*o++ = 4;
		memcpy(o, &offer->server, 4);
		o += 4;
	}
	*o = OPT_END;
	return DHCP_PKT_LEN;
}

/* Wait until deadline for a reply of one of the wanted types. */
static int wait_reply(struct udp_sock *sk, struct net_device *dev, u32 xid,
		      u64 deadline, u8 want1, u8 want2, u8 *buf,
		      struct dhcp_lease *lease)
{
	for (;;) {
		u64 now = ktime_get_ns();
		long n;

		if (now >= deadline)
			return -ETIMEDOUT;
		n = udp_recvfrom(sk, buf, DHCP_PKT_LEN * 2, NULL,
				 (deadline - now) / NSEC_PER_MSEC + 1);
		if (n < 0)
			return n;
		if (!dhcp_parse(buf, n, xid, dev->dev_addr, lease) &&
		    (lease->msg_type == want1 || lease->msg_type == want2))
			return 0;
	}
}

static unsigned int mask_prefix(__be32 mask)
{
	return mask ? 32 - __builtin_ctz(ntohl(mask)) : 24;
}

/* One DISCOVER..ACK exchange; 0 with *lease acked, or -Exxx. */
static int dhcp_exchange(struct udp_sock *sk, struct net_device *dev, u32 xid,
			 u64 deadline, u8 *buf, struct dhcp_lease *lease)
{
	const struct sockaddr_in bcast = { INADDR_BROADCAST, DHCP_SERVER };
	struct dhcp_lease offer;
	long n;
	int err;

	n = udp_sendto(sk, buf,
		       build_request(buf, dev, xid, DHCP_DISCOVER, NULL),
		       &bcast);
	if (n < 0)
		return n;
	err = wait_reply(sk, dev, xid, deadline, DHCP_OFFER, DHCP_OFFER, buf,
			 &offer);
	if (err)
		return err;
	n = udp_sendto(sk, buf,
		       build_request(buf, dev, xid, DHCP_REQUEST, &offer),
		       &bcast);
	if (n < 0)
		return n;
	err = wait_reply(sk, dev, xid, deadline, DHCP_ACK, DHCP_NAK, buf,
			 lease);
	if (err)
		return err;
	return lease->msg_type == DHCP_ACK ? 0 : -EAGAIN;
}

static int dhcp_configure(struct net_device *dev,
			  const struct dhcp_lease *lease)
{
	int err = ip_config_set(dev, lease->yiaddr, mask_prefix(lease->netmask),
				lease->router);

	if (err)
		return err;
	dev->ip.dhcp = true;
	dev->ip.lease_s = lease->lease_s;
	dev->ip.server = lease->server;
	pr_info("%s: lease %pI4 from %pI4 for %us\n", dev->name, &lease->yiaddr,
		&lease->server, lease->lease_s);
	return 0;
}

int dhcp_run(struct net_device *dev, unsigned int timeout_ms)
{
	u64 deadline = ktime_get_ns() + timeout_ms * NSEC_PER_MSEC;
	struct dhcp_lease lease;
	struct udp_sock *sk;
	u8 *buf;
	int err = -ENOMEM;

	if (!netif_running(dev))
		return -ENETDOWN;
	buf = kmalloc(DHCP_PKT_LEN * 2, GFP_KERNEL);
	sk = udp_open();
	if (!buf || !sk)
		goto out_free;
	ip_config_clear(dev);
	udp_bind_dev(sk, dev);
	err = udp_bind(sk, INADDR_ANY, DHCP_CLIENT);
	if (err)
		goto out_free;
	for (int attempt = 0; attempt < DHCP_ATTEMPTS; attempt++) {
		u32 xid = (u32)ktime_get_ns() ^ get_be32(dev->dev_addr + 2);
		u64 step = ktime_get_ns() + (deadline - ktime_get_ns()) /
						    (DHCP_ATTEMPTS - attempt);

		err = dhcp_exchange(sk, dev, xid, step, buf, &lease);
		if (!err) {
			err = dhcp_configure(dev, &lease);
			break;
		}
	}
	if (err)
		pr_warn("%s: no lease: %s\n", dev->name, errname(err));
out_free:
	if (sk)
		udp_close(sk);
	kfree(buf);
	return err;
}
