/* SPDX-License-Identifier: MIT */
/*
 * keel/net/dhcp.h - a DHCP client (RFC 2131) for configuring an
 * interface at boot (ip=dhcp) or from the monitor (ifconfig eth0 dhcp):
 * DISCOVER, OFFER, REQUEST, ACK, then the lease's address, netmask and
 * router go into the interface's configuration. Leases are not renewed
 * (a boot is shorter than QEMU's one-day lease).
 */
#ifndef _KEEL_NET_DHCP_H
#define _KEEL_NET_DHCP_H

#include <keel/netdevice.h>

#define DHCP_DISCOVER 1
#define DHCP_OFFER    2
#define DHCP_REQUEST  3
#define DHCP_ACK      5
#define DHCP_NAK      6

struct dhcp_lease {
	u8 msg_type;
	__be32 yiaddr;	/* your address */
	__be32 server;	/* server identifier (option 54) */
	__be32 netmask; /* option 1, 0 if absent */
	__be32 router;	/* option 3, 0 if absent */
	u32 lease_s;	/* option 51 */
};

/*
 * Parse a server's BOOTREPLY of len bytes for transaction xid to the
 * client with hardware address mac. Returns 0 (out filled in) or
 * -EINVAL for anything malformed, foreign or incomplete.
 */
int dhcp_parse(const u8 *buf, size_t len, u32 xid, const u8 *mac,
	       struct dhcp_lease *out);

/*
 * Obtain a lease for dev (which must be up) and configure it; up to
 * timeout_ms in all. Process context. Returns 0, -ETIMEDOUT, or -Exxx.
 */
int dhcp_run(struct net_device *dev, unsigned int timeout_ms);

#endif
