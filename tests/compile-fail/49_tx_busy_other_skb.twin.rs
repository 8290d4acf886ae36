// twin of 49_tx_busy_other_skb.rs: the very frame is handed back.
//! Passing twin: on a full ring the driver gives back the frame it got.
#![no_std]
#![forbid(unsafe_code)]

use kernel::net::{Device, TxOutcome, TxSkb};

/// The body of a `start_xmit` whose ring is full.
pub fn ring_full<'a>(dev: &Device, skb: TxSkb<'a>) -> TxOutcome<'a> {
    dev.stop_queue();
    TxOutcome::Busy(skb)
}
