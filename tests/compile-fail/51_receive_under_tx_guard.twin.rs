// twin of 51_receive_under_tx_guard.rs: the guard is dropped before the frame goes up.
//! Passing twin: reclaim under the lock, then pass frames up.
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::{Device, PollContext};

/// The transmit ring's state.
#[derive(Default)]
pub struct Tx {
    /// Descriptors reclaimed.
    pub clean: usize,
}

/// The body of a `poll` callback.
pub fn poll(dev: &Device, ctx: &mut PollContext<'_, Tx>) -> usize {
    let mut tx = ctx.lock_tx();
    tx.clean += 1;
    drop(tx);
    if let Some(skb) = dev.alloc_skb(60) {
        ctx.receive(skb);
    }
    1
}
