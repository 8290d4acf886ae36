// expect: E0080
// class: a descriptor whose fields are misaligned in every other ring entry
// c-bug: a 3-byte __packed descriptor in an array: entry 1's u16 sits at byte 3, an unaligned access the type promises never happens
// rule: `pod_struct!` checks the layout itself, whatever attributes got through: each field's offset and the struct's alignment are multiples of the field's alignment, so every field is aligned in every element
//! Compile-fail case: `repr(packed)` slipped in through `cfg_attr`; the
//! struct has no padding (2 + 1 bytes) and both offsets are aligned, but
//! its alignment is 1, so in a ring entry 1's `len` is at byte 3.
#![no_std]
#![forbid(unsafe_code)]

use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A tiny status descriptor.
    #[cfg_attr(all(), repr(packed))]
    pub struct Status {
        /// Bytes received.
        pub len: u16,
        /// Status bits.
        pub bits: u8,
    }
}

/// The length in entry 1.
pub fn len_of_entry_1() -> Option<u16> {
    let ring = Ring::<Status, 4>::new(GFP_KERNEL).ok()?;
    Some(ring.read(RingIndex::ZERO.next()).len)
}
