// expect: E0308
// class: the core frees a frame the driver still holds (use-after-free / double free)
// c-bug: ndo_start_xmit keeps the skb it was given and returns NETDEV_TX_BUSY; the core frees the skb it passed, which the driver then sends from
// rule: `TxOutcome::Busy` takes only the `TxSkb<'a>` branded for this call; a frame kept with `into_skb` cannot be handed back, nor can any other
//! Compile-fail case: a driver keeps the frame it was given for later
//! and hands a different one back as "busy".
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::{Device, SkBuff, TxOutcome, TxSkb};

/// The frame put aside for when the ring has room.
#[derive(Default)]
pub struct Pending(pub Option<SkBuff>);

/// The body of a `start_xmit` whose ring is full.
pub fn ring_full<'a>(dev: &Device, pending: &mut Pending, skb: TxSkb<'a>) -> TxOutcome<'a> {
    pending.0 = Some(skb.into_skb());
    match dev.alloc_skb(60) {
        Some(other) => TxOutcome::Busy(other),
        None => TxOutcome::Ok,
    }
}
