/* SPDX-License-Identifier: MIT */
/*
 * keel/device.h - the driver model: buses, devices and drivers.
 *
 * A bus (PCI, MDIO) keeps a list of its devices and of its drivers and
 * knows how to match one against the other. Registering a device offers
 * it to every driver of its bus; registering a driver offers it every
 * unbound device. The first match is probed once; a probe that fails
 * leaves the device unbound (the driver undoes its own work) and the
 * next driver is tried. Unregistering a driver removes it from each of
 * its devices; unregistering a device unbinds it first.
 *
 * A device without a bus is a class device (a net interface): it is
 * listed by lsdev under its parent but never bound.
 *
 * Locking: each bus has a mutex that serialises binding on that bus;
 * probe and remove run with it held, so a driver may register devices
 * on another bus (a NIC registers its PHYs on MDIO) but not on its own.
 * devices_lock guards the global device list and is never held across
 * a callback.
 */
#ifndef _KEEL_DEVICE_H
#define _KEEL_DEVICE_H

#include <keel/list.h>
#include <keel/mutex.h>

#define DEVICE_NAME_MAX 24

struct device;
struct device_driver;

struct bus_type {
	const char *name;
	/* true if drv can drive dev (an ID table matches) */
	bool (*match)(struct device *dev, const struct device_driver *drv);
	/* bind dev->driver (already set): 0 or -Exxx */
	int (*probe)(struct device *dev);
	/* unbind dev->driver */
	void (*remove)(struct device *dev);
	/* one line about dev for lsdev (IDs), may be NULL */
	void (*describe)(const struct device *dev, char *buf, size_t len);
	struct list_head devices;
	struct list_head drivers;
	struct mutex lock;
};

#define BUS_TYPE_INIT(var, bname)                                \
	.name = bname, .devices = LIST_HEAD_INIT((var).devices), \
	.drivers = LIST_HEAD_INIT((var).drivers), .lock = MUTEX_INIT(var)

struct device {
	char name[DEVICE_NAME_MAX];
	const char *class_name; /* "net" for a class device, else NULL */
	struct bus_type *bus;	/* NULL: class device */
	struct device *parent;	/* NULL: top level */
	struct device_driver *driver;
	/* if set, only the driver of this name may bind (e1000.impl=) */
	const char *driver_override;
	void *driver_data;
	struct list_head bus_node;
	struct list_head node; /* all devices, registration order */
};

struct device_driver {
	const char *name;
	struct bus_type *bus;
	struct list_head node;
};

/*
 * Add dev to its bus (if any) and the device list, then offer it to the
 * bus's drivers. Returns 0 (bound or not) or -EINVAL (no name, or
 * already registered).
 */
int device_register(struct device *dev);
/* Unbind dev and remove it from every list. */
void device_unregister(struct device *dev);

/*
 * Add drv to its bus and bind it to every matching unbound device.
 * Returns 0 (even if nothing matched), -EINVAL (no name or bus) or
 * -EBUSY (already registered).
 */
int driver_register(struct device_driver *drv);
/* Unbind drv from all its devices, then forget it. */
void driver_unregister(struct device_driver *drv);

/*
 * Bind dev to drv, bypassing match (a PHY falling back to the generic
 * driver). Returns 0, -EBUSY (dev already bound) or probe's error.
 */
int device_bind_driver(struct device *dev, struct device_driver *drv);
/* Unbind dev from its driver (remove), if bound. */
void device_release_driver(struct device *dev);

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

/* Call fn on each device of bus in registration order (bus lock held). */
void bus_for_each_dev(struct bus_type *bus,
		      void (*fn)(struct device *dev, void *arg), void *arg);

/*
 * Print the device tree with buses and drivers, then every registered
 * driver with the devices bound to it (monitor "lsdev"). Takes
 * devices_lock and each bus's lock, one at a time.
 */
void devices_show(void);
/* Number of registered devices (for tests). */
unsigned int devices_count(void);

#endif
