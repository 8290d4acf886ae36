// expect: E0080
// class: out-of-bounds constant MMIO offset
// c-bug: readl(base + 0x10) on a 16-byte register window: reads (or writes) another device's registers
// rule: `Mmio<SIZE>::read32::<OFF>()` checks that bytes `OFF..OFF+4` lie inside the `SIZE`-byte region in a const block, evaluated when the call is compiled
//! Compile-fail case: the status register read one register past the window.
#![no_std]
#![forbid(unsafe_code)]

use kernel::io::Mmio;

/// The device's registers: CTRL 0x0, STATUS 0x4, DATA 0x8, IRQ 0xc.
pub type Regs = Mmio<16>;

/// Reads STATUS (the offset was copied from the wrong table).
pub fn status(regs: &Regs) -> u32 {
    regs.read32::<0x10>()
}
