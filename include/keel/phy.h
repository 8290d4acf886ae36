/* SPDX-License-Identifier: MIT */
/*
 * keel/phy.h - a small phylib: MDIO buses, PHY devices and PHY drivers.
 *
 * A MAC driver that manages its PHY through MDIO registers an mii_bus
 * with read/write operations (on the e1000, through its MDIC register).
 * mdiobus_register() probes each address for a PHY ID (registers 2 and
 * 3) and registers a phy_device on the "mdio" bus of the driver model,
 * where PHY drivers are matched by (phy_id & phy_id_mask). A PHY that no
 * driver claims gets the generic driver (IEEE 802.3 clause 22 registers
 * only) when the MAC connects to it.
 *
 * The MAC driver, in ndo_open, calls phy_connect_direct() (soft reset,
 * config_init) and phy_start() (autonegotiation); its link-change
 * interrupt calls phy_mac_interrupt(), which runs the state machine in a
 * tasklet: read_status, and on a change carrier on/off, the MAC's
 * adjust_link callback and a log line ("eth0: link up 1000Mbps full",
 * "eth0: link down"). ndo_stop calls phy_stop() and phy_disconnect().
 *
 * Locking: an mii_bus's lock (irqsave) serialises MDIO transactions;
 * each phy_device's lock (taken with bottom halves off) serialises its
 * driver's operations and its state: connect, start, stop and the
 * state-machine tasklet never run operations of one PHY at once, on any
 * CPU. Operations therefore must not sleep.
 *
 * Lifetime: an mii_bus is reference counted; mdiobus_alloc() returns it
 * with one reference. netdev_phy_connect() takes one for the net_device
 * (dropped when the device is freed); the last mdiobus_put()
 * unregisters the PHYs, calls bus->release and frees the bus.
 * unregister_netdev() disconnects the device's PHY, and no PHY can be
 * connected to the device afterwards.
 */
#ifndef _KEEL_PHY_H
#define _KEEL_PHY_H

#include <keel/device.h>
#include <keel/softirq.h>
#include <keel/spinlock.h>

/* Clause 22 registers and bits (Linux's include/uapi/linux/mii.h) */
#define MII_BMCR      0x00
#define MII_BMSR      0x01
#define MII_PHYSID1   0x02
#define MII_PHYSID2   0x03
#define MII_ADVERTISE 0x04
#define MII_LPA	      0x05
#define MII_CTRL1000  0x09
#define MII_STAT1000  0x0a

#define BMCR_SPEED1000 0x0040
#define BMCR_FULLDPLX  0x0100
#define BMCR_ANRESTART 0x0200
#define BMCR_ISOLATE   0x0400
#define BMCR_PDOWN     0x0800
#define BMCR_ANENABLE  0x1000
#define BMCR_SPEED100  0x2000
#define BMCR_LOOPBACK  0x4000
#define BMCR_RESET     0x8000

#define BMSR_LSTATUS	  0x0004
#define BMSR_ANEGCAPABLE  0x0008
#define BMSR_ANEGCOMPLETE 0x0020
#define BMSR_ESTATEN	  0x0100

#define ADVERTISE_CSMA	     0x0001
#define ADVERTISE_10HALF     0x0020
#define ADVERTISE_10FULL     0x0040
#define ADVERTISE_100HALF    0x0080
#define ADVERTISE_100FULL    0x0100
#define ADVERTISE_PAUSE_CAP  0x0400
#define ADVERTISE_PAUSE_ASYM 0x0800
#define ADVERTISE_ALL                                              \
	(ADVERTISE_10HALF | ADVERTISE_10FULL | ADVERTISE_100HALF | \
	 ADVERTISE_100FULL)
#define LPA_10HALF  0x0020
#define LPA_10FULL  0x0040
#define LPA_100HALF 0x0080
#define LPA_100FULL 0x0100

#define ADVERTISE_1000HALF 0x0100 /* MII_CTRL1000 */
#define ADVERTISE_1000FULL 0x0200
#define LPA_1000HALF	   0x0400 /* MII_STAT1000 */
#define LPA_1000FULL	   0x0800

#define PHY_MAX_ADDR 32

#define SPEED_UNKNOWN (-1)
#define SPEED_10      10
#define SPEED_100     100
#define SPEED_1000    1000

#define DUPLEX_UNKNOWN (-1)
#define DUPLEX_HALF    0
#define DUPLEX_FULL    1

struct net_device;
struct phy_device;

struct mii_bus {
	char id[DEVICE_NAME_MAX - 4]; /* PHYs are named "<id>:<addr>" */
	void *priv;
	/* register value, or -Exxx (no PHY, bus error) */
	int (*read)(struct mii_bus *bus, int addr, int regnum);
	int (*write)(struct mii_bus *bus, int addr, int regnum, u16 val);
	u32 phy_mask; /* addresses not to probe */
	struct device *parent;
	struct phy_device *phy_map[PHY_MAX_ADDR];
	spinlock_t lock;
	u64 reads, writes, errors;
	long refcnt; /* mdiobus_get/put */
	/* called by the last mdiobus_put(), before the bus is freed */
	void (*release)(struct mii_bus *bus);
};

enum phy_state {
	PHY_DOWN,    /* not started */
	PHY_UP,	     /* started, link down */
	PHY_RUNNING, /* link up */
};

struct phy_device {
	struct device dev; /* on mdio_bus_type */
	struct mii_bus *bus;
	int addr;
	u32 phy_id;
	struct phy_driver *drv; /* bound driver */
	enum phy_state state;
	bool link;
	int speed;  /* SPEED_* */
	int duplex; /* DUPLEX_* */
	bool autoneg;
	struct net_device *attached_dev;
	void (*adjust_link)(struct net_device *dev);
	struct tasklet state_tasklet;
	spinlock_t lock;  /* driver operations and the state above */
	u64 link_changes; /* up/down transitions reported */
	void *priv;	  /* the PHY driver's */
};

struct phy_driver {
	u32 phy_id;
	u32 phy_id_mask;
	const char *name;
	/* all optional; missing ones fall back to genphy_* */
	int (*probe)(struct phy_device *phydev);
	void (*remove)(struct phy_device *phydev);
	int (*soft_reset)(struct phy_device *phydev);
	int (*config_init)(struct phy_device *phydev);
	int (*config_aneg)(struct phy_device *phydev);
	/* >0 done, 0 not yet, -Exxx */
	int (*aneg_done)(struct phy_device *phydev);
	/* update link, speed, duplex; 0 or -Exxx */
	int (*read_status)(struct phy_device *phydev);
	int (*suspend)(struct phy_device *phydev);
	int (*resume)(struct phy_device *phydev);
	struct device_driver driver;
};

extern struct bus_type mdio_bus_type;
extern struct phy_driver genphy_driver;

static inline struct phy_device *to_phy_device(struct device *dev)
{
	return container_of(dev, struct phy_device, dev);
}

/* A zeroed bus (fill in id, read, write, priv, parent), or NULL. */
struct mii_bus *mdiobus_alloc(void);
/*
 * Probe every address not in phy_mask and register the PHYs found.
 * Returns 0 (even with no PHY) or -EINVAL/-ENOMEM.
 */
int mdiobus_register(struct mii_bus *bus);
/* Unregister and free the bus's PHYs. */
void mdiobus_unregister(struct mii_bus *bus);
void mdiobus_free(struct mii_bus *bus);
/* Take/drop a reference; the last put unregisters, releases and frees. */
void mdiobus_get(struct mii_bus *bus);
void mdiobus_put(struct mii_bus *bus);
int mdiobus_read(struct mii_bus *bus, int addr, int regnum);
int mdiobus_write(struct mii_bus *bus, int addr, int regnum, u16 val);
/* The PHY with the lowest address, or NULL. */
struct phy_device *phy_find_first(struct mii_bus *bus);

/* Register PHY drivers (count of them at drv). 0 or -Exxx. */
int phy_drivers_register(struct phy_driver *drv, int count);
void phy_drivers_unregister(struct phy_driver *drv, int count);

/* Does phydev's ID match drv's ID under its mask? */
bool phy_id_matches(const struct phy_driver *drv, u32 phy_id);

/*
 * Attach phydev to dev: bind the generic driver if none claimed it,
 * soft reset, config_init. handler (may be NULL) is called after each
 * link change. Returns 0 or -Exxx (phydev left detached).
 */
int phy_connect_direct(struct net_device *dev, struct phy_device *phydev,
		       void (*handler)(struct net_device *dev));
/*
 * Connect the first PHY on bus to dev, holding a reference to the bus
 * until dev is freed (its last dev_put()). -ENODEV (no PHY, or dev
 * was unregistered), -EBUSY (attached, or dev already holds another
 * bus) or as above. Sleeps.
 */
int netdev_phy_connect(struct net_device *dev, struct mii_bus *bus);
/*
 * From unregister_netdev(): disconnect dev's PHY and refuse every later
 * netdev_phy_connect() on dev (-ENODEV), so that no PHY is left pointing
 * at dev when it is freed. Sleeps.
 */
void netdev_phy_release(struct net_device *dev);
void phy_disconnect(struct phy_device *phydev);
/* Start autonegotiation and watch the link. */
int phy_start(struct phy_device *phydev);
/* Stop watching; carrier off. */
void phy_stop(struct phy_device *phydev);
/* The MAC saw a link-change interrupt: re-read the PHY soon. */
void phy_mac_interrupt(struct phy_device *phydev);
/* Run the state machine now (process context; tests). */
void phy_state_machine_run(struct phy_device *phydev);

/* Register access for PHY drivers: value/0 or -Exxx. */
int phy_read(struct phy_device *phydev, u32 regnum);
int phy_write(struct phy_device *phydev, u32 regnum, u16 val);
int phy_modify(struct phy_device *phydev, u32 regnum, u16 mask, u16 set);

/* Generic clause 22 implementations (drivers/net/phy/phy_generic.c). */
int genphy_soft_reset(struct phy_device *phydev);
int genphy_config_aneg(struct phy_device *phydev);
int genphy_restart_aneg(struct phy_device *phydev);
int genphy_aneg_done(struct phy_device *phydev);
int genphy_update_link(struct phy_device *phydev);
int genphy_read_status(struct phy_device *phydev);
int genphy_suspend(struct phy_device *phydev);
int genphy_resume(struct phy_device *phydev);

/* "eth0: link up 1000Mbps full" or "eth0: link down" */
void phy_print_status(struct phy_device *phydev);
/* One line for ifconfig. */
void phy_show(struct phy_device *phydev);

#endif
