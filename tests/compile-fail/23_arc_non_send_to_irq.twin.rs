// twin of 23_arc_non_send_to_irq.rs: Arc<SpinLock<_>>, locked with IRQs off by process context.
//! Passing twin: the shared count is an `Arc<SpinLock<_>>`.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::{Handler, IrqReturn};
use kernel::sync::{Arc, SpinLock};

/// Counts interrupts into a count the driver also holds.
pub struct Ticks {
    count: Arc<SpinLock<u64>>,
}

impl Handler for Ticks {
    fn handle_irq(&self) -> IrqReturn {
        *self.count.lock() += 1;
        IrqReturn::Handled
    }
}

/// Reads the count from process context, interrupts off while locked.
pub fn ticks(count: &Arc<SpinLock<u64>>) -> u64 {
    *count.lock_irqsave()
}
