// expect: lint unused_must_use
// class: ignoring a failed allocation (a push that could not grow the vector)
// c-bug: krealloc()'s result not checked: the element is silently lost (or the old buffer leaked)
// rule: `KVec::push` returns a `#[must_use]` `Result`; driver crates build with `-D warnings`
//! Compile-fail case: an event queued with its allocation failure ignored.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Queues an event from interrupt context.
pub fn queue_event(events: &mut KVec<u32>, ev: u32) {
    events.push(ev, GFP_ATOMIC);
}
