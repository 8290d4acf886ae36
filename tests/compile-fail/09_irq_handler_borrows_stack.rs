// expect: E0597
// class: an interrupt handler given a reference to a stack variable
// c-bug: request_irq(irq, handler, name, &local) in a function that returns: the handler writes into a dead stack frame
// rule: `irq::Handler: 'static`, so handler state is owned or `'static`; a borrow of a local is not
//! Compile-fail case: the interrupt count lives on the probe function's stack.
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

/// Installs the counter on `irq`; the registration outlives this call.
pub fn probe(irq: u32) -> Result<Registration<Counter>> {
    let hits = AtomicU64::new(0);
    Registration::new(irq, Counter { hits: &hits }, c"counter", GFP_KERNEL)
}
