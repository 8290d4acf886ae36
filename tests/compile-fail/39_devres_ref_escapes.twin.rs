// twin of 39_devres_ref_escapes.rs: the read inside the access.
//! Passing twin: the register is read inside the access.
#![no_std]
#![forbid(unsafe_code)]

use kernel::devres::Devres;
use kernel::io::IoMem;
use kernel::prelude::*;

/// Reads STATUS.
pub fn status(regs: &Devres<IoMem<16>>) -> Result<u32> {
    regs.access(|m| m.read32::<4>())
}
