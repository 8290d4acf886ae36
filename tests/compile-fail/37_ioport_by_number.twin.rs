// twin of 37_ioport_by_number.rs: the ports of the device's own I/O BAR.
//! Passing twin: the reset register in the device's I/O BAR 4.
#![no_std]
#![forbid(unsafe_code)]

use kernel::devres::Devres;
use kernel::io::IoPorts;
use kernel::pci;
use kernel::prelude::*;

/// Claims BAR 4's eight ports and resets the device through port 0.
pub fn reset(dev: &pci::Device) -> Result<Devres<IoPorts<8>>> {
    let ports = dev.request_io_bar::<8>(4, c"mydev")?;
    ports.access(|p| p.outb::<0>(0x80))?;
    Ok(ports)
}
