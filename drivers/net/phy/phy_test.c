// SPDX-License-Identifier: MIT
/*
 * phy_test.c - phylib on a fake MDIO bus whose one PHY is a register
 * file: discovery by ID, matching by ID and mask, the generic-driver
 * fallback, the link state machine (carrier, speed/duplex resolution,
 * change count), detaching on bus removal, and driver operations of one
 * PHY never overlapping (phy_start against the state machine).
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/netdevice.h>
#include <keel/phy.h>
#include <keel/softirq.h>
#include <keel/time.h>
#include <keel/string.h>

#define FAKE_ADDR 3

static u16 regs[32];
static struct mii_bus *bus;
static struct net_device *ndev;
static int adjusts;

static int fake_read(struct mii_bus *b, int addr, int reg)
{
	return addr == FAKE_ADDR ? regs[reg & 31] : -EIO;
}

static int fake_write(struct mii_bus *b, int addr, int reg, u16 val)
{
	if (addr != FAKE_ADDR)
		return -EIO;
	regs[reg & 31] = reg == MII_BMCR ? val & ~BMCR_RESET : val;
	return 0;
}

static void fake_phy(u32 id)
{
	memset(regs, 0, sizeof(regs));
	regs[MII_PHYSID1] = id >> 16;
	regs[MII_PHYSID2] = id & 0xffff;
	regs[MII_BMSR] = BMSR_ANEGCAPABLE | BMSR_ESTATEN;
}

static int fake_bus_up(u32 id)
{
	fake_phy(id);
	bus = mdiobus_alloc();
	if (!bus)
		return -ENOMEM;
	strlcpy(bus->id, "ktest-mii", sizeof(bus->id));
	bus->read = fake_read;
	bus->write = fake_write;
	return mdiobus_register(bus);
}

static int phy_test_init(struct ktest *t)
{
	adjusts = 0;
	ndev = alloc_etherdev(0);
	return ndev ? 0 : -ENOMEM;
}

static void phy_test_exit(struct ktest *t)
{
	if (bus) {
		mdiobus_unregister(bus);
		mdiobus_free(bus);
		bus = NULL;
	}
	free_netdev(ndev);
}

static void adjust(struct net_device *dev)
{
	adjusts++;
}

static struct phy_driver test_drv = {
	.phy_id = 0x12345670,
	.phy_id_mask = 0xfffffff0,
	.name = "ktest PHY",
};

static void discovery_by_id(struct ktest *t)
{
	struct phy_device *phy;

	KTEST_ASSERT_EQ(t, fake_bus_up(0x00221556), 0);
	phy = phy_find_first(bus);
	KTEST_ASSERT_NOT_NULL(t, phy);
	KTEST_EXPECT_EQ(t, phy->addr, FAKE_ADDR);
	KTEST_EXPECT_EQ(t, phy->phy_id, 0x00221556U);
	KTEST_EXPECT_STREQ(t, phy->dev.name, "ktest-mii:03");
	KTEST_EXPECT_NULL(t, phy->drv);	       /* nothing claims this ID */
	KTEST_EXPECT_GT(t, bus->errors, 0ULL); /* the empty addresses */
}

static void matched_by_id_and_mask(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, fake_bus_up(0x12345672), 0); /* revision 2 */
	KTEST_ASSERT_EQ(t, phy_drivers_register(&test_drv, 1), 0);
	KTEST_EXPECT_TRUE(t, phy_find_first(bus)->drv == &test_drv);
	phy_drivers_unregister(&test_drv, 1);
	KTEST_EXPECT_NULL(t, phy_find_first(bus)->drv);
	KTEST_EXPECT_TRUE(t, phy_id_matches(&test_drv, 0x1234567f));
	KTEST_EXPECT_FALSE(t, phy_id_matches(&test_drv, 0x12345682));
}

static void connect_falls_back_to_genphy(struct ktest *t)
{
	struct phy_device *phy;

	KTEST_ASSERT_EQ(t, fake_bus_up(0x00221556), 0);
	phy = phy_find_first(bus);
	regs[MII_BMCR] = BMCR_ISOLATE;
	KTEST_ASSERT_EQ(t, phy_connect_direct(ndev, phy, adjust), 0);
	KTEST_EXPECT_TRUE(t, phy->drv == &genphy_driver);
	KTEST_EXPECT_TRUE(t, ndev->phydev == phy);
	KTEST_EXPECT_EQ(t, phy_connect_direct(ndev, phy, adjust), -EBUSY);
	KTEST_ASSERT_EQ(t, phy_start(phy), 0);
	KTEST_EXPECT_EQ(t, regs[MII_BMCR] & (BMCR_ANENABLE | BMCR_ISOLATE),
			BMCR_ANENABLE);
	KTEST_EXPECT_EQ(t, regs[MII_CTRL1000], ADVERTISE_1000FULL);
	phy_disconnect(phy);
	KTEST_EXPECT_NULL(t, phy->drv); /* genphy is let go again */
	KTEST_EXPECT_NULL(t, ndev->phydev);
}

static void link_changes_are_reported(struct ktest *t)
{
	struct phy_device *phy;

	KTEST_ASSERT_EQ(t, fake_bus_up(0x00221556), 0);
	phy = phy_find_first(bus);
	KTEST_ASSERT_EQ(t, phy_connect_direct(ndev, phy, adjust), 0);
	KTEST_ASSERT_EQ(t, phy_start(phy), 0);
	phy_state_machine_run(phy);
	KTEST_EXPECT_FALSE(t, netif_carrier_ok(ndev));
	/* link up, 1000BASE-T full on both ends */
	regs[MII_BMSR] |= BMSR_LSTATUS | BMSR_ANEGCOMPLETE;
	regs[MII_STAT1000] = LPA_1000FULL | LPA_1000HALF;
	phy_state_machine_run(phy);
	KTEST_EXPECT_TRUE(t, netif_carrier_ok(ndev));
	KTEST_EXPECT_EQ(t, phy->speed, SPEED_1000);
	KTEST_EXPECT_EQ(t, phy->duplex, DUPLEX_FULL);
	KTEST_EXPECT_EQ(t, phy->link_changes, 1ULL);
	phy_state_machine_run(phy); /* no change, no report */
	KTEST_EXPECT_EQ(t, phy->link_changes, 1ULL);
	/* the partner drops to 100BASE-TX full */
	regs[MII_STAT1000] = 0;
	regs[MII_LPA] = LPA_100FULL | LPA_10FULL;
	phy_state_machine_run(phy);
	KTEST_EXPECT_EQ(t, phy->speed, SPEED_100);
	KTEST_EXPECT_EQ(t, phy->link_changes, 2ULL);
	regs[MII_BMSR] &= ~BMSR_LSTATUS;
	phy_state_machine_run(phy);
	KTEST_EXPECT_FALSE(t, netif_carrier_ok(ndev));
	KTEST_EXPECT_EQ(t, phy->link_changes, 3ULL);
	KTEST_EXPECT_GE(t, adjusts, 3);
	phy_disconnect(phy);
}

static void bus_removal_detaches(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, fake_bus_up(0x00221556), 0);
	KTEST_ASSERT_EQ(t, phy_connect_direct(ndev, phy_find_first(bus), NULL),
			0);
	mdiobus_unregister(bus);
	mdiobus_free(bus);
	bus = NULL;
	KTEST_EXPECT_NULL(t, ndev->phydev);
}

static bool in_op;
static int overlaps, status_reads;

static int serial_config_aneg(struct phy_device *phydev)
{
	WRITE_ONCE(in_op, true);
	/* the MAC's link interrupt arrives in the middle of this operation */
	phy_mac_interrupt(phydev);
	local_bh_disable();
	local_bh_enable(); /* runs the state machine, if it may run now */
	WRITE_ONCE(in_op, false);
	return genphy_config_aneg(phydev);
}

static int serial_read_status(struct phy_device *phydev)
{
	status_reads++;
	if (READ_ONCE(in_op))
		overlaps++;
	return genphy_read_status(phydev);
}

static struct phy_driver serial_drv = {
	.phy_id = 0x0badc0d0,
	.phy_id_mask = 0xffffffff,
	.name = "ktest serial PHY",
	.config_aneg = serial_config_aneg,
	.read_status = serial_read_status,
};

static void ops_never_overlap(struct ktest *t)
{
	struct phy_device *phy;

	overlaps = status_reads = 0;
	KTEST_ASSERT_EQ(t, fake_bus_up(0x0badc0d0), 0);
	KTEST_ASSERT_EQ(t, phy_drivers_register(&serial_drv, 1), 0);
	phy = phy_find_first(bus);
	KTEST_ASSERT_TRUE(t, phy->drv == &serial_drv);
	KTEST_ASSERT_EQ(t, phy_connect_direct(ndev, phy, NULL), 0);
	KTEST_EXPECT_EQ(t, phy_start(phy), 0);
	/* again, now that the state machine is live: restart aneg */
	KTEST_EXPECT_EQ(t, phy_start(phy), 0);
	for (int i = 0; i < 100 && !READ_ONCE(status_reads); i++)
		mdelay(1);
	KTEST_EXPECT_GT(t, status_reads, 0);
	KTEST_EXPECT_EQ(t, overlaps, 0);
	phy_disconnect(phy);
	phy_drivers_unregister(&serial_drv, 1);
}

static struct ktest_case phy_cases[] = { KTEST_CASE(discovery_by_id),
					 KTEST_CASE(matched_by_id_and_mask),
					 KTEST_CASE(
						 connect_falls_back_to_genphy),
					 KTEST_CASE(link_changes_are_reported),
					 KTEST_CASE(bus_removal_detaches),
					 KTEST_CASE(ops_never_overlap),
					 {} };
KTEST_SUITE(phylib, phy_cases, .init = phy_test_init, .exit = phy_test_exit);
