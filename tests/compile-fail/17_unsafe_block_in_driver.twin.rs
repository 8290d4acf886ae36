// twin of 17_unsafe_block_in_driver.rs: keep ownership in a KBox.
//! Passing twin: the buffer stays a `KBox`, so there is nothing to reclaim.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Takes back a buffer lent out as a `KBox`.
pub fn reclaim(buf: KBox<[u8; 64]>) -> [u8; 64] {
    KBox::into_inner(buf)
}
