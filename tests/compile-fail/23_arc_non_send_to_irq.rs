// expect: E0277
// class: an `Arc` of a non-thread-safe type shared with an interrupt handler
// c-bug: a refcounted object's plain counter bumped from the IRQ handler and from process context
// rule: `Arc<T>` is `Send`/`Sync` only when `T: Send + Sync`, and `irq::Handler` requires both
//! Compile-fail case: a shared `Arc<Cell<_>>` between a handler and its driver.
#![no_std]
#![forbid(unsafe_code)]

use core::cell::Cell;
use kernel::irq::{Handler, IrqReturn};
use kernel::sync::Arc;

/// Counts interrupts into a count the driver also holds.
pub struct Ticks {
    count: Arc<Cell<u64>>,
}

impl Handler for Ticks {
    fn handle_irq(&self) -> IrqReturn {
        self.count.set(self.count.get() + 1);
        IrqReturn::Handled
    }
}
