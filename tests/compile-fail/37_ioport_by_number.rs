// expect: E0624
// class: I/O ports claimed by raw number
// c-bug: a driver claims port 0x64 (nobody had registered it) and writes 0xfe: the 8042 pulses the CPU reset line and the machine reboots
// rule: `IoPorts::request` is private to the kernel crate; a driver gets ports only from its device's own I/O BAR (`pci::Device::request_io_bar`), through the C registry, which holds the ports the kernel drives (PICs, PIT, 8042, PCI configuration, COM1, ...) from boot
//! Compile-fail case: a driver asks for the keyboard controller's port.
#![no_std]
#![forbid(unsafe_code)]

use kernel::io::IoPorts;
use kernel::prelude::*;

/// "Resets the device" through the wrong port.
pub fn reset() -> Result {
    let kbc = IoPorts::<1>::request(0x64, c"mydev")?;
    kbc.outb::<0>(0xfe);
    Ok(())
}
