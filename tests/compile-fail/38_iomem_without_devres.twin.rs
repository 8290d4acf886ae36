// twin of 38_iomem_without_devres.rs: a Devres handle in the static.
//! Passing twin: the static holds a Devres; after the binding ended the
//! access is refused.
#![no_std]
#![forbid(unsafe_code)]

use kernel::devres::Devres;
use kernel::io::IoMem;
use kernel::pci;
use kernel::prelude::*;
use kernel::sync::SpinLock;

/// The registers, for the timer callback.
static REGS: SpinLock<Option<Devres<IoMem<4096>>>> = SpinLock::new(None);

/// From probe: maps BAR 0 and publishes it.
pub fn map(dev: &pci::Device) -> Result {
    let regs: Devres<IoMem<4096>> = dev.iomap_bar(0)?;
    *REGS.lock() = Some(regs);
    Ok(())
}

/// From a timer, maybe long after remove(): ENXIO then.
pub fn kick() -> Result {
    match REGS.lock().as_ref() {
        Some(regs) => regs.access(|r| r.write32::<0x10>(1)),
        None => Err(ENODEV),
    }
}
