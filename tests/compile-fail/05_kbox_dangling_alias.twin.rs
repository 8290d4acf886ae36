// twin of 05_kbox_dangling_alias.rs: copy the byte, then free.
//! Passing twin: the byte is copied before the buffer is freed.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Reads the first byte of a freshly filled buffer.
pub fn first_byte() -> Result<u8> {
    let buf = KBox::new([7u8; 16], GFP_KERNEL)?;
    let first = buf[0];
    drop(buf);
    Ok(first)
}
