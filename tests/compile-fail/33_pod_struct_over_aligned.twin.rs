// twin of 33_pod_struct_over_aligned.rs: no repr(align); the ring's
// memory is page-aligned and each 8 KiB element starts on a page.
//! Passing twin: the context block without its own alignment.
#![no_std]
#![forbid(unsafe_code)]

use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A context block (8 KiB: every element of a ring starts on a page).
    pub struct Ctx {
        /// Words of context.
        pub words: [u64; 1024],
    }
}

/// The first word of context 1.
pub fn first_word() -> Option<u64> {
    let ring = Ring::<Ctx, 2>::new(GFP_KERNEL).ok()?;
    Some(ring.read(RingIndex::ZERO.next()).words[0])
}
