// twin of 10_guard_sent_to_irq.rs: the handler keeps the lock and locks it itself.
//! Passing twin: the handler holds the lock, and takes it when it runs.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::{Handler, IrqReturn};
use kernel::sync::SpinLock;

/// The device configuration.
pub static CONFIG: SpinLock<u32> = SpinLock::new(0);

/// Reads the configuration under its lock each time it runs.
pub struct CfgIrq {
    cfg: &'static SpinLock<u32>,
}

impl Handler for CfgIrq {
    fn handle_irq(&self) -> IrqReturn {
        if *self.cfg.lock() == 0 {
            return IrqReturn::None;
        }
        IrqReturn::Handled
    }
}

/// The handler's state.
pub fn cfg_irq() -> CfgIrq {
    CfgIrq { cfg: &CONFIG }
}
