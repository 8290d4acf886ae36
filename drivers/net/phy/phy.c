// SPDX-License-Identifier: MIT
/*
 * phy.c - the phylib core (keel/phy.h): MDIO buses, discovery of PHYs
 * by ID, the "mdio" bus of the driver model, connecting a PHY to a MAC
 * and the link state machine.
 *
 * The state machine runs in a tasklet (softirq context) whenever the
 * MAC reports a link-change interrupt, and once when the PHY starts. It
 * asks the driver for the status (read_status) and, if the link went up
 * or down (or changed speed/duplex while up), switches the carrier,
 * calls the MAC's adjust_link and logs the change. Without a MAC
 * interrupt nothing polls: every MAC in keel has one.
 *
 * Locking: every call of a PHY driver's operation, and every change of
 * the PHY's state, link, speed and duplex, runs under phy_lock(): bottom
 * halves off (which also keeps the state-machine tasklet from starting
 * on any CPU) and phydev->lock held (Linux's phydev->lock). So
 * phy_start() from process context, the state machine in its tasklet
 * and phy_stop() never run operations of one PHY at once, and a driver
 * operation has the phy_device to itself. Operations must not sleep.
 *
 * Lifetime: a bus is reference counted (mdiobus_get/put). Its owner
 * holds one, and netdev_phy_connect() takes one for the net_device,
 * dropped by its last dev_put(); the last put unregisters the PHYs,
 * calls the bus's release and frees it. A PHY therefore outlives every
 * net_device that netdev_phy_connect() attached it to. Conversely
 * unregister_netdev() detaches the device's PHY (netdev_phy_release) and
 * netdev_phy_connect() refuses an unregistered device, both under one
 * mutex, so no PHY still points at a device when it is freed, even if a
 * callback that outlives the unregistration (ndo_get_stats) connects.
 */
#define pr_fmt(fmt) "phy: " fmt

#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/mutex.h>
#include <keel/netdevice.h>
#include <keel/phy.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/string.h>

static void phy_lock(struct phy_device *phydev)
{
	local_bh_disable();
	spin_lock(&phydev->lock);
}

static void phy_unlock(struct phy_device *phydev)
{
	spin_unlock(&phydev->lock);
	local_bh_enable();
}

static struct phy_driver *to_phy_driver(const struct device_driver *drv)
{
	return container_of(drv, struct phy_driver, driver);
}

bool phy_id_matches(const struct phy_driver *drv, u32 phy_id)
{
	return (phy_id & drv->phy_id_mask) == (drv->phy_id & drv->phy_id_mask);
}

static bool mdio_bus_match(struct device *dev, const struct device_driver *drv)
{
	return phy_id_matches(to_phy_driver(drv), to_phy_device(dev)->phy_id);
}

static int mdio_bus_probe(struct device *dev)
{
	struct phy_device *phydev = to_phy_device(dev);
	struct phy_driver *drv = to_phy_driver(dev->driver);
	int err = 0;

	phydev->drv = drv;
	if (drv->probe)
		err = drv->probe(phydev);
	if (err)
		phydev->drv = NULL;
	return err;
}

static void mdio_bus_remove(struct device *dev)
{
	struct phy_device *phydev = to_phy_device(dev);

	if (phydev->drv && phydev->drv->remove)
		phydev->drv->remove(phydev);
	phy_lock(phydev);
	phydev->drv = NULL;
	phydev->priv = NULL;
	phy_unlock(phydev);
}

static void mdio_bus_describe(const struct device *dev, char *buf, size_t len)
{
	const struct phy_device *phydev =
		container_of(dev, struct phy_device, dev);

	snprintf(buf, len, "[phy %08x] addr %d", phydev->phy_id, phydev->addr);
}

struct bus_type mdio_bus_type = {
	BUS_TYPE_INIT(mdio_bus_type, "mdio"),
	.match = mdio_bus_match,
	.probe = mdio_bus_probe,
	.remove = mdio_bus_remove,
	.describe = mdio_bus_describe,
};

struct mii_bus *mdiobus_alloc(void)
{
	struct mii_bus *bus = kzalloc(sizeof(*bus), GFP_KERNEL);

	if (bus) {
		spin_lock_init(&bus->lock);
		bus->refcnt = 1;
	}
	return bus;
}

void mdiobus_get(struct mii_bus *bus)
{
	__atomic_fetch_add(&bus->refcnt, 1, __ATOMIC_RELAXED);
}

void mdiobus_put(struct mii_bus *bus)
{
	if (__atomic_sub_fetch(&bus->refcnt, 1, __ATOMIC_ACQ_REL))
		return;
	mdiobus_unregister(bus);
	if (bus->release)
		bus->release(bus);
	mdiobus_free(bus);
}

void mdiobus_free(struct mii_bus *bus)
{
	kfree(bus);
}

int mdiobus_read(struct mii_bus *bus, int addr, int regnum)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&bus->lock, flags);
	ret = bus->read(bus, addr, regnum);
	bus->reads++;
	bus->errors += ret < 0;
	spin_unlock_irqrestore(&bus->lock, flags);
	return ret;
}

int mdiobus_write(struct mii_bus *bus, int addr, int regnum, u16 val)
{
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&bus->lock, flags);
	ret = bus->write(bus, addr, regnum, val);
	bus->writes++;
	bus->errors += ret < 0;
	spin_unlock_irqrestore(&bus->lock, flags);
	return ret;
}

/* The ID of the PHY at addr: 0 and *id, or -ENODEV. */
static int get_phy_id(struct mii_bus *bus, int addr, u32 *id)
{
	int hi = mdiobus_read(bus, addr, MII_PHYSID1);
	int lo = hi < 0 ? hi : mdiobus_read(bus, addr, MII_PHYSID2);

	if (hi < 0 || lo < 0)
		return -ENODEV;
	*id = (u32)hi << 16 | (u32)lo;
	/* no device answers all ones (pulled-up bus) or all zeros */
	if ((*id & 0x1fffffff) == 0x1fffffff || !*id)
		return -ENODEV;
	return 0;
}

static void phy_state_machine(struct tasklet *t);

static int phy_device_create(struct mii_bus *bus, int addr, u32 id)
{
	struct phy_device *phydev = kzalloc(sizeof(*phydev), GFP_KERNEL);

	if (!phydev)
		return -ENOMEM;
	phydev->bus = bus;
	phydev->addr = addr;
	phydev->phy_id = id;
	phydev->speed = SPEED_UNKNOWN;
	phydev->duplex = DUPLEX_UNKNOWN;
	phydev->autoneg = true;
	phydev->state_tasklet = (struct tasklet)TASKLET_INIT(phy_state_machine);
	spin_lock_init(&phydev->lock);
	snprintf(phydev->dev.name, sizeof(phydev->dev.name), "%s:%02x", bus->id,
		 addr);
	phydev->dev.bus = &mdio_bus_type;
	phydev->dev.parent = bus->parent;
	bus->phy_map[addr] = phydev;
	pr_info("%s: PHY id %08x\n", phydev->dev.name, id);
	return device_register(&phydev->dev);
}

int mdiobus_register(struct mii_bus *bus)
{
	u32 id;
	int err;

	if (!bus->read || !bus->write || !bus->id[0])
		return -EINVAL;
	for (int addr = 0; addr < PHY_MAX_ADDR; addr++) {
		if (bus->phy_mask & (1U << addr) || get_phy_id(bus, addr, &id))
			continue;
		err = phy_device_create(bus, addr, id);
		if (err) {
			mdiobus_unregister(bus);
			return err;
		}
	}
	return 0;
}

void mdiobus_unregister(struct mii_bus *bus)
{
	for (int addr = 0; addr < PHY_MAX_ADDR; addr++) {
		struct phy_device *phydev = bus->phy_map[addr];

		if (!phydev)
			continue;
		if (phydev->attached_dev) /* the MAC forgot: detach first */
			phy_disconnect(phydev);
		device_unregister(&phydev->dev);
		bus->phy_map[addr] = NULL;
		/* a phy_mac_interrupt() racing phy_stop() may have queued it */
		tasklet_kill(&phydev->state_tasklet);
		kfree(phydev);
	}
}

struct phy_device *phy_find_first(struct mii_bus *bus)
{
	for (int addr = 0; addr < PHY_MAX_ADDR; addr++)
		if (bus->phy_map[addr])
			return bus->phy_map[addr];
	return NULL;
}

int phy_drivers_register(struct phy_driver *drv, int count)
{
	for (int i = 0; i < count; i++) {
		int err;

		drv[i].driver.name = drv[i].name;
		drv[i].driver.bus = &mdio_bus_type;
		err = driver_register(&drv[i].driver);
		if (err) {
			phy_drivers_unregister(drv, i);
			return err;
		}
	}
	return 0;
}

void phy_drivers_unregister(struct phy_driver *drv, int count)
{
	for (int i = 0; i < count; i++)
		driver_unregister(&drv[i].driver);
}

int phy_read(struct phy_device *phydev, u32 regnum)
{
	return mdiobus_read(phydev->bus, phydev->addr, regnum);
}

int phy_write(struct phy_device *phydev, u32 regnum, u16 val)
{
	return mdiobus_write(phydev->bus, phydev->addr, regnum, val);
}

int phy_modify(struct phy_device *phydev, u32 regnum, u16 mask, u16 set)
{
	int v = phy_read(phydev, regnum);

	if (v < 0)
		return v;
	return phy_write(phydev, regnum, (v & ~mask) | set);
}

/* Undo the attachment; true if genphy is to be let go. */
static bool phy_detach_locked(struct phy_device *phydev)
{
	lockdep_assert_held(&phydev->lock);

	if (phydev->attached_dev)
		__atomic_store_n(&phydev->attached_dev->phydev, NULL,
				 __ATOMIC_RELAXED);
	phydev->attached_dev = NULL;
	phydev->adjust_link = NULL;
	return phydev->drv == &genphy_driver;
}

static void phy_release_genphy(struct phy_device *phydev, bool genphy)
{
	if (genphy)
		device_release_driver(&phydev->dev);
}

int phy_connect_direct(struct net_device *dev, struct phy_device *phydev,
		       void (*handler)(struct net_device *dev))
{
	struct phy_driver *drv;
	bool genphy = false;
	int err;

	if (READ_ONCE(phydev->attached_dev))
		return -EBUSY;
	if (!phydev->drv) {
		err = device_bind_driver(&phydev->dev, &genphy_driver.driver);
		if (err)
			return err;
	}
	phy_lock(phydev);
	drv = phydev->drv;
	if (phydev->attached_dev || !drv) {
		phy_unlock(phydev);
		return -EBUSY;
	}
	phydev->attached_dev = dev;
	phydev->adjust_link = handler;
	__atomic_store_n(&dev->phydev, phydev, __ATOMIC_RELAXED);
	err = drv->soft_reset ? drv->soft_reset(phydev) :
				genphy_soft_reset(phydev);
	if (!err && drv->config_init)
		err = drv->config_init(phydev);
	if (err) {
		pr_warn("%s: cannot initialise %s: %s\n", dev->name,
			phydev->dev.name, errname(err));
		genphy = phy_detach_locked(phydev);
	}
	phy_unlock(phydev);
	phy_release_genphy(phydev, genphy);
	return err;
}

/* dev->phy_bus and dev->phy_released, and attaching to a device */
static DEFINE_MUTEX(netdev_link);

int netdev_phy_connect(struct net_device *dev, struct mii_bus *bus)
{
	struct phy_device *phydev = phy_find_first(bus);
	int err = 0;

	if (!phydev)
		return -ENODEV;
	might_sleep();
	mutex_lock(&netdev_link);
	if (dev->phy_released) {
		/* unregistered: nothing would detach the PHY before dev goes */
		err = -ENODEV;
	} else if (!dev->phy_bus) {
		mdiobus_get(bus); /* dropped by the device's last dev_put() */
		dev->phy_bus = bus;
	} else if (dev->phy_bus != bus) {
		err = -EBUSY;
	}
	if (!err)
		err = phy_connect_direct(dev, phydev, NULL);
	mutex_unlock(&netdev_link);
	return err;
}

void netdev_phy_release(struct net_device *dev)
{
	struct phy_device *phydev;

	might_sleep();
	mutex_lock(&netdev_link);
	dev->phy_released = true;
	phydev = __atomic_load_n(&dev->phydev, __ATOMIC_RELAXED);
	if (phydev)
		phy_disconnect(phydev);
	mutex_unlock(&netdev_link);
}

void phy_disconnect(struct phy_device *phydev)
{
	bool genphy;

	phy_stop(phydev);
	phy_lock(phydev);
	genphy = phy_detach_locked(phydev);
	phy_unlock(phydev);
	phy_release_genphy(phydev, genphy);
}

int phy_start(struct phy_device *phydev)
{
	struct phy_driver *drv;
	int err = 0;

	phy_lock(phydev);
	drv = phydev->drv;
	if (!drv || !phydev->attached_dev) {
		err = -EINVAL;
		goto out_unlock;
	}
	phydev->link = false;
	phydev->speed = SPEED_UNKNOWN;
	phydev->duplex = DUPLEX_UNKNOWN;
	if (drv->resume)
		err = drv->resume(phydev);
	if (!err)
		err = drv->config_aneg ? drv->config_aneg(phydev) :
					 genphy_config_aneg(phydev);
	if (err)
		goto out_unlock;
	WRITE_ONCE(phydev->state, PHY_UP);
	tasklet_schedule(&phydev->state_tasklet);
out_unlock:
	phy_unlock(phydev);
	return err;
}

void phy_stop(struct phy_device *phydev)
{
	phy_lock(phydev);
	tasklet_kill(&phydev->state_tasklet);
	WRITE_ONCE(phydev->state, PHY_DOWN);
	phydev->link = false;
	if (phydev->attached_dev)
		netif_carrier_off(phydev->attached_dev);
	if (phydev->drv && phydev->drv->suspend)
		phydev->drv->suspend(phydev);
	phy_unlock(phydev);
}

void phy_mac_interrupt(struct phy_device *phydev)
{
	if (phydev && READ_ONCE(phydev->state) != PHY_DOWN)
		tasklet_schedule(&phydev->state_tasklet);
}

void phy_print_status(struct phy_device *phydev)
{
	const char *name = phydev->attached_dev ? phydev->attached_dev->name :
						  phydev->dev.name;

	if (!phydev->link)
		printk(KERN_INFO "%s: link down\n", name);
	else if (phydev->speed == SPEED_UNKNOWN)
		printk(KERN_INFO "%s: link up, speed unknown\n", name);
	else
		printk(KERN_INFO "%s: link up %dMbps %s\n", name, phydev->speed,
		       phydev->duplex == DUPLEX_FULL ? "full" :
		       phydev->duplex == DUPLEX_HALF ? "half" :
						       "unknown-duplex");
}

/* Read the status and report a change. */
static void phy_check_link(struct phy_device *phydev)
{
	bool old_link = phydev->link;
	int old_speed = phydev->speed, old_duplex = phydev->duplex;
	int err;

	lockdep_assert_held(&phydev->lock);
	if (phydev->state == PHY_DOWN || !phydev->drv)
		return;
	err = phydev->drv->read_status ? phydev->drv->read_status(phydev) :
					 genphy_read_status(phydev);
	if (err) {
		pr_warn("%s: read_status failed: %s\n", phydev->dev.name,
			errname(err));
		return;
	}
	if (phydev->link == old_link &&
	    (!phydev->link ||
	     (phydev->speed == old_speed && phydev->duplex == old_duplex)))
		return;
	WRITE_ONCE(phydev->state, phydev->link ? PHY_RUNNING : PHY_UP);
	phydev->link_changes++;
	if (phydev->link)
		netif_carrier_on(phydev->attached_dev);
	else
		netif_carrier_off(phydev->attached_dev);
	if (phydev->adjust_link)
		phydev->adjust_link(phydev->attached_dev);
	phy_print_status(phydev);
}

static void phy_state_machine(struct tasklet *t)
{
	struct phy_device *phydev =
		container_of(t, struct phy_device, state_tasklet);

	phy_lock(phydev);
	phy_check_link(phydev);
	phy_unlock(phydev);
}

void phy_state_machine_run(struct phy_device *phydev)
{
	phy_lock(phydev);
	phy_check_link(phydev);
	phy_unlock(phydev);
}

void phy_show(struct phy_device *phydev)
{
	monitor_printf("        phy %s id %08x driver %s: link %s",
		       phydev->dev.name, phydev->phy_id,
		       phydev->drv ? phydev->drv->name : "-",
		       phydev->link ? "up" : "down");
	if (phydev->link && phydev->speed != SPEED_UNKNOWN)
		monitor_printf(" %dMbps %s", phydev->speed,
			       phydev->duplex == DUPLEX_FULL ? "full" : "half");
	monitor_printf(", %llu change(s)\n", phydev->link_changes);
}
