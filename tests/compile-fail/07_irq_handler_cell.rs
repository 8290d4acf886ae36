// expect: E0277
// class: sharing a non-`Sync` object (`Cell`) with an interrupt handler
// c-bug: an IRQ handler and process context both doing dev->hits++ with no lock: lost updates
// rule: `irq::Handler: Send + Sync + 'static`; `Cell<T>` is not `Sync`
//! Compile-fail case: an interrupt counter kept in a plain `Cell`.
#![no_std]
#![forbid(unsafe_code)]

use core::cell::Cell;
use kernel::irq::{Handler, IrqReturn};

/// Counts interrupts; process context reads the count through
/// `Registration::handler()` while the handler may run on another CPU.
pub struct Counter {
    hits: Cell<u64>,
}

impl Handler for Counter {
    fn handle_irq(&self) -> IrqReturn {
        self.hits.set(self.hits.get() + 1);
        IrqReturn::Handled
    }
}
