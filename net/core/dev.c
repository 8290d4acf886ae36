// SPDX-License-Identifier: MIT
/*
 * dev.c - the network device layer (keel/netdevice.h): registration,
 * up/down, the transmit entry point, the receive entry point and NAPI.
 *
 * Receive: a driver's interrupt handler calls napi_schedule(), which
 * puts the napi on poll_list and raises NET_RX_SOFTIRQ. net_rx_action()
 * (softirq context, interrupts on) calls each scheduled poll with a
 * budget of NAPI_POLL_WEIGHT frames; a poll that used its whole budget
 * stays scheduled and goes to the back of the list, so one busy NIC
 * cannot starve another. One round of net_rx_action() is bounded like
 * Linux's: NET_RX_BUDGET frames (a poll that passed up nothing counts as
 * one) or NET_RX_TIME_NS, then it raises itself again. A poll that did
 * less than its weight must have called napi_complete_done(); one that
 * did not is reported and completed by the core (Linux would leave it
 * scheduled and never poll it again). Each frame goes through
 * netif_receive_skb(), which strips the Ethernet header and calls the
 * protocol (ARP, IPv4).
 *
 * NAPI states (napi_lock): SCHED, the napi is owned by the poll side (on
 * poll_list, or being polled); POLLING, net_rx_action() is in its poll
 * (off the list meanwhile); MISSED, napi_schedule() came while it was
 * being polled after it completed, so it goes back on the list when the
 * poll returns; DISABLE, napi_disable() is waiting for the poll to end;
 * DISABLED, napi_schedule() is refused. napi_disable() waits for a poll
 * running on another CPU, as Linux's does, so that after it returns no
 * poll runs and none can start.
 *
 * Lifetime: a net_device is reference counted (dev_hold/dev_put);
 * alloc_etherdev() gives the caller one reference and free_netdev()
 * drops it. The core holds one around the callbacks a driver may be
 * torn down from without a lock of the core held (ndo_get_stats, the
 * NAPI poll), so a driver that unregisters and frees its device inside
 * one of them leaves the memory to the last holder; priv_destructor then
 * runs before the memory goes. unregister_netdev() detaches the PHY, and
 * the final dev_put() drops the device's reference to its MDIO bus
 * (netdev_phy_connect), so neither side of the link can be freed while
 * the other still points at it.
 *
 * Locking: dev_base_lock (irqsave) guards the interface list, which
 * softirqs walk for routing; rtnl (a mutex) serialises register/
 * unregister/open/close; each device's tx_lock (irqsave) is held around
 * ndo_start_xmit and while dev_close() clears IFF_UP, so transmits of
 * one device never overlap and none runs once the device is going
 * down. poll_list is touched with interrupts off.
 * Interfaces live from registration until power off; unregister closes
 * first so no poll or transmit is in flight.
 */
#define pr_fmt(fmt) "net: " fmt

#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/etherdevice.h>
#include <keel/init.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/net/arp.h>
#include <keel/net/ip.h>
#include <keel/net/snmp.h>
#include <keel/phy.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>
#include <keel/time.h>
#include <keel/timer.h>
#include <keel/wait.h>

#define MAX_NETDEVS    8
#define NET_RX_BUDGET  300
#define NET_RX_TIME_NS 2000000 /* Linux: 2 jiffies */

static LIST_HEAD(dev_base);
static DEFINE_SPINLOCK(dev_base_lock);
static DEFINE_MUTEX(rtnl);
static LIST_HEAD(poll_list);
DECLARE_WAIT_QUEUE_HEAD(napi_poll_wq);
static DEFINE_SPINLOCK(napi_lock); /* poll_list and every napi's state */

struct net_device *alloc_etherdev(size_t priv_size)
{
	size_t head = ALIGN_UP(sizeof(struct net_device), 16);
	struct net_device *dev = kzalloc(head + priv_size, GFP_KERNEL);

	if (!dev)
		return NULL;
	strlcpy(dev->name, "eth%d", sizeof(dev->name));
	spin_lock_init(&dev->tx_lock);
	dev->mtu = ETH_DATA_LEN;
	dev->priv = priv_size ? (u8 *)dev + head : NULL;
	dev->dev.class_name = "net";
	INIT_LIST_HEAD(&dev->dev_list);
	dev->refcnt = 1;
	return dev;
}

void __dev_free(struct net_device *dev)
{
	if (dev->priv_destructor)
		dev->priv_destructor(dev);
	if (dev->phy_bus)
		mdiobus_put(dev->phy_bus);
	kfree(dev);
}

void free_netdev(struct net_device *dev)
{
	dev_put(dev);
}

/* The lowest N with no ethN registered. */
static int free_eth_index(void)
{
	struct net_device *d;
	unsigned long used = 0;

	lockdep_assert_held(&dev_base_lock);
	list_for_each_entry(d, &dev_base, dev_list)
		used |= 1UL << d->ifindex;
	for (int i = 0; i < MAX_NETDEVS; i++)
		if (!(used & (1UL << i)))
			return i;
	return -ENOSPC;
}

int register_netdev(struct net_device *dev)
{
	unsigned long flags;
	int idx, err;

	if (!dev->netdev_ops || !dev->netdev_ops->ndo_start_xmit ||
	    !is_valid_ether_addr(dev->dev_addr))
		return -EINVAL;
	mutex_lock(&rtnl);
	spin_lock_irqsave(&dev_base_lock, flags);
	idx = free_eth_index();
	if (idx >= 0) {
		dev->ifindex = idx;
		snprintf(dev->name, sizeof(dev->name), "eth%d", idx);
		list_add_tail(&dev->dev_list, &dev_base);
	}
	spin_unlock_irqrestore(&dev_base_lock, flags);
	if (idx < 0) {
		err = idx;
		goto out_unlock;
	}
	strlcpy(dev->dev.name, dev->name, sizeof(dev->dev.name));
	err = device_register(&dev->dev);
	if (err) {
		spin_lock_irqsave(&dev_base_lock, flags);
		list_del_init(&dev->dev_list);
		spin_unlock_irqrestore(&dev_base_lock, flags);
		goto out_unlock;
	}
	pr_info("%s: %pM registered\n", dev->name, dev->dev_addr);
out_unlock:
	mutex_unlock(&rtnl);
	return err;
}

void unregister_netdev(struct net_device *dev)
{
	unsigned long flags;

	might_sleep();
	dev_close(dev);
	mutex_lock(&rtnl);
	/* the PHY must not point at a device about to go, now or later */
	netdev_phy_release(dev);
	device_unregister(&dev->dev);
	spin_lock_irqsave(&dev_base_lock, flags);
	list_del_init(&dev->dev_list);
	spin_unlock_irqrestore(&dev_base_lock, flags);
	mutex_unlock(&rtnl);
}

int dev_open(struct net_device *dev)
{
	int err = 0;

	dev_hold(dev);
	mutex_lock(&rtnl);
	if (dev->flags & IFF_UP)
		goto out_unlock;
	if (dev->netdev_ops->ndo_open)
		err = dev->netdev_ops->ndo_open(dev);
	if (!err)
		dev->flags |= IFF_UP;
out_unlock:
	mutex_unlock(&rtnl);
	dev_put(dev);
	return err;
}

int dev_close(struct net_device *dev)
{
	unsigned long flags;
	int err = 0;

	dev_hold(dev);
	mutex_lock(&rtnl);
	if (!(dev->flags & IFF_UP))
		goto out_unlock;
	/* under the transmit lock: no ndo_start_xmit is running after this */
	flags = netif_tx_lock(dev);
	dev->flags &= ~IFF_UP;
	netif_tx_unlock(dev, flags);
	if (dev->netdev_ops->ndo_stop)
		err = dev->netdev_ops->ndo_stop(dev);
	dev->carrier = false;
	arp_flush(dev);
out_unlock:
	mutex_unlock(&rtnl);
	dev_put(dev);
	return err;
}

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	netdev_tx_t ret = NETDEV_TX_BUSY;
	unsigned long flags;
	int err = -ENOBUFS;
	u64 t0;

	dev_hold(dev);
	flags = netif_tx_lock(dev);
	if (!(dev->flags & IFF_UP) || !dev->carrier) {
		err = -ENETDOWN;
	} else if (!netif_queue_stopped(dev)) {
		t0 = ktime_get_ns();
		ret = dev->netdev_ops->ndo_start_xmit(skb, dev);
		dev->xmit_ns += ktime_get_ns() - t0;
		dev->xmit_calls++;
	}
	netif_tx_unlock(dev, flags);
	if (ret != NETDEV_TX_OK) {
		__atomic_fetch_add(&dev->core_tx_dropped, 1, __ATOMIC_RELAXED);
		kfree_skb(skb);
	} else {
		err = 0;
	}
	dev_put(dev);
	return err;
}

/*
 * The registered packet types: a list that only grows, each node
 * published whole with a release store, so receive walks it with
 * acquire loads and no lock; ptype_lock orders the writers.
 */
static struct packet_type *ptype_base;
static DEFINE_SPINLOCK(ptype_lock);

static struct packet_type *ptype_find(u16 type)
{
	struct packet_type *pt = __atomic_load_n(&ptype_base, __ATOMIC_ACQUIRE);

	for (; pt; pt = __atomic_load_n(&pt->next, __ATOMIC_ACQUIRE))
		if (pt->type == type)
			return pt;
	return NULL;
}

int dev_add_pack(struct packet_type *pt)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&ptype_lock, flags);
	if (ptype_find(pt->type)) {
		err = -EEXIST;
		goto out;
	}
	pt->next = ptype_base;
	__atomic_store_n(&ptype_base, pt, __ATOMIC_RELEASE);
out:
	spin_unlock_irqrestore(&ptype_lock, flags);
	return err;
}

void netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;
	struct packet_type *pt;

	NET_INC(ETH_IN_FRAMES);
	if (!pskb_may_pull(skb, ETH_HLEN)) {
		NET_INC(ETH_IN_TRUNCATED);
		goto drop;
	}
	skb->protocol = eth_type_trans(skb, dev);
	if (skb->pkt_type == PACKET_OTHERHOST) {
		NET_INC(ETH_IN_OTHERHOST);
		goto drop;
	}
	pt = ptype_find(skb->protocol);
	if (pt) {
		pt->func(skb);
		return;
	}
	NET_INC(ETH_IN_UNKNOWN_PROTO);
drop:
	dev->core_rx_dropped++;
	kfree_skb(skb);
}

/* netif_wait_carrier() sleeps here; every carrier_on wakes it. */
static DECLARE_WAIT_QUEUE_HEAD(carrier_wq);

void netif_carrier_on(struct net_device *dev)
{
	if (dev->carrier)
		return;
	WRITE_ONCE(dev->carrier, true);
	wake_up(&carrier_wq);
	if (dev->ip.configured)
		arp_send_gratuitous(dev);
}

void netif_carrier_off(struct net_device *dev)
{
	dev->carrier = false;
}

int netif_wait_carrier(struct net_device *dev, unsigned int timeout_ms)
{
	if (!wait_event_timeout(carrier_wq, READ_ONCE(dev->carrier),
				msecs_to_jiffies(timeout_ms)))
		return -ETIMEDOUT;
	return 0;
}

void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int))
{
	INIT_LIST_HEAD(&napi->poll_list);
	napi->poll = poll;
	napi->dev = dev;
	napi->weight = NAPI_POLL_WEIGHT;
	napi->state = NAPI_STATE_DISABLED;
	dev->napi = napi;
}

void napi_enable(struct napi_struct *napi)
{
	unsigned long flags;

	spin_lock_irqsave(&napi_lock, flags);
	napi->state &= ~NAPI_STATE_DISABLED;
	spin_unlock_irqrestore(&napi_lock, flags);
}

/*
 * Refuse new schedules, wait for a poll running on another CPU to
 * return, take napi off the list. Called from inside napi's own poll it
 * would wait for itself: that is a panic.
 */
void napi_disable(struct napi_struct *napi)
{
	unsigned long flags;

	spin_lock_irqsave(&napi_lock, flags);
	if ((napi->state & NAPI_STATE_POLLING) &&
	    napi->poll_cpu == (int)smp_processor_id()) {
		spin_unlock_irqrestore(&napi_lock, flags);
		panic("napi_disable: %s: called inside its own poll",
		      napi->dev ? napi->dev->name : "?");
	}
	napi->state |= NAPI_STATE_DISABLE;
	while (napi->state & NAPI_STATE_POLLING) {
		spin_unlock_irqrestore(&napi_lock, flags);
		cpu_relax();
		spin_lock_irqsave(&napi_lock, flags);
	}
	if (napi->state & NAPI_STATE_SCHED)
		list_del_init(&napi->poll_list);
	napi->state = NAPI_STATE_DISABLED;
	spin_unlock_irqrestore(&napi_lock, flags);
}

bool napi_schedule(struct napi_struct *napi)
{
	unsigned long flags;
	bool scheduled = false;

	spin_lock_irqsave(&napi_lock, flags);
	if (!(napi->state &
	      (NAPI_STATE_SCHED | NAPI_STATE_DISABLED | NAPI_STATE_DISABLE))) {
		napi->state |= NAPI_STATE_SCHED;
		if (napi->state & NAPI_STATE_POLLING)
			napi->state |= NAPI_STATE_MISSED; /* requeued after */
		else
			list_add_tail(&napi->poll_list, &poll_list);
		scheduled = true;
	}
	spin_unlock_irqrestore(&napi_lock, flags);
	if (scheduled)
		raise_softirq(NET_RX_SOFTIRQ);
	return scheduled;
}

bool napi_complete_done(struct napi_struct *napi, int work_done)
{
	unsigned long flags;

	spin_lock_irqsave(&napi_lock, flags);
	if (napi->state & NAPI_STATE_SCHED) {
		list_del_init(&napi->poll_list);
		napi->state &= ~(NAPI_STATE_SCHED | NAPI_STATE_MISSED);
	}
	spin_unlock_irqrestore(&napi_lock, flags);
	return true;
}

/* Poll napi once; returns frames processed. */
static int napi_poll(struct napi_struct *napi, int weight)
{
	u64 t0 = ktime_get_ns();
	int work = napi->poll(napi, weight);

	napi->poll_ns += ktime_get_ns() - t0;
	napi->poll_frames += work;
	napi->polls++;
	return work;
}

/*
 * After a poll: requeue it if it used its weight, or
 * was scheduled again while it ran; a poll that did less than its
 * weight without completing broke the contract: report, complete.
 */
static void napi_poll_done(struct napi_struct *napi, int work, int weight)
{
	lockdep_assert_held(&napi_lock);

	napi->state &= ~NAPI_STATE_POLLING;
	if (!(napi->state & NAPI_STATE_SCHED))
		return;
	if (napi->state & NAPI_STATE_DISABLE) {
		napi->state &= ~(NAPI_STATE_SCHED | NAPI_STATE_MISSED);
		return;
	}
	if (napi->state & NAPI_STATE_MISSED) {
		napi->state &= ~NAPI_STATE_MISSED;
	} else if (work < weight) {
		napi->state &= ~NAPI_STATE_SCHED;
		if (!napi->incomplete++)
			pr_warn("%s: poll did %d of %d without completing; "
				"completed for it\n",
				napi->dev ? napi->dev->name : "?", work,
				weight);
		return;
	}
	list_add_tail(&napi->poll_list, &poll_list);
}

/*
 * NET_RX_SOFTIRQ: poll the scheduled devices within NET_RX_BUDGET frames
 * and NET_RX_TIME_NS; a napi is off the list while it is polled.
 */
static void net_rx_action(void)
{
	u64 end = ktime_get_ns() + NET_RX_TIME_NS;
	int budget = NET_RX_BUDGET;
	unsigned long flags;

	for (;;) {
		struct napi_struct *napi;
		struct net_device *dev;
		int work, weight;

		spin_lock_irqsave(&napi_lock, flags);
		if (list_empty(&poll_list)) {
			spin_unlock_irqrestore(&napi_lock, flags);
			return;
		}
		if (budget <= 0 || ktime_get_ns() > end) {
			spin_unlock_irqrestore(&napi_lock, flags);
			break;
		}
		napi = list_first_entry(&poll_list, struct napi_struct,
					poll_list);
		list_del_init(&napi->poll_list);
		napi->state |= NAPI_STATE_POLLING;
		napi->poll_cpu = smp_processor_id();
		weight = napi->weight;
		dev = napi->dev;
		/* the poll may unregister and free its own device */
		if (dev)
			dev_hold(dev);
		spin_unlock_irqrestore(&napi_lock, flags);

		work = napi_poll(napi, weight);
		if (work > 0)
			wake_up(&napi_poll_wq); /* after poll_frames grew */

		spin_lock_irqsave(&napi_lock, flags);
		napi_poll_done(napi, work, weight);
		spin_unlock_irqrestore(&napi_lock, flags);
		if (dev)
			dev_put(dev);
		budget -= work > 0 ? work : 1;
	}
	raise_softirq(NET_RX_SOFTIRQ); /* more to do: next round */
}

void dev_get_stats(struct net_device *dev, struct net_device_stats *stats)
{
	*stats = (struct net_device_stats){ 0 };
	/* the driver may unregister and free dev from ndo_get_stats */
	dev_hold(dev);
	if (dev->netdev_ops->ndo_get_stats)
		dev->netdev_ops->ndo_get_stats(dev, stats);
	stats->rx_dropped += dev->core_rx_dropped;
	stats->tx_dropped += dev->core_tx_dropped;
	dev_put(dev);
}

struct net_device *dev_next(struct net_device *prev)
{
	struct list_head *pos;
	unsigned long flags;

	spin_lock_irqsave(&dev_base_lock, flags);
	pos = prev ? prev->dev_list.next : dev_base.next;
	spin_unlock_irqrestore(&dev_base_lock, flags);
	return pos == &dev_base ? NULL :
				  list_entry(pos, struct net_device, dev_list);
}

struct net_device *dev_get_by_name(const char *name)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev)))
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

struct net_device *dev_get_by_index(int ifindex)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev)))
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

static void show_one(struct net_device *dev)
{
	struct net_device_stats st;
	const char *drv = dev->dev.parent && dev->dev.parent->driver ?
				  dev->dev.parent->driver->name :
				  "-";

	dev_get_stats(dev, &st);
	monitor_printf("%s: flags=%s%s mtu %u driver %s\n", dev->name,
		       dev->flags & IFF_UP ? "UP" : "DOWN",
		       dev->carrier ? ",RUNNING" : "", dev->mtu, drv);
	if (dev->ip.configured)
		monitor_printf(
			"        inet %pI4 netmask %pI4 gateway %pI4%s\n",
			&dev->ip.addr, &dev->ip.mask, &dev->ip.gateway,
			dev->ip.dhcp ? " (dhcp)" : "");
	monitor_printf("        ether %pM\n", dev->dev_addr);
	if (dev->phydev)
		phy_show(dev->phydev);
	monitor_printf(
		"        RX packets %llu bytes %llu errors %llu dropped %llu "
		"missed %llu length %llu crc %llu\n",
		st.rx_packets, st.rx_bytes, st.rx_errors, st.rx_dropped,
		st.rx_missed_errors, st.rx_length_errors, st.rx_crc_errors);
	monitor_printf(
		"        TX packets %llu bytes %llu errors %llu dropped %llu\n",
		st.tx_packets, st.tx_bytes, st.tx_errors, st.tx_dropped);
	if (dev->napi)
		monitor_printf("        time: xmit %llu calls %llu ns, poll "
			       "%llu calls %llu frames %llu ns\n",
			       dev->xmit_calls, dev->xmit_ns, dev->napi->polls,
			       dev->napi->poll_frames, dev->napi->poll_ns);
}

void netdev_show(const struct net_device *only)
{
	struct net_device *dev = NULL;

	while ((dev = dev_next(dev)))
		if (!only || dev == only)
			show_one(dev);
}

static int net_dev_init(void)
{
	open_softirq(NET_RX_SOFTIRQ, net_rx_action);
	return 0;
}
core_initcall(net_dev_init);
