// twin of 01_kbox_use_after_move.rs: read the frame before giving it away.
//! Passing twin: the type byte is read before `transmit` takes the frame.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Sends a frame; the buffer is freed once it is on the wire.
pub fn transmit(frame: KBox<[u8; 64]>) {
    drop(frame);
}

/// Builds an echo request, sends it and returns its type byte.
pub fn send_ping() -> Result<u8> {
    let mut frame = KBox::new([0u8; 64], GFP_KERNEL)?;
    frame[0] = 0x08;
    let kind = frame[0];
    transmit(frame);
    Ok(kind)
}
