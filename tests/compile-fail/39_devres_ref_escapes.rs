// expect: E0521
// class: register reference kept past its access
// c-bug: a driver caches `void __iomem *regs` from a resource it no longer holds and reads through it after the resource was released
// rule: `Devres::access` lends `&T` to a closure only (`impl FnOnce(&T) -> R`, for any lifetime): the reference cannot be stored outside it, so every use is inside an access that revocation waits for
//! Compile-fail case: the mapping's reference is smuggled out of access.
#![no_std]
#![forbid(unsafe_code)]

use kernel::devres::Devres;
use kernel::io::IoMem;
use kernel::prelude::*;

/// Reads STATUS, "saving" an access.
pub fn status(regs: &Devres<IoMem<16>>) -> Result<u32> {
    let mut mmio = None;
    regs.access(|m| mmio = Some(m))?;
    Ok(mmio.map_or(0, |m| m.read32::<4>()))
}
