// twin of 19_mmio_out_of_bounds.rs: the right offset.
//! Passing twin: STATUS at 0x4.
#![no_std]
#![forbid(unsafe_code)]

use kernel::io::Mmio;

/// The device's registers: CTRL 0x0, STATUS 0x4, DATA 0x8, IRQ 0xc.
pub type Regs = Mmio<16>;

/// Reads STATUS.
pub fn status(regs: &Regs) -> u32 {
    regs.read32::<0x4>()
}
