// twin of 36_pod_struct_unaligned_in_ring.rs: no packing; an explicit
// reserved byte makes the natural layout padding-free.
//! Passing twin: 4-byte entries, `len` at byte 0 of each.
#![no_std]
#![forbid(unsafe_code)]

use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A tiny status descriptor.
    pub struct Status {
        /// Bytes received.
        pub len: u16,
        /// Status bits.
        pub bits: u8,
        /// Reserved.
        pub rsvd: u8,
    }
}

/// The length in entry 1.
pub fn len_of_entry_1() -> Option<u16> {
    let ring = Ring::<Status, 4>::new(GFP_KERNEL).ok()?;
    Some(ring.read(RingIndex::ZERO.next()).len)
}
