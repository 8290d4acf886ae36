// expect: E0499
// class: two `&mut` to the transmit state (lock recursion)
// c-bug: the poll calls netif_receive_skb() while holding netif_tx_lock(); the stack answers the frame (ARP, ICMP) through ndo_start_xmit, which takes the same transmit lock again
// rule: `PollContext::lock_tx` borrows the poll context mutably for the guard's life, and `PollContext::receive` needs it mutably too
//! Compile-fail case: the poll passes a frame up while it holds the
//! transmit lock to reclaim the transmit ring.
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
    if let Some(skb) = dev.alloc_skb(60) {
        ctx.receive(skb);
    }
    drop(tx);
    1
}
