// twin of 32_pod_struct_packed.rs: the same fields in natural order,
// no repr of the driver's own.
//! Passing twin: the `u64` first, then the length and explicit padding.
#![no_std]
#![forbid(unsafe_code)]

use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A receive descriptor in its natural layout.
    pub struct RxDesc {
        /// The buffer's device address.
        pub addr: u64,
        /// Length of the frame.
        pub len: u16,
        /// Reserved.
        pub pad: [u16; 3],
    }
}

/// The buffer address of entry 1.
pub fn addr_of_entry_1() -> Option<u64> {
    let ring = Ring::<RxDesc, 4>::new(GFP_KERNEL).ok()?;
    Some(ring.read(RingIndex::ZERO.next()).addr)
}
