// SPDX-License-Identifier: MIT
/*
 * icmp.c - ICMP echo: answer pings, and ping others (keel/net/icmp.h).
 *
 * An echo request is answered in place: the received buffer becomes the
 * reply (type changed, checksum redone) and leaves through the
 * interface it came in on, so no allocation is needed and a reply never
 * takes another route back. Requests to a broadcast address are not
 * answered (no smurf amplification). Only echo is implemented; other
 * ICMP messages are counted and dropped.
 *
 * The ping client keeps one outstanding request (ping_lock guards it);
 * the softirq that sees the matching reply, with the payload we sent,
 * records the round trip and wakes the waiting command.
 */
#include <keel/checksum.h>
#include <keel/errno.h>
#include <keel/monitor.h>
#include <keel/netdevice.h>
#include <keel/net/icmp.h>
#include <keel/net/ip.h>
#include <keel/net/snmp.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/timer.h>

#define PING_ID	      0x6b65 /* "ke" */
#define PING_MAX_SIZE (ETH_DATA_LEN - 20 - sizeof(struct icmphdr))

static struct {
	bool active, done;
	u16 seq;
	unsigned int size;
	u64 sent_ns;
	struct ping_result res;
} ping;
static DEFINE_SPINLOCK(ping_lock);
static DECLARE_WAIT_QUEUE_HEAD(ping_wq); /* woken by each echo reply */

static u8 ping_byte(unsigned int i)
{
	return (u8)(i * 7 + 3);
}

static __sum16 icmp_csum(const void *msg, unsigned int len)
{
	return csum_fold(csum_partial(msg, len, 0));
}

/* Turn the request in skb into its reply and send it back. */
static void icmp_echo_reply(struct sk_buff *skb, const struct iphdr *iph)
{
	struct icmphdr *icmp = (struct icmphdr *)skb->data;
	__be32 to = iph->saddr, from = iph->daddr;

	if (ip_addr_is_broadcast(skb->dev, from)) {
		kfree_skb(skb);
		return;
	}
	icmp->type = ICMP_ECHOREPLY;
	icmp->checksum = 0;
	icmp->checksum = icmp_csum(icmp, skb->len);
	NET_INC(ICMP_OUT_ECHO_REPS);
	ip_output(skb, skb->dev, from, to, IPPROTO_ICMP);
}

/* Does the reply match the outstanding ping, payload included? */
static bool ping_matches(const struct sk_buff *skb)
{
	const struct icmphdr *icmp = (const struct icmphdr *)skb->data;
	const u8 *payload = skb->data + sizeof(*icmp);

	if (!ping.active || ping.done || ntohs(icmp->id) != PING_ID ||
	    ntohs(icmp->sequence) != ping.seq ||
	    skb->len != sizeof(*icmp) + ping.size)
		return false;
	for (unsigned int i = 0; i < ping.size; i++)
		if (payload[i] != ping_byte(i))
			return false;
	return true;
}

static void icmp_echo_reply_rcv(struct sk_buff *skb, const struct iphdr *iph)
{
	unsigned long flags;

	spin_lock_irqsave(&ping_lock, flags);
	if (ping_matches(skb)) {
		ping.res.rtt_ns = ktime_get_ns() - ping.sent_ns;
		ping.res.ttl = iph->ttl;
		ping.res.bytes = skb->len;
		ping.done = true;
	}
	spin_unlock_irqrestore(&ping_lock, flags);
	wake_up(&ping_wq);
	kfree_skb(skb);
}

void icmp_rcv(struct sk_buff *skb)
{
	const struct iphdr *iph = (const struct iphdr *)skb_network_header(skb);
	const struct icmphdr *icmp = (const struct icmphdr *)skb->data;

	NET_INC(ICMP_IN_MSGS);
	if (!pskb_may_pull(skb, sizeof(*icmp))) {
		NET_INC(ICMP_IN_ERRORS);
		goto drop;
	}
	if (icmp_csum(skb->data, skb->len)) {
		NET_INC(ICMP_IN_CSUM_ERRORS);
		goto drop;
	}
	switch (icmp->type) {
	case ICMP_ECHO:
		NET_INC(ICMP_IN_ECHOS);
		icmp_echo_reply(skb, iph);
		return;
	case ICMP_ECHOREPLY:
		NET_INC(ICMP_IN_ECHO_REPS);
		icmp_echo_reply_rcv(skb, iph);
		return;
	}
drop:
	kfree_skb(skb);
}

/* Build and send the request; ping is ours. 0 or -Exxx. */
static int ping_send(struct net_device *dev, __be32 daddr, u16 seq,
		     unsigned int size)
{
	struct sk_buff *skb =
		ip_alloc_skb(sizeof(struct icmphdr) + size, GFP_KERNEL);
	struct icmphdr *icmp;
	u8 *payload;

	if (!skb)
		return -ENOMEM;
	icmp = (struct icmphdr *)skb_put(skb, sizeof(*icmp) + size);
	payload = (u8 *)(icmp + 1);
	for (unsigned int i = 0; i < size; i++)
		payload[i] = ping_byte(i);
	icmp->type = ICMP_ECHO;
	icmp->code = 0;
	icmp->id = htons(PING_ID);
	icmp->sequence = htons(seq);
	icmp->checksum = 0;
	icmp->checksum = icmp_csum(icmp, skb->len);
	NET_INC(ICMP_OUT_ECHOS);
	ping.sent_ns = ktime_get_ns();
	return ip_output(skb, dev, 0, daddr, IPPROTO_ICMP);
}

int icmp_ping(struct net_device *dev, __be32 daddr, u16 seq, unsigned int size,
	      unsigned int timeout_ms, struct ping_result *res)
{
	unsigned long flags;
	int err;

	if (size > PING_MAX_SIZE)
		return -EINVAL;
	spin_lock_irqsave(&ping_lock, flags);
	if (ping.active) {
		spin_unlock_irqrestore(&ping_lock, flags);
		return -EBUSY;
	}
	ping.active = true;
	ping.done = false;
	ping.seq = seq;
	ping.size = size;
	spin_unlock_irqrestore(&ping_lock, flags);

	err = ping_send(dev, daddr, seq, size);
	if (!err && !wait_event_timeout(ping_wq, READ_ONCE(ping.done),
					msecs_to_jiffies(timeout_ms)))
		err = -ETIMEDOUT;
	spin_lock_irqsave(&ping_lock, flags);
	if (!err)
		*res = ping.res;
	ping.active = false;
	spin_unlock_irqrestore(&ping_lock, flags);
	return err;
}

/* The interface a failed unrouted ping is about: the first not usable. */
static struct net_device *ping_suspect(void)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev)))
		if (!netif_running(dev) || !netif_carrier_ok(dev) ||
		    !dev->ip.configured)
			return dev;
	return NULL;
}

/*
 * Say why a request could not even be sent (err is not -ETIMEDOUT) and
 * what to type about it. dev is the interface asked for, or NULL.
 */
static void ping_explain(struct net_device *dev, __be32 daddr, int err)
{
	if (!dev)
		dev = ping_suspect();
	if (!dev && !dev_next(NULL))
		monitor_printf("no network interface: give QEMU a NIC "
			       "(-nic user,model=e1000)\n");
	else if (!dev)
		monitor_printf(
			"no route to %pI4: no interface is on its subnet "
			"or has a gateway: ifconfig IF ADDR/LEN GW\n",
			&daddr);
	else if (!netif_running(dev))
		monitor_printf("%s is down: ifconfig %s dhcp\n", dev->name,
			       dev->name);
	else if (!netif_carrier_ok(dev))
		monitor_printf("%s has no link: cable out? (QEMU: set_link)\n",
			       dev->name);
	else if (!dev->ip.configured)
		monitor_printf("%s has no address: ifconfig %s dhcp\n",
			       dev->name, dev->name);
	else if (err == -ENETUNREACH)
		monitor_printf("no route to %pI4: %s has no gateway: ifconfig "
			       "%s ADDR/LEN GW\n",
			       &daddr, dev->name, dev->name);
}

int ping_run(struct net_device *dev, __be32 daddr, unsigned int count,
	     unsigned int size)
{
	struct ping_result res;
	unsigned int got = 0;
	bool explained = false;
	u64 total_ns = 0;

	monitor_printf("PING %pI4: %u data bytes\n", &daddr, size);
	for (unsigned int seq = 1; seq <= count; seq++) {
		u64 start = ktime_get_ns();
		int err = icmp_ping(dev, daddr, seq, size, 1000, &res);

		if (!err) {
			got++;
			total_ns += res.rtt_ns;
			monitor_printf("%u bytes from %pI4: icmp_seq=%u ttl=%u "
				       "time=%llu.%03llu ms\n",
				       res.bytes, &daddr, seq, res.ttl,
				       res.rtt_ns / NSEC_PER_MSEC,
				       res.rtt_ns / NSEC_PER_USEC % 1000);
		} else {
			monitor_printf("no reply for icmp_seq=%u: %s\n", seq,
				       errname(err));
			if (err != -ETIMEDOUT && !explained) {
				ping_explain(dev, daddr, err);
				explained = true;
			}
		}
		if (seq < count) {
			u64 spent = (ktime_get_ns() - start) / NSEC_PER_MSEC;

			if (spent < 1000)
				msleep(1000 - spent);
		}
	}
	monitor_printf("--- %pI4 ping statistics ---\n", &daddr);
	monitor_printf(
		"%u packets transmitted, %u received, %u%% packet loss\n",
		count, got, count ? (count - got) * 100 / count : 0);
	if (got)
		monitor_printf("rtt avg %llu us\n",
			       total_ns / got / NSEC_PER_USEC);
	return got;
}
