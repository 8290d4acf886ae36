// SPDX-License-Identifier: MIT
/*
 * phy_generic.c - the generic PHY driver and the genphy_* helpers that
 * specific drivers reuse: IEEE 802.3 clause 22 registers only (BMCR,
 * BMSR, advertisement and link-partner ability, and the 1000BASE-T
 * control/status pair when BMSR says extended status exists).
 *
 * The generic driver is never matched by ID; phylib binds it to a PHY
 * no other driver claimed when a MAC connects to it.
 */
#include <keel/errno.h>
#include <keel/phy.h>
#include <keel/time.h>

#define RESET_POLL_US	 1000
#define RESET_TIMEOUT_US 500000

int genphy_soft_reset(struct phy_device *phydev)
{
	int err = phy_modify(phydev, MII_BMCR, 0, BMCR_RESET);

	if (err)
		return err;
	for (int waited = 0; waited < RESET_TIMEOUT_US;
	     waited += RESET_POLL_US) {
		int bmcr = phy_read(phydev, MII_BMCR);

		if (bmcr < 0)
			return bmcr;
		if (!(bmcr & BMCR_RESET))
			return 0;
		udelay(RESET_POLL_US);
	}
	return -ETIMEDOUT;
}

int genphy_restart_aneg(struct phy_device *phydev)
{
	return phy_modify(phydev, MII_BMCR, BMCR_ISOLATE,
			  BMCR_ANENABLE | BMCR_ANRESTART);
}

int genphy_config_aneg(struct phy_device *phydev)
{
	int bmsr = phy_read(phydev, MII_BMSR);
	int err;

	if (bmsr < 0)
		return bmsr;
	err = phy_write(phydev, MII_ADVERTISE,
			ADVERTISE_CSMA | ADVERTISE_ALL | ADVERTISE_PAUSE_CAP |
				ADVERTISE_PAUSE_ASYM);
	if (!err && (bmsr & BMSR_ESTATEN))
		err = phy_modify(phydev, MII_CTRL1000,
				 ADVERTISE_1000HALF | ADVERTISE_1000FULL,
				 ADVERTISE_1000FULL);
	if (err)
		return err;
	phydev->autoneg = true;
	return genphy_restart_aneg(phydev);
}

int genphy_aneg_done(struct phy_device *phydev)
{
	int bmsr = phy_read(phydev, MII_BMSR);

	return bmsr < 0 ? bmsr : !!(bmsr & BMSR_ANEGCOMPLETE);
}

int genphy_update_link(struct phy_device *phydev)
{
	int bmsr = phy_read(phydev, MII_BMSR); /* link bit latches low */

	if (bmsr >= 0)
		bmsr = phy_read(phydev, MII_BMSR);
	if (bmsr < 0)
		return bmsr;
	phydev->link = bmsr & BMSR_LSTATUS;
	if (phydev->autoneg && !(bmsr & BMSR_ANEGCOMPLETE))
		phydev->link = false;
	return 0;
}

/* Resolve speed/duplex from what both ends advertise. */
static int genphy_read_lpa(struct phy_device *phydev)
{
	int adv = phy_read(phydev, MII_ADVERTISE);
	int lpa = phy_read(phydev, MII_LPA);
	int bmsr = phy_read(phydev, MII_BMSR);
	int ctrl = 0, stat = 0;

	if (adv < 0 || lpa < 0 || bmsr < 0)
		return adv < 0 ? adv : lpa < 0 ? lpa : bmsr;
	if (bmsr & BMSR_ESTATEN) {
		ctrl = phy_read(phydev, MII_CTRL1000);
		stat = phy_read(phydev, MII_STAT1000);
		if (ctrl < 0 || stat < 0)
			return ctrl < 0 ? ctrl : stat;
	}
	/* STAT1000's partner bits sit two above CTRL1000's own */
	stat &= ctrl << 2;
	lpa &= adv;
	phydev->speed = SPEED_10;
	phydev->duplex = DUPLEX_HALF;
	if (stat & (LPA_1000FULL | LPA_1000HALF)) {
		phydev->speed = SPEED_1000;
		phydev->duplex = stat & LPA_1000FULL ? DUPLEX_FULL :
						       DUPLEX_HALF;
	} else if (lpa & (LPA_100FULL | LPA_100HALF)) {
		phydev->speed = SPEED_100;
		phydev->duplex = lpa & LPA_100FULL ? DUPLEX_FULL : DUPLEX_HALF;
	} else if (lpa & LPA_10FULL) {
		phydev->duplex = DUPLEX_FULL;
	}
	return 0;
}

/* Speed/duplex forced by BMCR (autonegotiation off). */
static int genphy_read_forced(struct phy_device *phydev)
{
	int bmcr = phy_read(phydev, MII_BMCR);

	if (bmcr < 0)
		return bmcr;
	phydev->speed = bmcr & BMCR_SPEED1000 ? SPEED_1000 :
			bmcr & BMCR_SPEED100  ? SPEED_100 :
						SPEED_10;
	phydev->duplex = bmcr & BMCR_FULLDPLX ? DUPLEX_FULL : DUPLEX_HALF;
	return 0;
}

int genphy_read_status(struct phy_device *phydev)
{
	int err = genphy_update_link(phydev);

	if (err)
		return err;
	phydev->speed = SPEED_UNKNOWN;
	phydev->duplex = DUPLEX_UNKNOWN;
	if (!phydev->link)
		return 0;
	return phydev->autoneg ? genphy_read_lpa(phydev) :
				 genphy_read_forced(phydev);
}

int genphy_suspend(struct phy_device *phydev)
{
	return phy_modify(phydev, MII_BMCR, 0, BMCR_PDOWN);
}

int genphy_resume(struct phy_device *phydev)
{
	return phy_modify(phydev, MII_BMCR, BMCR_PDOWN, 0);
}

struct phy_driver genphy_driver = {
	.phy_id = 0,
	.phy_id_mask = 0,
	.name = "Generic PHY",
	.soft_reset = genphy_soft_reset,
	.config_aneg = genphy_config_aneg,
	.aneg_done = genphy_aneg_done,
	.read_status = genphy_read_status,
	.suspend = genphy_suspend,
	.resume = genphy_resume,
	.driver = { .name = "Generic PHY", .bus = &mdio_bus_type },
};
