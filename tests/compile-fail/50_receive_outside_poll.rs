// expect: E0599
// class: frames passed up from hard-IRQ context (or from start_xmit)
// c-bug: netif_receive_skb() called from the interrupt handler: the protocol stack runs in hard-IRQ context, and from ndo_start_xmit it re-enters the transmit path under its own lock
// rule: frames go up only through `PollContext::receive`, and only the NAPI poll trampoline makes a `PollContext`; `net::Device` has no `receive`
//! Compile-fail case: the interrupt handler passes a frame up itself
//! instead of scheduling the poll.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::IrqReturn;
use kernel::net::{Device, Napi};

/// The body of an `interrupt` callback.
pub fn interrupt(dev: &Device, _napi: &Napi) -> IrqReturn {
    if let Some(skb) = dev.alloc_skb(60) {
        dev.receive(skb);
    }
    IrqReturn::Handled
}
