// twin of 09_irq_handler_borrows_stack.rs: the count is a static.
//! Passing twin: the interrupt count is a static atomic.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU64, Ordering};
use kernel::irq::{Handler, IrqReturn, Registration};
use kernel::prelude::*;

/// Counts interrupts into a counter it does not own.
pub struct Counter {
    hits: &'static AtomicU64,
}

impl Handler for Counter {
    fn handle_irq(&self) -> IrqReturn {
        self.hits.fetch_add(1, Ordering::Relaxed);
        IrqReturn::Handled
    }
}

/// Interrupts seen since boot.
static HITS: AtomicU64 = AtomicU64::new(0);

/// Installs the counter on `irq`; the registration outlives this call.
pub fn probe(irq: u32) -> Result<Registration<Counter>> {
    Registration::new(irq, Counter { hits: &HITS }, c"counter", GFP_KERNEL)
}
