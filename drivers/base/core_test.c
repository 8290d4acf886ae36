// SPDX-License-Identifier: MIT
/*
 * core_test.c - the driver model on a bus of its own: match, probe once,
 * fall through to the next driver when probe fails, driver_override,
 * explicit binding, removal in both directions, and a probe that
 * registers a (class) child device.
 */
#include <keel/device.h>
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/string.h>

struct tdev {
	struct device dev;
	int id;
};

struct tdrv {
	struct device_driver drv;
	int id; /* matches tdev.id; -1 matches all */
	int probe_result;
	int probes, removes;
};

static bool t_match(struct device *dev, const struct device_driver *drv)
{
	const struct tdrv *d = container_of(drv, struct tdrv, drv);

	return d->id < 0 || d->id == container_of(dev, struct tdev, dev)->id;
}

static struct device child;

static int t_probe(struct device *dev)
{
	struct tdrv *d = container_of(dev->driver, struct tdrv, drv);

	d->probes++;
	if (d->probe_result)
		return d->probe_result;
	if (container_of(dev, struct tdev, dev)->id == 7) {
		/* a class device below the one being probed */
		strlcpy(child.name, "child", sizeof(child.name));
		child.parent = dev;
		child.bus = NULL;
		device_register(&child);
	}
	return 0;
}

static void t_remove(struct device *dev)
{
	struct tdrv *d = container_of(dev->driver, struct tdrv, drv);

	d->removes++;
	if (container_of(dev, struct tdev, dev)->id == 7)
		device_unregister(&child);
}

static struct bus_type tbus = {
	BUS_TYPE_INIT(tbus, "ktest"),
	.match = t_match,
	.probe = t_probe,
	.remove = t_remove,
};

static void tdev_init(struct tdev *d, const char *name, int id)
{
	memset(d, 0, sizeof(*d));
	strlcpy(d->dev.name, name, sizeof(d->dev.name));
	d->dev.bus = &tbus;
	d->id = id;
}

static void tdrv_init(struct tdrv *d, const char *name, int id)
{
	memset(d, 0, sizeof(*d));
	d->drv.name = name;
	d->drv.bus = &tbus;
	d->id = id;
}

static void probes_each_match_once(struct ktest *t)
{
	struct tdev a, b;
	struct tdrv drv;
	unsigned int before = devices_count();

	tdev_init(&a, "a", 1);
	tdev_init(&b, "b", 2);
	tdrv_init(&drv, "drv1", 1);
	KTEST_ASSERT_EQ(t, device_register(&a.dev), 0);
	KTEST_EXPECT_EQ(t, device_register(&a.dev), -EINVAL);
	KTEST_ASSERT_EQ(t, driver_register(&drv.drv), 0);
	KTEST_EXPECT_EQ(t, driver_register(&drv.drv), -EBUSY);
	KTEST_ASSERT_EQ(t, device_register(&b.dev), 0);
	KTEST_EXPECT_TRUE(t, a.dev.driver == &drv.drv);
	KTEST_EXPECT_NULL(t, b.dev.driver);
	KTEST_EXPECT_EQ(t, drv.probes, 1);
	KTEST_EXPECT_EQ(t, devices_count(), before + 2);
	driver_unregister(&drv.drv);
	KTEST_EXPECT_EQ(t, drv.removes, 1);
	KTEST_EXPECT_NULL(t, a.dev.driver);
	device_unregister(&a.dev);
	device_unregister(&b.dev);
	KTEST_EXPECT_EQ(t, devices_count(), before);
}

static void failed_probe_tries_next_driver(struct ktest *t)
{
	struct tdev a;
	struct tdrv bad, good;

	tdev_init(&a, "a", 3);
	tdrv_init(&bad, "bad", -1);
	tdrv_init(&good, "good", 3);
	bad.probe_result = -ENODEV;
	KTEST_ASSERT_EQ(t, driver_register(&bad.drv), 0);
	KTEST_ASSERT_EQ(t, driver_register(&good.drv), 0);
	KTEST_ASSERT_EQ(t, device_register(&a.dev), 0);
	KTEST_EXPECT_EQ(t, bad.probes, 1);
	KTEST_EXPECT_EQ(t, good.probes, 1);
	KTEST_EXPECT_TRUE(t, a.dev.driver == &good.drv);
	device_unregister(&a.dev); /* unbinds first */
	KTEST_EXPECT_EQ(t, good.removes, 1);
	KTEST_EXPECT_EQ(t, bad.removes, 0);
	driver_unregister(&bad.drv);
	driver_unregister(&good.drv);
}

static void override_picks_the_driver(struct ktest *t)
{
	struct tdev a;
	struct tdrv one, two;

	tdev_init(&a, "a", 4);
	a.dev.driver_override = "two";
	tdrv_init(&one, "one", 4);
	tdrv_init(&two, "two", 4);
	KTEST_ASSERT_EQ(t, driver_register(&one.drv), 0);
	KTEST_ASSERT_EQ(t, device_register(&a.dev), 0);
	KTEST_EXPECT_NULL(t, a.dev.driver);
	KTEST_ASSERT_EQ(t, driver_register(&two.drv), 0);
	KTEST_EXPECT_TRUE(t, a.dev.driver == &two.drv);
	KTEST_EXPECT_EQ(t, one.probes, 0);
	driver_unregister(&two.drv);
	driver_unregister(&one.drv);
	device_unregister(&a.dev);
}

static void explicit_bind_and_release(struct ktest *t)
{
	struct tdev a;
	struct tdrv fallback, other;

	tdev_init(&a, "a", 5);
	tdrv_init(&fallback, "fallback", 99); /* never matches */
	tdrv_init(&other, "other", 99);
	KTEST_ASSERT_EQ(t, device_register(&a.dev), 0);
	KTEST_ASSERT_EQ(t, device_bind_driver(&a.dev, &fallback.drv), 0);
	KTEST_EXPECT_EQ(t, device_bind_driver(&a.dev, &other.drv), -EBUSY);
	device_release_driver(&a.dev);
	KTEST_EXPECT_EQ(t, fallback.removes, 1);
	KTEST_EXPECT_NULL(t, a.dev.driver);
	device_unregister(&a.dev);
}

static void probe_registers_child(struct ktest *t)
{
	struct tdev a;
	struct tdrv drv;
	unsigned int before = devices_count();

	tdev_init(&a, "parent", 7);
	tdrv_init(&drv, "drv", 7);
	KTEST_ASSERT_EQ(t, device_register(&a.dev), 0);
	KTEST_ASSERT_EQ(t, driver_register(&drv.drv), 0);
	KTEST_EXPECT_EQ(t, devices_count(), before + 2);
	KTEST_EXPECT_TRUE(t, child.parent == &a.dev);
	driver_unregister(&drv.drv);
	KTEST_EXPECT_EQ(t, devices_count(), before + 1);
	device_unregister(&a.dev);
}

static void rejects_bad_input(struct ktest *t)
{
	struct tdev a;
	struct device_driver nameless = { .bus = &tbus };

	tdev_init(&a, "", 1);
	KTEST_EXPECT_EQ(t, device_register(&a.dev), -EINVAL);
	KTEST_EXPECT_EQ(t, driver_register(&nameless), -EINVAL);
}

static struct ktest_case device_cases[] = {
	KTEST_CASE(probes_each_match_once),
	KTEST_CASE(failed_probe_tries_next_driver),
	KTEST_CASE(override_picks_the_driver),
	KTEST_CASE(explicit_bind_and_release),
	KTEST_CASE(probe_registers_child),
	KTEST_CASE(rejects_bad_input),
	{}
};
KTEST_SUITE(device_model, device_cases);
