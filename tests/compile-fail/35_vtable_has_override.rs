// expect: E0080
// class: an operations table entry for a callback the driver does not have
// c-bug: ops->suspend set to a stub that pretends to succeed or fails in a way the core does not expect, instead of NULL (the core's generic path)
// rule: `#[vtable]` on an impl computes every `HAS_*` constant (and `USE_VTABLE_ATTR`) from the methods the impl defines and refuses an impl that writes one of them itself
//! Compile-fail case: a PHY driver claims `suspend` without writing it,
//! so phylib would call the trait's default instead of its generic code.
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::phy::{self, DeviceId};
use kernel::prelude::*;

/// The driver.
pub struct Phy;

#[vtable]
impl phy::Driver for Phy {
    const NAME: &'static CStr = c"claims suspend";
    const PHY_DEVICE_ID: DeviceId = DeviceId::new_with_model_mask(0x01410c20);
    const HAS_SUSPEND: bool = true;

    fn soft_reset(dev: &mut phy::Device) -> Result {
        dev.genphy_soft_reset()
    }
}

/// The table phylib would get.
pub static DRIVER: phy::DriverVTable = phy::create_phy_driver::<Phy>();
