// twin of 31_pod_impl_any_type.rs: the descriptor is declared with
// pod_struct! and the zero address is checked at run time.
//! Passing twin: `addr` is a `u64`; zero means "no buffer".
#![no_std]
#![forbid(unsafe_code)]

use core::num::NonZeroU64;
use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A descriptor; `addr` 0 means no buffer.
    pub struct Desc {
        /// The buffer's device address.
        pub addr: u64,
    }
}

/// The address in entry 0 of a freshly allocated (zeroed) ring.
pub fn first_addr() -> Option<NonZeroU64> {
    let ring = Ring::<Desc, 4>::new(GFP_KERNEL).ok()?;
    NonZeroU64::new(ring.read(RingIndex::ZERO).addr)
}
