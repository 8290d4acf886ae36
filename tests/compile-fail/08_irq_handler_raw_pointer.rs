// expect: E0277
// class: an interrupt handler holding a raw pointer to driver state
// c-bug: dev_id pointing at state that process context frees or writes without a lock
// rule: `irq::Handler: Send + Sync`; raw pointers are neither, so the handler must own or share its state safely
//! Compile-fail case: a handler that remembers where the RX count lives, C style.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::{Handler, IrqReturn};

/// The RX interrupt: knows where the driver keeps its count.
pub struct RxIrq {
    count: *mut u64,
}

impl Handler for RxIrq {
    fn handle_irq(&self) -> IrqReturn {
        if self.count.is_null() {
            return IrqReturn::None;
        }
        IrqReturn::Handled
    }
}
