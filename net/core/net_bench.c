// SPDX-License-Identifier: MIT
/*
 * net_bench.c - NIC driver benchmarks: the C e1000 against the Rust one
 * in the same boot (tools/bench.py starts QEMU with four e1000s, two per
 * hub: eth0/eth1 driven by "e1000", eth2/eth3 by "e1000_rs", with QEMU's
 * interrupt mitigation off so the figures are the code's, not the
 * emulated throttle's).
 *
 * Each case nic_<what> measures both drivers (interleaved rounds) and
 * prints nic_<what>_c, nic_<what>_rust and, as its own value, the ratio:
 *
 *   nic_tx_<len>_<impl>   build a frame in an skb and dev_queue_xmit() it
 *                         to a MAC nobody has (the hub peer filters it):
 *                         ns per frame, skb allocation included
 *   nic_rx_<len>_<impl>   the hub peer sends bursts of 64 frames with
 *                         bottom halves off; the receiving NIC's NAPI poll
 *                         (driver + netif_receive_skb, the stack drops the
 *                         unknown EtherType at once) is timed by the core:
 *                         ns per frame inside poll
 *   nic_udp_rtt_<impl>    64-byte UDP datagram to the peer's echo service
 *                         and back through a socket: ns per round trip
 *
 * Under -icount shift=0 a nanosecond is one guest instruction, so the
 * same numbers are instructions per frame; tools/bench.py also turns
 * them into frames per second.
 */
#include <keel/bench.h>
#include <keel/cpumask.h>
#include <keel/errno.h>
#include <keel/etherdevice.h>
#include <keel/net/ip.h>
#include <keel/net/udp.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/softirq.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/timer.h>

#define RX_BURST    64
#define BENCH_PROTO 0x88b5 /* IEEE local experimental: dropped at once */

static const u8 nobody[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xfe };

/* The nth interface driven by driver drv (0-based), or NULL. */
static struct net_device *nic(const char *drv, int nth)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev))) {
		const struct device *parent = dev->dev.parent;

		if (parent && parent->driver &&
		    !strcmp(parent->driver->name, drv) && !nth--)
			return netif_running(dev) && netif_carrier_ok(dev) ?
				       dev :
				       NULL;
	}
	return NULL;
}

/*
 * A len-byte frame from dev to dst; NULL if memory is short. gfp:
 * GFP_ATOMIC where bottom halves are off (GFP_KERNEL may sleep).
 */
static struct sk_buff *frame(struct net_device *dev, const u8 *dst,
			     unsigned int len, gfp_t gfp)
{
	struct sk_buff *skb = alloc_skb(NET_SKB_PAD + len, gfp);
	u8 *p;

	if (!skb)
		return NULL;
	skb_reserve(skb, NET_SKB_PAD);
	p = skb_put(skb, len);
	ether_addr_copy(p, dst);
	ether_addr_copy(p + ETH_ALEN, dev->dev_addr);
	put_be16(p + 2 * ETH_ALEN, BENCH_PROTO);
	memset(p + ETH_HLEN, 0x5a, len - ETH_HLEN);
	skb->dev = dev;
	return skb;
}

/*
 * Each case runs its iterations in ROUNDS rounds per driver, the C and
 * the Rust driver's rounds interleaved (so a burst of host noise under
 * plain TCG hits both alike), and reports each driver's best round: the
 * host's noise only ever adds time, so the minimum is the stable
 * figure; under -icount every round is the same anyway. The case's own
 * line is the Rust/C ratio of the two.
 */
#define ROUNDS 32

enum { IMPL_C, IMPL_RUST, NR_IMPLS };
static const char *const impl_driver[NR_IMPLS] = { "e1000", "e1000_rs" };
static const char *const impl_suffix[NR_IMPLS] = { "c", "rust" };

/* One timed round of n operations: 0 and *ns, or -Exxx. */
typedef int (*round_fn)(struct net_device *tx, struct net_device *rx, u64 n,
			unsigned int len, u64 *ns);

/* Send n frames of len bytes from dev to dst. 0 or -ENOBUFS. */
static int send_frames(struct net_device *dev, const u8 *dst, u64 n,
		       unsigned int len, gfp_t gfp)
{
	for (u64 i = 0; i < n; i++) {
		struct sk_buff *skb = frame(dev, dst, len, gfp);

		if (!skb || dev_queue_xmit(skb))
			return -ENOBUFS;
	}
	return 0;
}

static int tx_round(struct net_device *tx, struct net_device *rx, u64 n,
		    unsigned int len, u64 *ns)
{
	u64 t0 = ktime_get_ns();
	int err = send_frames(tx, nobody, n, len, GFP_KERNEL);

	*ns = ktime_get_ns() - t0;
	return err;
}

/* Bursts land with bottom halves off, then get polled; poll time. */
static int rx_round(struct net_device *tx, struct net_device *rx, u64 n,
		    unsigned int len, u64 *ns)
{
	struct napi_struct *napi = rx->napi;
	u64 ns0 = napi->poll_ns, frames0 = napi->poll_frames;
	u64 target = frames0 + n; /* the poll count to reach */

	for (u64 sent = 0; sent < n;) {
		u64 burst = min(n - sent, (u64)RX_BURST);
		int err;

		local_bh_disable();
		err = send_frames(tx, rx->dev_addr, burst, len, GFP_ATOMIC);
		local_bh_enable(); /* the NET_RX softirq polls them here */
		if (err)
			return err;
		sent += burst;
	}
	/*
	 * With several CPUs the interrupt may be taken, and the frames
	 * polled, on another CPU a little later: wait for the count (the
	 * measured figure is poll time, so the wait adds nothing to it).
	 */
	wait_event_timeout(napi_poll_wq, READ_ONCE(napi->poll_frames) >= target,
			   msecs_to_jiffies(1000));
	if (napi->poll_frames - frames0 != n)
		return -EIO; /* a frame got lost: the figure would lie */
	*ns = napi->poll_ns - ns0;
	return 0;
}

/* n echo round trips of 64-byte datagrams from tx to rx's port 7. */
static int rtt_round(struct net_device *tx, struct net_device *rx, u64 n,
		     unsigned int len, u64 *ns)
{
	struct sockaddr_in to = { rx->ip.addr, 7 };
	static u8 buf[64], reply[64];
	struct udp_sock *sk = udp_open();
	int err = 0;
	u64 t0;

	if (!sk)
		return -ENOMEM;
	udp_bind_dev(sk, tx);
	t0 = ktime_get_ns();
	for (u64 i = 0; i < n && !err; i++) {
		long got = udp_sendto(sk, buf, sizeof(buf), &to);

		if (got == sizeof(buf))
			got = udp_recvfrom(sk, reply, sizeof(reply), NULL,
					   1000);
		if (got != sizeof(buf))
			err = got < 0 ? got : -EIO;
	}
	*ns = ktime_get_ns() - t0;
	udp_close(sk);
	return err;
}

/*
 * Wait until frames from tx reach rx: QEMU's e1000 refuses to receive
 * for a second after its receiver is programmed (docs/net.md), and a
 * frame that waits in QEMU would make a round miscount. 0 or -ETIMEDOUT.
 */
static int pair_ready(struct net_device *tx, struct net_device *rx)
{
	struct napi_struct *napi = rx->napi;

	for (int tries = 0; tries < 30; tries++) {
		u64 frames = READ_ONCE(napi->poll_frames);

		if (send_frames(tx, rx->dev_addr, 1, 64, GFP_KERNEL))
			return -ENOBUFS;
		if (wait_event_timeout(napi_poll_wq,
				       READ_ONCE(napi->poll_frames) != frames,
				       msecs_to_jiffies(100)))
			return 0;
	}
	return -ETIMEDOUT;
}

static int twin_case_on_cpu0(struct bench *b, const char *name, round_fn round,
			     unsigned int len, const char *unit);

/*
 * Device interrupts go to CPU 0 and the figures assume the polls happen
 * where the frames were sent: run each case pinned to CPU 0 (earlier
 * benchmarks may have left this task elsewhere), then restore.
 */
static int twin_case(struct bench *b, const char *name, round_fn round,
		     unsigned int len, const char *unit)
{
	cpumask_t allowed = current->allowed;
	int err = sched_setaffinity(current, cpumask_of(0));

	if (err)
		return err;
	while (smp_processor_id() != 0)
		schedule(); /* leave for CPU 0 */
	err = twin_case_on_cpu0(b, name, round, len, unit);
	sched_setaffinity(current, allowed);
	return err;
}

static int twin_case_on_cpu0(struct bench *b, const char *name, round_fn round,
			     unsigned int len, const char *unit)
{
	u64 rounds = min(b->iters, (u64)ROUNDS), per = b->iters / rounds;
	struct net_device *tx[NR_IMPLS], *rx[NR_IMPLS];
	u64 best[NR_IMPLS] = { 0 };
	static char ratio_of[96]; /* printed after the case returns */
	char line[48];

	for (int i = 0; i < NR_IMPLS; i++) {
		tx[i] = nic(impl_driver[i], 0);
		rx[i] = nic(impl_driver[i], 1);
		if (!tx[i] || !rx[i] || !rx[i]->napi || !rx[i]->ip.configured)
			return -ENODEV;
		if (pair_ready(tx[i], rx[i]))
			return -ETIMEDOUT;
	}
	for (u64 r = 0; r < rounds; r++) {
		for (int k = 0; k < NR_IMPLS; k++) {
			int i = r & 1 ? NR_IMPLS - 1 - k : k; /* alternate */
			u64 ns, milli;
			int err = round(tx[i], rx[i], per, len, &ns);

			if (err)
				return err;
			milli = ns * 1000 / per;
			if (!best[i] || milli < best[i])
				best[i] = milli;
		}
	}
	for (int i = 0; i < NR_IMPLS; i++) {
		snprintf(line, sizeof(line), "%s_%s", name, impl_suffix[i]);
		bench_report(b, line, best[i], unit);
	}
	if (!best[IMPL_C])
		return -ERANGE; /* the clock did not run: no ratio */
	snprintf(ratio_of, sizeof(ratio_of), "%s_%s/%s_%s", name,
		 impl_suffix[IMPL_RUST], name, impl_suffix[IMPL_C]);
	bench_set_derived(b, best[IMPL_RUST] * 1000 / best[IMPL_C], "rust/c",
			  ratio_of);
	return 0;
}

#define NIC_CASE(cname, fn, len, unit, iters)               \
	static int cname(struct bench *b)                   \
	{                                                   \
		return twin_case(b, #cname, fn, len, unit); \
	}                                                   \
	BENCH_CASE(cname, cname, iters)

NIC_CASE(nic_tx_64, tx_round, 64, "ns/frame", 20000);
NIC_CASE(nic_tx_1514, tx_round, ETH_FRAME_LEN, "ns/frame", 20000);
NIC_CASE(nic_rx_64, rx_round, 64, "ns/frame", 20000);
NIC_CASE(nic_rx_1514, rx_round, ETH_FRAME_LEN, "ns/frame", 20000);
NIC_CASE(nic_udp_rtt, rtt_round, 64, "ns/rtt", 4000);
