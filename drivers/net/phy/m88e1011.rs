// SPDX-License-Identifier: MIT
//! m88e1011: Rust driver for the Marvell 88E1011 gigabit PHY.
//!
//! This is the PHY inside Intel's 82540EM and the one QEMU's e1000 model
//! emulates: it answers at MDIO address 1 with PHY ID 0x01410c20
//! (PHYSID1 0x0141, Marvell's OUI; PHYSID2 0x0c20, model 0x02 revision
//! 0 - Intel's M88E1011_I_PHY_ID, QEMU's E1000_PHY_ID2_8254xx_DEFAULT).
//!
//! Beyond the clause 22 registers it uses Marvell's PHY Specific Control
//! (MDI/MDI-X crossover) and PHY Specific Status registers: the latter
//! gives the speed and duplex the PHY actually resolved, instead of
//! inferring them from what both ends advertised as the generic driver
//! does. The clause 22 registers and bits are the C core's
//! (`include/keel/phy.h`, through `kernel::net::phy::reg` and
//! `kernel::uapi`); the Marvell registers exist only here, as no C driver
//! uses them.
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::phy::{self, reg, DeviceId, DuplexMode};
use kernel::prelude::*;
use kernel::uapi;

kernel::module_phy_driver! {
    drivers: [PhyM88e1011],
    name: "m88e1011",
    author: "keel developers",
    description: "Marvell 88E1011 PHY",
    license: "MIT",
}

/// PHY Specific Control: bits 6:5 select MDI crossover.
const PHY_SPEC_CTRL: u16 = 0x10;
const MDIX_MASK: u16 = 0x3 << 5;
const MDIX_AUTO: u16 = 0x3 << 5;

/// PHY Specific Status.
const PHY_SPEC_STATUS: u16 = 0x11;
const STATUS_SPEED_MASK: u16 = 0x3 << 14;
const STATUS_SPEED_1000: u16 = 0x2 << 14;
const STATUS_SPEED_100: u16 = 0x1 << 14;
const STATUS_FULL_DUPLEX: u16 = 1 << 13;
const STATUS_RESOLVED: u16 = 1 << 11;

struct PhyM88e1011;

#[vtable]
impl phy::Driver for PhyM88e1011 {
    const NAME: &'static CStr = c"Marvell 88E1011";
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_model_mask(0x01410c20);

    fn soft_reset(dev: &mut phy::Device) -> Result {
        dev.genphy_soft_reset()
    }

    /// Automatic MDI/MDI-X crossover; the PHY applies it after a reset.
    fn config_init(dev: &mut phy::Device) -> Result {
        dev.modify(PHY_SPEC_CTRL, MDIX_MASK, MDIX_AUTO)?;
        dev.genphy_soft_reset()
    }

    fn config_aneg(dev: &mut phy::Device) -> Result {
        dev.genphy_config_aneg()
    }

    fn aneg_done(dev: &mut phy::Device) -> Result<bool> {
        Ok(dev.read(reg::BMSR)? & uapi::BMSR_ANEGCOMPLETE as u16 != 0)
    }

    /// Link from BMSR; speed and duplex from what the PHY resolved.
    fn read_status(dev: &mut phy::Device) -> Result {
        dev.genphy_update_link()?;
        dev.set_speed(0);
        dev.set_duplex(DuplexMode::Unknown);
        if !dev.is_link_up() {
            return Ok(());
        }
        let status = dev.read(PHY_SPEC_STATUS)?;
        if status & STATUS_RESOLVED == 0 {
            return Ok(()); // link, but speed/duplex not settled yet
        }
        dev.set_speed(match status & STATUS_SPEED_MASK {
            STATUS_SPEED_1000 => 1000,
            STATUS_SPEED_100 => 100,
            _ => 10,
        });
        dev.set_duplex(if status & STATUS_FULL_DUPLEX != 0 {
            DuplexMode::Full
        } else {
            DuplexMode::Half
        });
        Ok(())
    }

    fn suspend(dev: &mut phy::Device) -> Result {
        dev.genphy_suspend()
    }

    fn resume(dev: &mut phy::Device) -> Result {
        dev.genphy_resume()
    }
}
