// expect: E0277
// class: a lock guard sent into interrupt context (held across the handler boundary)
// c-bug: spin_lock() in process context and spin_unlock() in the IRQ handler (or the reverse)
// rule: `SpinLockGuard` is `!Send` and `!Sync`, and `irq::Handler` requires `Send + Sync`
//! Compile-fail case: the handler holds a guard that process context took.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::{Handler, IrqReturn};
use kernel::sync::{SpinLock, SpinLockGuard};

/// The device configuration.
pub static CONFIG: SpinLock<u32> = SpinLock::new(0);

/// Reads the configuration through a guard taken at probe time.
pub struct CfgIrq {
    cfg: SpinLockGuard<'static, u32>,
}

impl Handler for CfgIrq {
    fn handle_irq(&self) -> IrqReturn {
        if *self.cfg == 0 {
            return IrqReturn::None;
        }
        IrqReturn::Handled
    }
}

/// The handler's state, locked here in process context.
pub fn cfg_irq() -> CfgIrq {
    CfgIrq { cfg: CONFIG.lock() }
}
