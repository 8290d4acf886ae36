// twin of 35_vtable_has_override.rs: the driver writes `suspend`, and
// #[vtable] sets HAS_SUSPEND from that.
//! Passing twin: `suspend` is implemented.
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::phy::{self, DeviceId};
use kernel::prelude::*;

/// The driver.
pub struct Phy;

#[vtable]
impl phy::Driver for Phy {
    const NAME: &'static CStr = c"has suspend";
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_model_mask(0x01410c20);

    fn soft_reset(dev: &mut phy::Device) -> Result {
        dev.genphy_soft_reset()
    }

    fn suspend(dev: &mut phy::Device) -> Result {
        dev.genphy_soft_reset()
    }
}

/// The table phylib would get.
pub static DRIVER: phy::DriverVTable = phy::create_phy_driver::<Phy>();
