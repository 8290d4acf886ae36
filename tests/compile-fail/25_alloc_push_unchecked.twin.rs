// twin of 25_alloc_push_unchecked.rs: return the Result.
//! Passing twin: the failure is passed to the caller.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Queues an event from interrupt context; `ENOMEM` if it did not fit.
pub fn queue_event(events: &mut KVec<u32>, ev: u32) -> Result {
    events.push(ev, GFP_ATOMIC)
}
