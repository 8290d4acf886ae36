// expect: E0308
// class: MMIO mapping outliving the device binding
// c-bug: a driver keeps its ioremap()ed BAR in a global; after remove() it still writes the registers of a device that another driver now owns, or an address that was iounmap()ed
// rule: `pci::Device::iomap_bar` returns `Devres<IoMem<SIZE>>`, never a bare `IoMem`: the mapping belongs to the binding, is revoked (waiting for accesses in progress, then unmapped) when it ends, and a kept handle gets `ENXIO`
//! Compile-fail case: the mapping is kept as a bare IoMem in a static.
#![no_std]
#![forbid(unsafe_code)]

use kernel::io::IoMem;
use kernel::pci;
use kernel::prelude::*;
use kernel::sync::SpinLock;

/// The registers, for the timer callback.
static REGS: SpinLock<Option<IoMem<4096>>> = SpinLock::new(None);

/// From probe: maps BAR 0 and publishes it.
pub fn map(dev: &pci::Device) -> Result {
    let regs: IoMem<4096> = dev.iomap_bar(0)?;
    *REGS.lock() = Some(regs);
    Ok(())
}

/// From a timer, maybe long after remove().
pub fn kick() {
    if let Some(regs) = REGS.lock().as_ref() {
        regs.write32::<0x10>(1);
    }
}
