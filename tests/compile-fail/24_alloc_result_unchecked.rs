// expect: E0308
// class: using an allocation without handling its failure
// c-bug: ring = kmalloc(...); ring->head = 0; with no NULL check: NULL dereference under memory pressure
// rule: `KBox::new` returns `Result<KBox<T>>`; a `Result` is not a `KBox`
//! Compile-fail case: the allocation's `Result` returned as if it were the box.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// A receive ring.
pub struct Ring {
    /// Buffer addresses.
    pub slots: [u64; 64],
}

/// Allocates an empty ring.
pub fn alloc_ring() -> KBox<Ring> {
    KBox::new(Ring { slots: [0; 64] }, GFP_KERNEL)
}
