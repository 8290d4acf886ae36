// expect: E0080
// class: misaligned descriptor fields in DMA memory
// c-bug: a __packed descriptor whose u64 address sits at offset 2: split, non-atomic accesses the device can tear
// rule: `pod_struct!` sets the layout itself (`repr(C)`): a `#[repr(...)]` of the caller's is refused, and every field is checked at compile time to sit at its natural alignment
//! Compile-fail case: a packed descriptor whose `u64` lands at offset 2,
//! read with a volatile load that the type claims is aligned.
#![no_std]
#![forbid(unsafe_code)]

use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A receive descriptor, packed as the datasheet draws it.
    #[repr(packed)]
    pub struct RxDesc {
        /// Length of the frame.
        pub len: u16,
        /// The buffer's device address.
        pub addr: u64,
    }
}

/// The buffer address of entry 1.
pub fn addr_of_entry_1() -> Option<u64> {
    let ring = Ring::<RxDesc, 4>::new(GFP_KERNEL).ok()?;
    Some(ring.read(RingIndex::ZERO.next()).addr)
}
