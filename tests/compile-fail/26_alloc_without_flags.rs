// expect: E0061
// class: allocating without saying in which context (GFP flags)
// c-bug: a sleeping GFP_KERNEL allocation hidden inside a helper called with a spinlock held
// rule: every allocating call takes `Flags` explicitly; there is no default and no global allocator
//! Compile-fail case: an allocation with no GFP flags.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Allocates a zeroed 256-byte buffer.
pub fn alloc_buf() -> Result<KBox<[u8; 256]>> {
    KBox::new([0; 256])
}
