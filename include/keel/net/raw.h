/* SPDX-License-Identifier: MIT */
/*
 * keel/net/raw.h - raw IPv4 sockets (SOCK_RAW): a program sends the
 * transport message (keel adds the IP header) and receives a copy of
 * every packet of its protocol addressed to us, IP header included, as
 * Linux's raw sockets do (busybox ping needs exactly that).
 */
#ifndef _KEEL_NET_RAW_H
#define _KEEL_NET_RAW_H

#include <keel/skbuff.h>

struct socket;

/*
 * Input (softirq, or the loopback tasklet): give each raw socket of
 * protocol proto a copy of skb (its network header is the IP header).
 * skb itself stays the caller's.
 */
void raw_local_deliver(struct sk_buff *skb, u8 proto);
/* Make sock a raw socket of protocol (1..254). 0 or -Exxx. */
int raw_create(struct socket *sock, int protocol);

#endif
