// expect: E0080
// class: misaligned constant MMIO offset
// c-bug: writel(v, base + 6): a split 32-bit access that the device may ignore or misinterpret
// rule: `Mmio::write32::<OFF>()` checks that `OFF` is a multiple of 4 in a const block, evaluated when the call is compiled
//! Compile-fail case: a 32-bit register written at a 2-byte offset.
#![no_std]
#![forbid(unsafe_code)]

use kernel::io::Mmio;

/// The device's registers: CTRL 0x0, STATUS 0x4, DATA 0x8, IRQ 0xc.
pub type Regs = Mmio<16>;

/// Acknowledges interrupts (IRQ is 0xc, not 0x6).
pub fn ack(regs: &Regs) {
    regs.write32::<0x6>(1);
}
