// twin of 50_receive_outside_poll.rs: the interrupt schedules the poll, the poll passes the frame up.
//! Passing twin: frames go up from the poll, through its context.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::IrqReturn;
use kernel::net::{Device, Napi, PollContext};

/// The body of an `interrupt` callback.
pub fn interrupt(_dev: &Device, napi: &Napi) -> IrqReturn {
    napi.schedule();
    IrqReturn::Handled
}

/// The body of a `poll` callback.
pub fn poll(dev: &Device, ctx: &mut PollContext<'_, ()>, napi: &Napi) -> usize {
    if let Some(skb) = dev.alloc_skb(60) {
        ctx.receive(skb);
    }
    napi.complete_done(1);
    1
}
