// SPDX-License-Identifier: MIT
/*
 * e1000.c - driver for the Intel 82540EM (QEMU's default "-device
 * e1000"), the C twin of drivers/net/e1000_rs.rs.
 *
 * Probe maps BAR0, resets the MAC (CTRL.RST), reads the MAC address
 * from the EEPROM (EERD; RAL/RAH if the EEPROM is blank), registers the
 * MDIO bus (MDIC) so phylib finds the internal PHY, and registers
 * eth<N>. Open allocates two rings of
 * E1000_RING_SIZE legacy descriptors with a 2 KiB DMA buffer each,
 * programs the receiver and transmitter, requests the (shared, level
 * triggered) INTx line and starts the PHY.
 *
 * Data path:
 *  - transmit (called by the core with the device's transmit lock held)
 *    copies the frame into the next TX buffer, sets EOP|IFCS|RS and bumps
 *    TDT; finished descriptors (DD) are reclaimed on the next transmit
 *    and in the poll (under the same lock). Only when the ring is full does the
 *    driver ask for the TXDW interrupt, to wake the queue.
 *  - the interrupt handler reads ICR (which acknowledges it); a link
 *    change goes to phylib, receive causes mask the receive interrupts
 *    and schedule NAPI. The poll copies each complete frame into a new
 *    skb for netif_receive_skb, returns the descriptors with one RDT
 *    write, and unmasks the interrupts when the ring is empty.
 *  Copying costs a memcpy per frame but keeps DMA buffers private to
 *  the driver, the same in C and Rust.
 *
 * Errors: descriptors with error bits, without EOP (a frame over 2 KiB)
 * or shorter than an Ethernet header are dropped and counted; so are
 * frames when no skb can be allocated. Frames the MAC itself dropped
 * (oversized, no buffer) are read from its statistics registers.
 *
 * Locking: the core calls e1000_xmit with the device's transmit lock
 * held; the poll takes it (netif_tx_lock) to reclaim, and open/stop run
 * while no transmit can. The RX ring is only touched by the poll.
 * Counters are written under the transmit lock (TX) or by the poll (RX)
 * and read unlocked by get_stats.
 */
#define pr_fmt(fmt) "e1000: " fmt

#include <asm/io.h>
#include <keel/dma.h>
#include <keel/errno.h>
#include <keel/etherdevice.h>
#include <keel/init.h>
#include <keel/irq.h>
#include <keel/lockdep.h>
#include <keel/pci.h>
#include <keel/phy.h>
#include <keel/printk.h>
#include <keel/ring.h>
#include <keel/time.h>
#include <keel/vmalloc.h>

#include "e1000_hw.h"

#define E1000_RING_SIZE	    256
#define E1000_BUF_SIZE	    2048
#define E1000_RING_BYTES    (E1000_RING_SIZE * sizeof(struct e1000_rx_desc))
#define E1000_BUFS_BYTES    (E1000_RING_SIZE * E1000_BUF_SIZE)
#define MDIC_POLL_US	    1000
#define E1000_RESET_POLL_MS 10

struct e1000_ring {
	void *desc; /* E1000_RING_SIZE descriptors */
	dma_addr_t desc_dma;
	u8 *bufs; /* E1000_RING_SIZE buffers of E1000_BUF_SIZE */
	dma_addr_t bufs_dma;
	unsigned int next;  /* RX: next to check; TX: next to fill */
	unsigned int clean; /* TX: next to reclaim */
};

struct e1000_adapter {
	struct pci_dev *pdev;
	struct net_device *netdev;
	volatile u8 *hw;
	struct napi_struct napi;
	struct mii_bus *mii;
	struct e1000_ring rx, tx;
	struct net_device_stats stats;
	u32 mpc_base; /* MPC at open: QEMU's does not clear on read */
};

static u32 er32(struct e1000_adapter *a, u32 reg)
{
	return mmio_read32(a->hw + reg);
}

static void ew32(struct e1000_adapter *a, u32 reg, u32 val)
{
	mmio_write32(a->hw + reg, val);
}

/* ---- MDIO through MDIC ---- */

/* Run one MDIC transaction; returns the data or -EIO/-ETIMEDOUT. */
static int e1000_mdic(struct e1000_adapter *a, u32 cmd)
{
	ew32(a, E1000_MDIC, cmd);
	for (int i = 0; i < MDIC_POLL_US; i++) {
		u32 mdic = er32(a, E1000_MDIC);

		if (mdic & E1000_MDIC_ERROR)
			return -EIO;
		if (mdic & E1000_MDIC_READY)
			return mdic & 0xffff;
		udelay(1);
	}
	return -ETIMEDOUT;
}

static int e1000_mdio_read(struct mii_bus *bus, int addr, int regnum)
{
	return e1000_mdic(bus->priv, (u32)regnum << E1000_MDIC_REG_SHIFT |
					     (u32)addr << E1000_MDIC_PHY_SHIFT |
					     E1000_MDIC_OP_READ);
}

static int e1000_mdio_write(struct mii_bus *bus, int addr, int regnum, u16 val)
{
	int ret = e1000_mdic(bus->priv,
			     val | (u32)regnum << E1000_MDIC_REG_SHIFT |
				     (u32)addr << E1000_MDIC_PHY_SHIFT |
				     E1000_MDIC_OP_WRITE);

	return ret < 0 ? ret : 0;
}

/* ---- rings ---- */

static int ring_alloc(struct e1000_ring *r)
{
	r->desc =
		dma_alloc_coherent(E1000_RING_BYTES, &r->desc_dma, GFP_KERNEL);
	if (!r->desc)
		return -ENOMEM;
	r->bufs =
		dma_alloc_coherent(E1000_BUFS_BYTES, &r->bufs_dma, GFP_KERNEL);
	if (!r->bufs) {
		dma_free_coherent(E1000_RING_BYTES, r->desc, r->desc_dma);
		r->desc = NULL;
		return -ENOMEM;
	}
	r->next = r->clean = 0;
	return 0;
}

static void ring_free_dma(struct e1000_ring *r)
{
	dma_free_coherent(E1000_BUFS_BYTES, r->bufs, r->bufs_dma);
	dma_free_coherent(E1000_RING_BYTES, r->desc, r->desc_dma);
	r->bufs = NULL;
	r->desc = NULL;
}

static void e1000_configure_rx(struct e1000_adapter *a)
{
	struct e1000_rx_desc *desc = a->rx.desc;

	for (int i = 0; i < E1000_RING_SIZE; i++)
		desc[i].buffer_addr = a->rx.bufs_dma + i * E1000_BUF_SIZE;
	ew32(a, E1000_RDBAL, (u32)a->rx.desc_dma);
	ew32(a, E1000_RDBAH, (u32)(a->rx.desc_dma >> 32));
	ew32(a, E1000_RDLEN, E1000_RING_BYTES);
	ew32(a, E1000_RDH, 0);
	ew32(a, E1000_RDT, E1000_RING_SIZE - 1); /* all but one */
	ew32(a, E1000_RDTR, 0);
	ew32(a, E1000_RCTL, E1000_RCTL_EN | E1000_RCTL_BAM | E1000_RCTL_SECRC);
}

static void e1000_configure_tx(struct e1000_adapter *a)
{
	struct e1000_tx_desc *desc = a->tx.desc;

	for (int i = 0; i < E1000_RING_SIZE; i++)
		desc[i].buffer_addr = a->tx.bufs_dma + i * E1000_BUF_SIZE;
	ew32(a, E1000_TDBAL, (u32)a->tx.desc_dma);
	ew32(a, E1000_TDBAH, (u32)(a->tx.desc_dma >> 32));
	ew32(a, E1000_TDLEN, E1000_RING_BYTES);
	ew32(a, E1000_TDH, 0);
	ew32(a, E1000_TDT, 0);
	ew32(a, E1000_TIPG, E1000_TIPG_DEFAULT);
	ew32(a, E1000_TCTL,
	     E1000_TCTL_EN | E1000_TCTL_PSP | 0x0f << E1000_TCTL_CT_SHIFT |
		     0x40 << E1000_TCTL_COLD_SHIFT);
}

/* Station address, no multicast, link forced up on the MAC side. */
static void e1000_configure_mac(struct e1000_adapter *a)
{
	const u8 *m = a->netdev->dev_addr;

	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | E1000_CTRL_SLU);
	for (int i = 0; i < 128; i++)
		ew32(a, E1000_MTA + 4 * i, 0);
	ew32(a, E1000_RAL0, m[0] | m[1] << 8 | m[2] << 16 | (u32)m[3] << 24);
	ew32(a, E1000_RAH0, m[4] | m[5] << 8 | E1000_RAH_AV);
}

/* ---- transmit ---- */

/* Reclaim descriptors the device finished. */
static void e1000_clean_tx(struct e1000_adapter *a)
{
	struct e1000_tx_desc *desc = a->tx.desc;

	lockdep_assert_held(&a->netdev->tx_lock);
	while (a->tx.clean != a->tx.next &&
	       (READ_ONCE(desc[a->tx.clean].status) & E1000_TXD_STAT_DD))
		a->tx.clean = ring_next(a->tx.clean, E1000_RING_SIZE);
}

static netdev_tx_t e1000_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct e1000_adapter *a = netdev_priv(dev);
	struct e1000_tx_desc *desc;
	unsigned int i;

	if (skb->len > E1000_BUF_SIZE || !skb->len) {
		a->stats.tx_errors++;
		kfree_skb(skb);
		return NETDEV_TX_OK;
	}
	e1000_clean_tx(a);
	if (!ring_free(a->tx.next, a->tx.clean, E1000_RING_SIZE)) {
		/* wake us when the device writes a descriptor back */
		netif_stop_queue(dev);
		ew32(a, E1000_IMS, E1000_ICR_TXDW);
		return NETDEV_TX_BUSY;
	}
	i = a->tx.next;
	desc = (struct e1000_tx_desc *)a->tx.desc + i;
	memcpy(a->tx.bufs + i * E1000_BUF_SIZE, skb->data, skb->len);
	desc->length = skb->len;
	desc->cmd = E1000_TXD_CMD_EOP | E1000_TXD_CMD_IFCS | E1000_TXD_CMD_RS;
	desc->status = 0;
	a->tx.next = ring_next(i, E1000_RING_SIZE);
	a->stats.tx_packets++;
	a->stats.tx_bytes += skb->len;
	dma_wmb();
	ew32(a, E1000_TDT, a->tx.next);
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

/* From the poll: reclaim, and restart a stopped queue. */
static void e1000_tx_complete(struct e1000_adapter *a)
{
	unsigned long flags = netif_tx_lock(a->netdev);

	e1000_clean_tx(a);
	if (netif_queue_stopped(a->netdev) &&
	    ring_free(a->tx.next, a->tx.clean, E1000_RING_SIZE)) {
		ew32(a, E1000_IMC, E1000_ICR_TXDW);
		netif_wake_queue(a->netdev);
	}
	netif_tx_unlock(a->netdev, flags);
}

/* ---- receive ---- */

/* Pass the frame in descriptor i up, or count why not. */
static void e1000_rx_one(struct e1000_adapter *a, struct e1000_rx_desc *d,
			 unsigned int i)
{
	unsigned int len = d->length;
	struct sk_buff *skb;

	if (d->errors || !(d->status & E1000_RXD_STAT_EOP) || len < ETH_HLEN ||
	    len > E1000_BUF_SIZE) {
		a->stats.rx_errors++;
		if (!(d->status & E1000_RXD_STAT_EOP) || len < ETH_HLEN)
			a->stats.rx_length_errors++;
		return;
	}
	skb = netdev_alloc_skb(a->netdev, len);
	if (!skb) {
		a->stats.rx_dropped++;
		return;
	}
	memcpy(skb_put(skb, len), a->rx.bufs + i * E1000_BUF_SIZE, len);
	a->stats.rx_packets++;
	a->stats.rx_bytes += len;
	netif_receive_skb(skb);
}

static int e1000_clean_rx(struct e1000_adapter *a, int budget)
{
	struct e1000_rx_desc *ring = a->rx.desc;
	int work = 0;

	while (work < budget) {
		struct e1000_rx_desc *d = &ring[a->rx.next];

		if (!(READ_ONCE(d->status) & E1000_RXD_STAT_DD))
			break;
		dma_rmb();
		e1000_rx_one(a, d, a->rx.next);
		d->status = 0;
		a->rx.next = ring_next(a->rx.next, E1000_RING_SIZE);
		work++;
	}
	if (work) /* hand the descriptors back, the one before next last */
		ew32(a, E1000_RDT, ring_prev(a->rx.next, E1000_RING_SIZE));
	return work;
}

static int e1000_poll(struct napi_struct *napi, int budget)
{
	struct e1000_adapter *a =
		container_of(napi, struct e1000_adapter, napi);
	int work;

	e1000_tx_complete(a);
	work = e1000_clean_rx(a, budget);
	if (work < budget && napi_complete_done(napi, work))
		ew32(a, E1000_IMS, E1000_IMS_RX);
	return work;
}

static enum irqreturn e1000_intr(unsigned int irq, void *cookie)
{
	struct e1000_adapter *a = cookie;
	u32 icr = er32(a, E1000_ICR); /* reading acknowledges */

	if (!icr)
		return IRQ_NONE; /* another device on the shared line */
	if (icr & E1000_ICR_LSC)
		phy_mac_interrupt(a->netdev->phydev);
	/* TXDW is always latched; it only matters with the queue stopped */
	if ((icr & E1000_IMS_RX) ||
	    ((icr & E1000_ICR_TXDW) && netif_queue_stopped(a->netdev))) {
		ew32(a, E1000_IMC, E1000_IMS_RX);
		napi_schedule(&a->napi);
	}
	return IRQ_HANDLED;
}

/* ---- net_device ops ---- */

static void e1000_irq_disable(struct e1000_adapter *a)
{
	ew32(a, E1000_IMC, ~0U);
	er32(a, E1000_ICR);
}

static int e1000_open(struct net_device *dev)
{
	struct e1000_adapter *a = netdev_priv(dev);
	struct phy_device *phy = phy_find_first(a->mii);
	int err;

	if (!phy)
		return -ENODEV;
	err = ring_alloc(&a->rx);
	if (err)
		return err;
	err = ring_alloc(&a->tx);
	if (err)
		goto err_free_rx;
	e1000_irq_disable(a);
	e1000_configure_mac(a);
	e1000_configure_tx(a);
	e1000_configure_rx(a);
	a->mpc_base = er32(a, E1000_MPC);
	er32(a, E1000_ROC);
	netif_wake_queue(dev);
	napi_enable(&a->napi);
	err = request_irq(a->pdev->irq, e1000_intr, "e1000", a);
	if (err)
		goto err_stop_hw;
	err = phy_connect_direct(dev, phy, NULL);
	if (err)
		goto err_free_irq;
	ew32(a, E1000_IMS, E1000_IMS_RX | E1000_ICR_LSC);
	err = phy_start(phy);
	if (err)
		goto err_disconnect;
	return 0;

err_disconnect:
	phy_disconnect(phy);
err_free_irq:
	e1000_irq_disable(a);
	free_irq(a->pdev->irq, a);
err_stop_hw:
	napi_disable(&a->napi);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, 0);
	ring_free_dma(&a->tx);
err_free_rx:
	ring_free_dma(&a->rx);
	return err;
}

static int e1000_stop(struct net_device *dev)
{
	struct e1000_adapter *a = netdev_priv(dev);

	if (dev->phydev)
		phy_disconnect(dev->phydev);
	e1000_irq_disable(a);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, 0);
	free_irq(a->pdev->irq, a);
	napi_disable(&a->napi);
	ring_free_dma(&a->tx);
	ring_free_dma(&a->rx);
	return 0;
}

static void e1000_get_stats(struct net_device *dev,
			    struct net_device_stats *stats)
{
	struct e1000_adapter *a = netdev_priv(dev);

	if (netif_running(dev)) {
		u32 oversize = er32(a, E1000_ROC);

		a->stats.rx_length_errors += oversize;
		a->stats.rx_errors += oversize;
		a->stats.rx_missed_errors = er32(a, E1000_MPC) - a->mpc_base;
	}
	*stats = a->stats;
}

static const struct net_device_ops e1000_netdev_ops = {
	.ndo_open = e1000_open,
	.ndo_stop = e1000_stop,
	.ndo_start_xmit = e1000_xmit,
	.ndo_get_stats = e1000_get_stats,
};

/* ---- probe/remove ---- */

/*
 * Global reset (8254x manual 14.4): quiesce receive and transmit, set
 * CTRL.RST, wait for it to clear, mask everything again. Returns 0 or
 * -ETIMEDOUT.
 */
static int e1000_reset_hw(struct e1000_adapter *a)
{
	e1000_irq_disable(a);
	ew32(a, E1000_RCTL, 0);
	ew32(a, E1000_TCTL, E1000_TCTL_PSP);
	er32(a, E1000_STATUS); /* flush the writes */
	mdelay(1);
	ew32(a, E1000_CTRL, er32(a, E1000_CTRL) | E1000_CTRL_RST);
	for (int i = 0; i < E1000_RESET_POLL_MS; i++) {
		mdelay(1);
		if (!(er32(a, E1000_CTRL) & E1000_CTRL_RST)) {
			e1000_irq_disable(a);
			return 0;
		}
	}
	return -ETIMEDOUT;
}

/* EEPROM word via EERD, or -ETIMEDOUT. */
static int e1000_read_eeprom(struct e1000_adapter *a, unsigned int word)
{
	ew32(a, E1000_EERD, word << E1000_EERD_ADDR_SHIFT | E1000_EERD_START);
	for (int i = 0; i < 1000; i++) {
		u32 v = er32(a, E1000_EERD);

		if (v & E1000_EERD_DONE)
			return v >> E1000_EERD_DATA_SHIFT;
		udelay(1);
	}
	return -ETIMEDOUT;
}

/* The MAC address: EEPROM words 0-2, else what RAL0/RAH0 hold. */
static int e1000_read_mac(struct e1000_adapter *a, u8 *mac)
{
	u32 ral, rah;

	for (int i = 0; i < 3; i++) {
		int w = e1000_read_eeprom(a, i);

		if (w < 0)
			break;
		mac[2 * i] = w & 0xff;
		mac[2 * i + 1] = w >> 8;
	}
	if (is_valid_ether_addr(mac))
		return 0;
	ral = er32(a, E1000_RAL0);
	rah = er32(a, E1000_RAH0);
	for (int i = 0; i < 4; i++)
		mac[i] = ral >> (8 * i);
	mac[4] = rah;
	mac[5] = rah >> 8;
	return is_valid_ether_addr(mac) ? 0 : -EIO;
}

static int e1000_mii_init(struct e1000_adapter *a)
{
	int err;

	a->mii = mdiobus_alloc();
	if (!a->mii)
		return -ENOMEM;
	snprintf(a->mii->id, sizeof(a->mii->id), "mii-%s", a->pdev->dev.name);
	a->mii->priv = a;
	a->mii->read = e1000_mdio_read;
	a->mii->write = e1000_mdio_write;
	a->mii->parent = &a->pdev->dev;
	err = mdiobus_register(a->mii);
	if (!err && !phy_find_first(a->mii)) {
		mdiobus_unregister(a->mii);
		err = -ENODEV;
	}
	if (err) {
		mdiobus_free(a->mii);
		a->mii = NULL;
	}
	return err;
}

static int e1000_probe(struct pci_dev *pdev, const struct pci_device_id *id)
{
	struct net_device *netdev;
	struct e1000_adapter *a;
	int err;

	if (!pdev->irq)
		return -ENXIO;
	if (pdev->bar_is_io[0] || pdev->bar_size[0] < E1000_MMIO_SIZE)
		return -ENODEV;
	err = pci_enable_device(pdev);
	if (err)
		return err;
	pci_set_master(pdev);
	netdev = alloc_etherdev(sizeof(*a));
	if (!netdev)
		return -ENOMEM;
	a = netdev_priv(netdev);
	a->pdev = pdev;
	a->netdev = netdev;
	err = -ENOMEM;
	a->hw = ioremap(pdev->bar[0], E1000_MMIO_SIZE);
	if (!a->hw)
		goto err_free_netdev;
	err = e1000_reset_hw(a);
	if (!err)
		err = e1000_read_mac(a, netdev->dev_addr);
	if (err)
		goto err_unmap;
	err = e1000_mii_init(a);
	if (err)
		goto err_unmap;
	netdev->netdev_ops = &e1000_netdev_ops;
	netdev->dev.parent = &pdev->dev;
	netif_napi_add(netdev, &a->napi, e1000_poll);
	err = register_netdev(netdev);
	if (err)
		goto err_free_mii;
	pdev->drvdata = a;
	return 0;

err_free_mii:
	mdiobus_unregister(a->mii);
	mdiobus_free(a->mii);
err_unmap:
	iounmap((void *)a->hw);
err_free_netdev:
	free_netdev(netdev);
	return err;
}

static void e1000_remove(struct pci_dev *pdev)
{
	struct e1000_adapter *a = pdev->drvdata;

	unregister_netdev(a->netdev);
	mdiobus_unregister(a->mii);
	mdiobus_free(a->mii);
	iounmap((void *)a->hw);
	free_netdev(a->netdev);
}

static const struct pci_device_id e1000_ids[] = {
	{ 0x8086, 0x100e, 0, 0 }, /* 82540EM, QEMU's "e1000" */
	{}
};

static struct pci_driver e1000_driver = {
	.name = "e1000",
	.id_table = e1000_ids,
	.probe = e1000_probe,
	.remove = e1000_remove,
};

static int e1000_init(void)
{
	return pci_register_driver(&e1000_driver);
}

static void e1000_exit(void)
{
	pci_unregister_driver(&e1000_driver);
}
module_init_exit(e1000_init, e1000_exit);
