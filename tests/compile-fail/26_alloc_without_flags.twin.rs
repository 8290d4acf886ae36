// twin of 26_alloc_without_flags.rs: the flags are spelled out.
//! Passing twin: the allocation says it may sleep.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Allocates a zeroed 256-byte buffer (process context: may sleep).
pub fn alloc_buf() -> Result<KBox<[u8; 256]>> {
    KBox::new([0; 256], GFP_KERNEL)
}
