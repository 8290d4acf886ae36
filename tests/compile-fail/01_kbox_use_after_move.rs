// expect: E0382
// class: use after move of a `KBox`
// c-bug: use-after-free: a buffer read after the call that took it and kfree()d it
// rule: `KBox<T>` owns its allocation and is not `Copy`: passing it by value moves it, and the old name is dead
//! Compile-fail case: a frame read after `transmit` took (and freed) it.
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
    transmit(frame);
    Ok(frame[0])
}
