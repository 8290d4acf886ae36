/* SPDX-License-Identifier: MIT */
/*
 * keel/net/ipconfig.h - configuring interfaces: the ip= command line
 * option at boot (net/ipv4/ipconfig.c, which also has the monitor's
 * ifconfig/ping/netstat/arp commands).
 *
 *	ip=SPEC[,SPEC...]   the i-th SPEC configures eth<i>, unless it
 *	                    names the interface: [IF:]dhcp,
 *	                    [IF:]ADDR[/LEN][:GATEWAY] or [IF:]up
 *
 * e.g. ip=dhcp, ip=10.0.2.15/24:10.0.2.2, ip=eth1:192.168.7.2/24.
 */
#ifndef _KEEL_NET_IPCONFIG_H
#define _KEEL_NET_IPCONFIG_H

#include <keel/netdevice.h>

/*
 * Apply one SPEC (without the interface name) to dev: bring it up, wait
 * for the link, then DHCP or a static address. 0 or -Exxx.
 */
int ipconfig_apply(struct net_device *dev, const char *spec);

#endif
