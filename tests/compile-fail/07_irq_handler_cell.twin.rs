// twin of 07_irq_handler_cell.rs: an atomic counter.
//! Passing twin: the interrupt counter is an atomic.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU64, Ordering};
use kernel::irq::{Handler, IrqReturn};

/// Counts interrupts; process context reads the count through
/// `Registration::handler()` while the handler may run on another CPU.
pub struct Counter {
    hits: AtomicU64,
}

impl Handler for Counter {
    fn handle_irq(&self) -> IrqReturn {
        self.hits.fetch_add(1, Ordering::Relaxed);
        IrqReturn::Handled
    }
}
