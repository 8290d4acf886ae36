// twin of 08_irq_handler_raw_pointer.rs: share the count through an Arc.
//! Passing twin: the handler shares the count through `Arc<SpinLock<_>>`.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::{Handler, IrqReturn};
use kernel::sync::{Arc, SpinLock};

/// The RX interrupt: shares the driver's count.
pub struct RxIrq {
    count: Arc<SpinLock<u64>>,
}

impl Handler for RxIrq {
    fn handle_irq(&self) -> IrqReturn {
        *self.count.lock() += 1;
        IrqReturn::Handled
    }
}
