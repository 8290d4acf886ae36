// SPDX-License-Identifier: MIT
/*
 * pci_test.c - enumeration on QEMU's machines, ID matching, BAR sizing
 * and the bind/unbind rules of the driver model.
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/pci.h>
#include <keel/string.h>

#define CLASS_HOST_BRIDGE 0x060000
#define QEMU_VGA_VENDOR	  0x1234
#define QEMU_VGA_DEVICE	  0x1111

static void finds_host_bridge(struct ktest *t)
{
	struct pci_dev *d = NULL;
	bool found = false;

	KTEST_EXPECT_GT(t, pci_device_count(), 0U);
	while ((d = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, d)))
		found |= d->class == CLASS_HOST_BRIDGE && d->vendor == 0x8086;
	KTEST_EXPECT_TRUE(t, found);
}

static void config_reads_agree(struct ktest *t)
{
	struct pci_dev *d = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, NULL);

	KTEST_ASSERT_NOT_NULL(t, d);
	KTEST_EXPECT_EQ(t, pci_read_config16(d, PCI_VENDOR_ID), d->vendor);
	KTEST_EXPECT_EQ(t, pci_read_config16(d, PCI_DEVICE_ID), d->device);
	KTEST_EXPECT_EQ(t, pci_read_config32(d, PCI_VENDOR_ID),
			(u32)d->device << 16 | d->vendor);
	KTEST_EXPECT_EQ(t, pci_read_config8(d, PCI_REVISION_ID), d->revision);
}

static void vga_bar0_sized(struct ktest *t)
{
	struct pci_dev *d =
		pci_get_device(QEMU_VGA_VENDOR, QEMU_VGA_DEVICE, NULL);

	if (!d) {
		ktest_skip(t, "no QEMU standard VGA");
		return;
	}
	/* QEMU's stdvga: 16 MiB framebuffer BAR0, 4 KiB MMIO BAR2 */
	KTEST_EXPECT_EQ(t, d->bar_size[0], 16ULL << 20);
	KTEST_EXPECT_FALSE(t, d->bar_is_io[0]);
	KTEST_EXPECT_NE(t, d->bar[0], 0ULL);
	KTEST_EXPECT_EQ(t, d->bar_size[2], 4096ULL);
	/* sizing restored the BAR */
	KTEST_EXPECT_EQ(t, pci_read_config32(d, PCI_BAR0) & ~0xfU,
			(u32)d->bar[0]);
}

static void id_matching(struct ktest *t)
{
	struct pci_dev d = { .vendor = 0x8086,
			     .device = 0x100e,
			     .class = 0x020000 };
	const struct pci_device_id exact[] = { { 0x8086, 0x100e, 0, 0 }, {} };
	const struct pci_device_id other[] = { { 0x8086, 0x100f, 0, 0 }, {} };
	const struct pci_device_id any_net[] = {
		{ PCI_ANY_ID, PCI_ANY_ID, 0x020000, 0xff0000 }, {}
	};
	const struct pci_device_id any_disk[] = {
		{ PCI_ANY_ID, PCI_ANY_ID, 0x010000, 0xff0000 }, {}
	};

	KTEST_EXPECT_TRUE(t, pci_match_id(exact, &d) == &exact[0]);
	KTEST_EXPECT_NULL(t, pci_match_id(other, &d));
	KTEST_EXPECT_TRUE(t, pci_match_id(any_net, &d) == &any_net[0]);
	KTEST_EXPECT_NULL(t, pci_match_id(any_disk, &d));
}

static int probes, removes;
static int probe_result;

static int test_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	probes++;
	if (probe_result)
		return probe_result;
	dev->drvdata = &probes;
	return 0;
}

static void test_remove(struct pci_dev *dev)
{
	removes++;
}

static const struct pci_device_id bridge_ids[] = {
	{ PCI_ANY_ID, PCI_ANY_ID, CLASS_HOST_BRIDGE, 0xffff00 },
	{}
};

static struct pci_driver test_driver = {
	.name = "ktest-bridge",
	.id_table = bridge_ids,
	.probe = test_probe,
	.remove = test_remove,
};

static int pci_test_init(struct ktest *t)
{
	probes = removes = probe_result = 0;
	return 0;
}

static void bind_and_unbind(struct ktest *t)
{
	struct pci_dev *d = NULL;
	int bound = 0;

	KTEST_ASSERT_EQ(t, pci_register_driver(&test_driver), 0);
	KTEST_EXPECT_EQ(t, pci_register_driver(&test_driver), -EBUSY);
	while ((d = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, d)))
		bound += d->driver == &test_driver;
	KTEST_EXPECT_GT(t, bound, 0);
	KTEST_EXPECT_EQ(t, probes, bound); /* probe once per device */
	pci_unregister_driver(&test_driver);
	KTEST_EXPECT_EQ(t, removes, bound);
	while ((d = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, d)))
		KTEST_EXPECT_TRUE(t, d->driver != &test_driver);
}

static void failed_probe_leaves_device_free(struct ktest *t)
{
	struct pci_dev *d = NULL;

	probe_result = -ENODEV;
	KTEST_ASSERT_EQ(t, pci_register_driver(&test_driver), 0);
	KTEST_EXPECT_GT(t, probes, 0);
	while ((d = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, d))) {
		KTEST_EXPECT_TRUE(t, d->driver != &test_driver);
		KTEST_EXPECT_TRUE(t, d->drvdata != &probes);
	}
	pci_unregister_driver(&test_driver);
	KTEST_EXPECT_EQ(t, removes, 0);
}

static void override_restricts_binding(struct ktest *t)
{
	struct pci_dev *d = NULL;

	while ((d = pci_get_device(PCI_ANY_ID, PCI_ANY_ID, d)))
		if (d->class == CLASS_HOST_BRIDGE)
			break;
	KTEST_ASSERT_NOT_NULL(t, d);
	d->dev.driver_override = "someone-else";
	KTEST_ASSERT_EQ(t, pci_register_driver(&test_driver), 0);
	KTEST_EXPECT_TRUE(t, d->driver != &test_driver);
	pci_unregister_driver(&test_driver);
	d->dev.driver_override = "ktest-bridge";
	KTEST_ASSERT_EQ(t, pci_register_driver(&test_driver), 0);
	KTEST_EXPECT_TRUE(t, d->driver == &test_driver);
	KTEST_EXPECT_STREQ(t, d->dev.driver->name, "ktest-bridge");
	pci_unregister_driver(&test_driver);
	d->dev.driver_override = NULL;
}

static void bad_driver_rejected(struct ktest *t)
{
	struct pci_driver no_probe = { .name = "x", .id_table = bridge_ids };

	KTEST_EXPECT_EQ(t, pci_register_driver(&no_probe), -EINVAL);
}

static struct ktest_case pci_cases[] = {
	KTEST_CASE(finds_host_bridge),
	KTEST_CASE(config_reads_agree),
	KTEST_CASE(vga_bar0_sized),
	KTEST_CASE(id_matching),
	KTEST_CASE(bind_and_unbind),
	KTEST_CASE(failed_probe_leaves_device_free),
	KTEST_CASE(override_restricts_binding),
	KTEST_CASE(bad_driver_rejected),
	{}
};
KTEST_SUITE(pci, pci_cases, .init = pci_test_init);
