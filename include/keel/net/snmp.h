/* SPDX-License-Identifier: MIT */
/*
 * keel/net/snmp.h - the stack's counters (RFC 1213 MIB style): every
 * frame the stack drops is counted under the reason it was dropped, so
 * tests can check that n malformed frames of a kind moved one counter
 * by exactly n. "netstat" prints them.
 */
#ifndef _KEEL_NET_SNMP_H
#define _KEEL_NET_SNMP_H

#include <keel/types.h>

#define NET_MIB_LIST(X)                                 \
	X(ETH_IN_FRAMES, "eth.in_frames")               \
	X(ETH_IN_TRUNCATED, "eth.in_truncated")         \
	X(ETH_IN_UNKNOWN_PROTO, "eth.in_unknown_proto") \
	X(ETH_IN_OTHERHOST, "eth.in_otherhost")         \
	X(ARP_IN, "arp.in")                             \
	X(ARP_IN_MALFORMED, "arp.in_malformed")         \
	X(ARP_IN_NOT_FOR_US, "arp.in_not_for_us")       \
	X(ARP_IN_REQUESTS, "arp.in_requests")           \
	X(ARP_IN_REPLIES, "arp.in_replies")             \
	X(ARP_OUT_REQUESTS, "arp.out_requests")         \
	X(ARP_OUT_REPLIES, "arp.out_replies")           \
	X(ARP_OUT_GRATUITOUS, "arp.out_gratuitous")     \
	X(ARP_UNRESOLVED_DROPS, "arp.unresolved_drops") \
	X(IP_IN_RECEIVES, "ip.in_receives")             \
	X(IP_IN_HDR_ERRORS, "ip.in_hdr_errors")         \
	X(IP_IN_TRUNCATED, "ip.in_truncated")           \
	X(IP_IN_CSUM_ERRORS, "ip.in_csum_errors")       \
	X(IP_IN_ADDR_ERRORS, "ip.in_addr_errors")       \
	X(IP_IN_FRAGS_DROPPED, "ip.in_frags_dropped")   \
	X(IP_IN_UNKNOWN_PROTOS, "ip.in_unknown_protos") \
	X(IP_IN_DELIVERS, "ip.in_delivers")             \
	X(IP_OUT_REQUESTS, "ip.out_requests")           \
	X(IP_OUT_NO_ROUTES, "ip.out_no_routes")         \
	X(IP_OUT_DISCARDS, "ip.out_discards")           \
	X(ICMP_IN_MSGS, "icmp.in_msgs")                 \
	X(ICMP_IN_ERRORS, "icmp.in_errors")             \
	X(ICMP_IN_CSUM_ERRORS, "icmp.in_csum_errors")   \
	X(ICMP_IN_ECHOS, "icmp.in_echos")               \
	X(ICMP_IN_ECHO_REPS, "icmp.in_echo_reps")       \
	X(ICMP_OUT_ECHOS, "icmp.out_echos")             \
	X(ICMP_OUT_ECHO_REPS, "icmp.out_echo_reps")     \
	X(UDP_IN_DATAGRAMS, "udp.in_datagrams")         \
	X(UDP_IN_ERRORS, "udp.in_errors")               \
	X(UDP_IN_CSUM_ERRORS, "udp.in_csum_errors")     \
	X(UDP_NO_PORTS, "udp.no_ports")                 \
	X(UDP_RCVBUF_ERRORS, "udp.rcvbuf_errors")       \
	X(UDP_OUT_DATAGRAMS, "udp.out_datagrams")       \
	X(NET_RX_NOMEM, "net.rx_nomem")

#define NET_MIB_ENUM(id, name) NET_MIB_##id,
enum net_mib_id { NET_MIB_LIST(NET_MIB_ENUM) NET_MIB_MAX };
#undef NET_MIB_ENUM

extern u64 net_mib[NET_MIB_MAX];

/* Count one event; safe from any context. */
#define NET_INC(id) \
	__atomic_fetch_add(&net_mib[NET_MIB_##id], 1, __ATOMIC_RELAXED)

static inline u64 net_mib_get(enum net_mib_id id)
{
	return __atomic_load_n(&net_mib[id], __ATOMIC_RELAXED);
}

/* The counter called name ("ip.in_csum_errors"), or -1 if none. */
int net_mib_lookup(const char *name);
/* Print every counter (monitor "netstat"). */
void netstat_show(void);

#endif
