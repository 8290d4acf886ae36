// expect: E0499
// class: two `&mut` to the transmit state (lock recursion)
// c-bug: a poll helper takes netif_tx_lock() while its caller already holds it (a self-deadlock, or with a recursion-tolerant lock two writers of the ring)
// rule: `PollContext::lock_tx` takes `&mut self`: while one `TxGuard` lives the context cannot be locked again
//! Compile-fail case: the poll reclaims the transmit ring in a helper
//! that locks it again under its caller's guard.
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
    let mut outer = ctx.lock_tx();
    let mut inner = ctx.lock_tx();
    inner.clean = outer.next;
    outer.next += 1;
    0
}
