// twin of 24_alloc_result_unchecked.rs: pass the Result on.
//! Passing twin: the failure is passed to the caller.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// A receive ring.
pub struct Ring {
    /// Buffer addresses.
    pub slots: [u64; 64],
}

/// Allocates an empty ring; `ENOMEM` when memory is short.
pub fn alloc_ring() -> Result<KBox<Ring>> {
    KBox::new(Ring { slots: [0; 64] }, GFP_KERNEL)
}
