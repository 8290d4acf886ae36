/* SPDX-License-Identifier: MIT */
/*
 * keel/netdevice.h - network interfaces: the contract between NIC
 * drivers and the stack.
 *
 * A driver allocates a net_device (alloc_etherdev), fills in its MAC
 * address and ops and registers it ("eth0", "eth1", ...). The stack
 * opens it (ndo_open) when the interface is brought up and hands it
 * frames to send (ndo_start_xmit). Received frames travel the other way
 * through NAPI: the driver's interrupt handler masks the device's
 * interrupts and calls napi_schedule(); the NET_RX softirq then calls
 * the driver's poll function, which passes up to `budget` frames to
 * netif_receive_skb() and, when the ring is empty, calls
 * napi_complete_done() and unmasks the interrupts again. The protocol
 * stack therefore never runs in hard-IRQ context.
 *
 * Counters: the driver counts what it sees (packets, bytes, errors,
 * drops) and reports them through ndo_get_stats; the core adds the
 * frames it dropped itself (device down, queue stopped).
 *
 * Locking: registration and open/close run in process context under
 * rtnl (a mutex). The core calls ndo_start_xmit with the device's
 * transmit lock held (irqsave; Linux's HARD_TX_LOCK), from process
 * context or softirqs, and never once dev_close() has begun; a driver
 * that touches its transmit ring elsewhere (reclaiming in the poll)
 * takes the same lock with netif_tx_lock(). Polls of one device never
 * overlap, and none runs between napi_disable() and napi_enable():
 * napi_disable() waits for a poll running on another CPU.
 *
 * Lifetime: a net_device is reference counted; alloc_etherdev() returns
 * it with one reference, free_netdev() drops that one, and the memory
 * (after priv_destructor) goes with the last dev_put().
 */
#ifndef _KEEL_NETDEVICE_H
#define _KEEL_NETDEVICE_H

#include <keel/byteorder.h>
#include <keel/device.h>
#include <keel/skbuff.h>
#include <keel/spinlock.h>
#include <keel/wait.h>

#define IFNAMSIZ      16
#define ETH_ALEN      6
#define ETH_HLEN      14
#define ETH_ZLEN      60 /* minimum frame without FCS */
#define ETH_DATA_LEN  1500
#define ETH_FRAME_LEN 1514 /* maximum frame without FCS */

#define ETH_P_IP  0x0800
#define ETH_P_ARP 0x0806

#define IFF_UP 0x1

#define NAPI_POLL_WEIGHT 64

struct net_device;
struct phy_device;

struct net_device_stats {
	u64 rx_packets, tx_packets;
	u64 rx_bytes, tx_bytes;
	u64 rx_errors, tx_errors;
	u64 rx_dropped, tx_dropped;
	u64 rx_length_errors; /* runts, giants, frames over several buffers */
	u64 rx_crc_errors;
	u64 rx_missed_errors; /* no receive buffer (ring full) */
};

typedef enum {
	NETDEV_TX_OK = 0x00,   /* consumed the skb */
	NETDEV_TX_BUSY = 0x10, /* ring full; the skb is still the caller's */
} netdev_tx_t;

struct net_device_ops {
	/* bring the hardware up (rings, IRQ); 0 or -Exxx */
	int (*ndo_open)(struct net_device *dev);
	/* bring it down; frees what open allocated */
	int (*ndo_stop)(struct net_device *dev);
	/* queue one frame (skb->data is the Ethernet header) */
	netdev_tx_t (*ndo_start_xmit)(struct sk_buff *skb,
				      struct net_device *dev);
	/* fill in the driver's counters */
	void (*ndo_get_stats)(struct net_device *dev,
			      struct net_device_stats *stats);
};

#define NAPI_STATE_SCHED    0x1	 /* owned by the poll side (list or poll) */
#define NAPI_STATE_DISABLED 0x2	 /* napi_schedule is ignored */
#define NAPI_STATE_POLLING  0x4	 /* net_rx_action is in its poll */
#define NAPI_STATE_MISSED   0x8	 /* scheduled again during the poll */
#define NAPI_STATE_DISABLE  0x10 /* napi_disable is waiting */

struct napi_struct {
	struct list_head poll_list;
	int (*poll)(struct napi_struct *napi, int budget);
	struct net_device *dev;
	int weight;
	unsigned int state; /* NAPI_STATE_*, under the core's napi_lock */
	int poll_cpu;	    /* the CPU polling it while POLLING */
	/* time spent in poll and frames it passed up (benchmarks) */
	u64 poll_ns, poll_frames, polls;
	/* polls that did less than their weight without completing */
	u64 incomplete;
};

/* IPv4 configuration of an interface (all network order). */
struct in_device {
	__be32 addr, mask, gateway;
	bool configured;
	bool dhcp; /* came from a DHCP lease */
	u32 lease_s;
	__be32 server;
};

struct net_device {
	char name[IFNAMSIZ];
	int ifindex;
	u8 dev_addr[ETH_ALEN];
	unsigned int mtu;
	unsigned int flags; /* IFF_UP */
	bool carrier;	    /* link up (netif_carrier_on/off) */
	bool queue_stopped; /* driver's ring is full (atomic accesses) */
	const struct net_device_ops *netdev_ops;
	struct napi_struct *napi; /* set by netif_napi_add */
	struct phy_device *phydev;
	/* the MDIO bus netdev_phy_connect() took a reference to */
	struct mii_bus *phy_bus;
	/* unregistered: no PHY may be connected (netdev_phy_release) */
	bool phy_released;
	struct in_device ip;
	/* dropped by the core, not the driver */
	u64 core_rx_dropped, core_tx_dropped;
	/* time spent in ndo_start_xmit and calls (benchmarks) */
	u64 xmit_ns, xmit_calls;
	spinlock_t tx_lock; /* held around ndo_start_xmit */
	struct device dev;  /* class "net", parent: the NIC */
	struct list_head dev_list;
	void *priv;
	long refcnt; /* dev_hold/dev_put */
	/* run by the last dev_put(), before the memory goes */
	void (*priv_destructor)(struct net_device *dev);
};

/*
 * A net_device with priv_size bytes of driver data (netdev_priv()),
 * named "eth%d" until registered. NULL if memory is short.
 */
struct net_device *alloc_etherdev(size_t priv_size);
/* Drop the reference alloc_etherdev() gave (unregister first). */
void free_netdev(struct net_device *dev);
/* Take/drop a reference; the last one frees the device. */
static inline void dev_hold(struct net_device *dev)
{
	__atomic_fetch_add(&dev->refcnt, 1, __ATOMIC_RELAXED);
}

void __dev_free(struct net_device *dev);

static inline void dev_put(struct net_device *dev)
{
	if (!__atomic_sub_fetch(&dev->refcnt, 1, __ATOMIC_ACQ_REL))
		__dev_free(dev);
}

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}

/*
 * Name the device (the first free ethN), add it to the list and to the
 * device tree. Returns 0, -EINVAL (no ops or MAC) or -ENOSPC.
 */
int register_netdev(struct net_device *dev);
/*
 * Close (if up), detach its PHY and remove the device. Sleeps: process
 * context only, checked first (might_sleep(): a panic from an interrupt
 * handler, a poll or under a lock, before anything is torn down), so no
 * handler, poll or transmit of the device can unregister it under
 * itself.
 */
void unregister_netdev(struct net_device *dev);

/* Bring the interface up/down (ndo_open/ndo_stop). 0 or -Exxx. */
int dev_open(struct net_device *dev);
int dev_close(struct net_device *dev);

/*
 * Send skb (a complete Ethernet frame) on skb->dev. Always consumes
 * skb. Returns 0, -ENETDOWN (down or no carrier) or -ENOBUFS (ring
 * full); both errors count a core tx drop.
 */
int dev_queue_xmit(struct sk_buff *skb);

/*
 * Hand a received frame (skb->data at the Ethernet header) to the
 * stack. Softirq context (a NAPI poll). Consumes skb.
 */
void netif_receive_skb(struct sk_buff *skb);

/*
 * A protocol's receive handler, by Ethernet type (Linux's packet_type):
 * netif_receive_skb() hands every frame of type @type (host order) to
 * @func, which consumes the skb (softirq context, skb->data past the
 * Ethernet header). Registered with dev_add_pack() from an initcall;
 * the node must live for the rest of the run: there is no
 * dev_remove_pack (without RCU nothing could tell when a concurrent
 * receive is done with it).
 */
struct packet_type {
	u16 type;
	void (*func)(struct sk_buff *skb);
	struct packet_type *next; /* the core's, set by dev_add_pack() */
};

/* 0, or -EEXIST if a handler for pt->type is registered already. */
int dev_add_pack(struct packet_type *pt);

void netif_carrier_on(struct net_device *dev);
void netif_carrier_off(struct net_device *dev);

static inline bool netif_carrier_ok(const struct net_device *dev)
{
	return dev->carrier;
}

/* Wait up to timeout_ms for the link (process context). 0/-ETIMEDOUT. */
int netif_wait_carrier(struct net_device *dev, unsigned int timeout_ms);

static inline bool netif_running(const struct net_device *dev)
{
	return dev->flags & IFF_UP;
}

/* The transmit lock, for a driver's own transmit-ring work (irqsave). */
static inline unsigned long netif_tx_lock(struct net_device *dev)
{
	unsigned long flags;

	spin_lock_irqsave(&dev->tx_lock, flags);
	return flags;
}

static inline void netif_tx_unlock(struct net_device *dev, unsigned long flags)
{
	spin_unlock_irqrestore(&dev->tx_lock, flags);
}

/* queue_stopped is shared between CPUs: atomic accesses only */
static inline void netif_stop_queue(struct net_device *dev)
{
	__atomic_store_n(&dev->queue_stopped, true, __ATOMIC_RELAXED);
}

static inline void netif_wake_queue(struct net_device *dev)
{
	__atomic_store_n(&dev->queue_stopped, false, __ATOMIC_RELAXED);
}

static inline bool netif_queue_stopped(const struct net_device *dev)
{
	return __atomic_load_n(&dev->queue_stopped, __ATOMIC_RELAXED);
}

/* NAPI: see the overview. */
void netif_napi_add(struct net_device *dev, struct napi_struct *napi,
		    int (*poll)(struct napi_struct *, int));
void napi_enable(struct napi_struct *napi);
/*
 * Stop polling: napi is off the poll list and no poll of it runs on any
 * CPU on return (waits for one in flight). Panics if called from inside
 * napi's own poll.
 */
void napi_disable(struct napi_struct *napi);
/* From the IRQ handler: poll soon. False if already scheduled/off. */
bool napi_schedule(struct napi_struct *napi);
/*
 * From poll, when it did less than its budget: done until the next
 * napi_schedule. Returns true (the driver may unmask interrupts). A
 * poll that returns less than its budget without calling it is
 * reported and completed by the core.
 */
bool napi_complete_done(struct napi_struct *napi, int work_done);
/*
 * Woken after every poll that passed frames up (poll_frames grew), on
 * any CPU: wait on it for a count (the benchmarks do).
 */
extern struct wait_queue_head napi_poll_wq;

/* Driver counters plus the core's drops. */
void dev_get_stats(struct net_device *dev, struct net_device_stats *stats);

/* Look an interface up by name or index; NULL if none. */
struct net_device *dev_get_by_name(const char *name);
struct net_device *dev_get_by_index(int ifindex);
/* The first registered interface after prev (NULL: the first). */
struct net_device *dev_next(struct net_device *prev);

/* Print each interface (monitor "ifconfig"). */
void netdev_show(const struct net_device *only);

#endif
