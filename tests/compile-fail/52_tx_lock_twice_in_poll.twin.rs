// twin of 52_tx_lock_twice_in_poll.rs: one guard, used for both.
//! Passing twin: the ring is reclaimed under the one guard.
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::PollContext;

/// The transmit ring's state.
#[derive(Default)]
pub struct Tx {
    /// Next descriptor to use.
    pub next: usize,
    /// Descriptors reclaimed.
    pub clean: usize,
}

/// The body of a `poll` callback.
pub fn poll(ctx: &mut PollContext<'_, Tx>) -> usize {
    let mut tx = ctx.lock_tx();
    tx.clean = tx.next;
    tx.next += 1;
    0
}
