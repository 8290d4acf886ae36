// SPDX-License-Identifier: MIT
/*
 * core.c - the driver model (keel/device.h): register devices and
 * drivers on buses, match them, probe once, unbind in reverse, and print
 * the device tree for lsdev.
 *
 * Binding on a bus happens under that bus's mutex, so a device is never
 * probed twice or by two drivers at once. The global device list (for
 * lsdev, in registration order) has its own lock, taken only around list
 * changes and walks, never across a driver callback.
 */
#include <keel/device.h>
#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/string.h>

#define TREE_DEPTH_MAX 4

static LIST_HEAD(all_devices);
static DEFINE_MUTEX(devices_lock);
static unsigned int nr_devices;

static bool driver_matches(struct device *dev, const struct device_driver *drv)
{
	if (dev->driver_override && strcmp(dev->driver_override, drv->name))
		return false;
	return dev->bus->match(dev, drv);
}

/* Probe dev with drv; dev is unbound. */
static int really_probe(struct device *dev, struct device_driver *drv)
{
	int err;

	lockdep_assert_held(&dev->bus->lock);
	dev->driver = drv;
	err = dev->bus->probe(dev);
	if (err) {
		dev->driver = NULL;
		dev->driver_data = NULL;
		pr_warn("%s %s: %s probe failed: %s\n", dev->bus->name,
			dev->name, drv->name, errname(err));
		return err;
	}
	pr_info("%s %s: bound to %s\n", dev->bus->name, dev->name, drv->name);
	return 0;
}

/* Unbind dev. */
static void really_remove(struct device *dev)
{
	lockdep_assert_held(&dev->bus->lock);

	if (!dev->driver)
		return;
	if (dev->bus->remove)
		dev->bus->remove(dev);
	dev->driver = NULL;
	dev->driver_data = NULL;
}

/* Offer dev to each driver of its bus until one binds. */
static void attach_device(struct device *dev)
{
	struct device_driver *drv;

	lockdep_assert_held(&dev->bus->lock);
	list_for_each_entry(drv, &dev->bus->drivers, node) {
		if (dev->driver)
			return;
		if (driver_matches(dev, drv))
			really_probe(dev, drv);
	}
}

static bool on_list(const struct list_head *e, const struct list_head *head)
{
	for (const struct list_head *p = head->next; p != head; p = p->next)
		if (p == e)
			return true;
	return false;
}

int device_register(struct device *dev)
{
	if (!dev->name[0])
		return -EINVAL;
	mutex_lock(&devices_lock);
	if (on_list(&dev->node, &all_devices)) {
		mutex_unlock(&devices_lock);
		return -EINVAL;
	}
	list_add_tail(&dev->node, &all_devices);
	nr_devices++;
	mutex_unlock(&devices_lock);
	dev->driver = NULL;
	if (!dev->bus)
		return 0;
	mutex_lock(&dev->bus->lock);
	list_add_tail(&dev->bus_node, &dev->bus->devices);
	attach_device(dev);
	mutex_unlock(&dev->bus->lock);
	return 0;
}

void device_unregister(struct device *dev)
{
	if (dev->bus) {
		mutex_lock(&dev->bus->lock);
		really_remove(dev);
		list_del_init(&dev->bus_node);
		mutex_unlock(&dev->bus->lock);
	}
	mutex_lock(&devices_lock);
	list_del_init(&dev->node);
	nr_devices--;
	mutex_unlock(&devices_lock);
}

int driver_register(struct device_driver *drv)
{
	struct bus_type *bus = drv->bus;
	struct device *dev;
	int err = 0;

	if (!drv->name || !bus)
		return -EINVAL;
	mutex_lock(&bus->lock);
	if (on_list(&drv->node, &bus->drivers)) {
		err = -EBUSY;
		goto out_unlock;
	}
	list_add_tail(&drv->node, &bus->drivers);
	list_for_each_entry(dev, &bus->devices, bus_node) {
		if (!dev->driver && driver_matches(dev, drv))
			really_probe(dev, drv);
	}
out_unlock:
	mutex_unlock(&bus->lock);
	return err;
}

void driver_unregister(struct device_driver *drv)
{
	struct bus_type *bus = drv->bus;
	struct device *dev;

	mutex_lock(&bus->lock);
	list_for_each_entry(dev, &bus->devices, bus_node) {
		if (dev->driver == drv)
			really_remove(dev);
	}
	list_del_init(&drv->node);
	mutex_unlock(&bus->lock);
}

int device_bind_driver(struct device *dev, struct device_driver *drv)
{
	int err;

	if (!dev->bus)
		return -EINVAL;
	mutex_lock(&dev->bus->lock);
	err = dev->driver ? -EBUSY : really_probe(dev, drv);
	mutex_unlock(&dev->bus->lock);
	return err;
}

void device_release_driver(struct device *dev)
{
	if (!dev->bus)
		return;
	mutex_lock(&dev->bus->lock);
	really_remove(dev);
	mutex_unlock(&dev->bus->lock);
}

void bus_for_each_dev(struct bus_type *bus,
		      void (*fn)(struct device *dev, void *arg), void *arg)
{
	struct device *dev;

	mutex_lock(&bus->lock);
	list_for_each_entry(dev, &bus->devices, bus_node)
		fn(dev, arg);
	mutex_unlock(&bus->lock);
}

unsigned int devices_count(void)
{
	return nr_devices;
}

static void show_one(const struct device *dev, int depth)
{
	char desc[64] = "";
	const char *kind = dev->bus ? dev->bus->name : dev->class_name;

	if (dev->bus && dev->bus->describe)
		dev->bus->describe(dev, desc, sizeof(desc));
	monitor_printf("%*s%-5s %-16s %-28s %s\n", depth * 2, "",
		       kind ? kind : "?", dev->name, desc,
		       dev->driver ? dev->driver->name : "-");
}

/* Print dev and, below it, its children. */
static void show_tree(const struct device *parent, int depth)
{
	const struct device *dev;

	lockdep_assert_held(&devices_lock);
	list_for_each_entry(dev, &all_devices, node) {
		if (dev->parent != parent)
			continue;
		show_one(dev, depth);
		if (depth < TREE_DEPTH_MAX)
			show_tree(dev, depth + 1);
	}
}

#define SHOW_BUSES_MAX 8

/* Each driver registered on bus, with the devices it is bound to. */
static void show_bus_drivers(struct bus_type *bus)
{
	struct device_driver *drv;
	struct device *dev;

	mutex_lock(&bus->lock);
	list_for_each_entry(drv, &bus->drivers, node) {
		int bound = 0;

		monitor_printf("  %-5s %-20s", bus->name, drv->name);
		list_for_each_entry(dev, &bus->devices, bus_node) {
			if (dev->driver != drv)
				continue;
			monitor_printf(" %s", dev->name);
			bound++;
		}
		monitor_printf("%s\n", bound ? "" : " (no device)");
	}
	mutex_unlock(&bus->lock);
}

/*
 * The buses that have devices, gathered under devices_lock and walked
 * after it is dropped: a probe (under a bus lock) registers child
 * devices, so the bus locks nest outside devices_lock, never inside.
 */
static void show_drivers(void)
{
	struct bus_type *buses[SHOW_BUSES_MAX];
	const struct device *dev;
	unsigned int n = 0, i;

	mutex_lock(&devices_lock);
	list_for_each_entry(dev, &all_devices, node) {
		for (i = 0; i < n && buses[i] != dev->bus; i++)
			;
		if (dev->bus && i == n && n < SHOW_BUSES_MAX)
			buses[n++] = dev->bus;
	}
	mutex_unlock(&devices_lock);
	monitor_printf("drivers:\n");
	for (i = 0; i < n; i++)
		show_bus_drivers(buses[i]);
}

void devices_show(void)
{
	mutex_lock(&devices_lock);
	show_tree(NULL, 0);
	mutex_unlock(&devices_lock);
	show_drivers();
}

static int cmd_lsdev(int argc, char **argv)
{
	devices_show();
	return 0;
}
MONITOR_CMD(lsdev, NULL, "device tree: buses, devices, drivers", 0, 0,
	    cmd_lsdev);
