// twin of 20_mmio_unaligned.rs: the aligned register.
//! Passing twin: IRQ at 0xc.
#![no_std]
#![forbid(unsafe_code)]

use kernel::io::Mmio;

/// The device's registers: CTRL 0x0, STATUS 0x4, DATA 0x8, IRQ 0xc.
pub type Regs = Mmio<16>;

/// Acknowledges interrupts.
pub fn ack(regs: &Regs) {
    regs.write32::<0xc>(1);
}
