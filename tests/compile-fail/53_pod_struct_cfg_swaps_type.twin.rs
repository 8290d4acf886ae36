// twin of 53_pod_struct_cfg_swaps_type.rs: the descriptor is the one
// pod_struct! declares; the driver checks the address when it reads it.
//! Passing twin: a plain `u64` address, turned into a `NonZeroU64` by
//! the driver.
#![no_std]
#![forbid(unsafe_code)]

use core::num::NonZeroU64;
use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// The descriptor as the device sees it.
    pub struct Desc {
        /// Buffer address.
        pub addr: u64,
    }
}

/// The address in entry 0 of a fresh (zeroed) ring, if not zero.
pub fn first() -> Option<NonZeroU64> {
    let ring = Ring::<Desc, 4>::new(GFP_KERNEL).ok()?;
    NonZeroU64::new(ring.read(RingIndex::ZERO).addr)
}
