// expect: E0080
// class: DMA element more aligned than the DMA allocation
// c-bug: a descriptor declared __aligned(8192) in memory that dma_alloc_coherent only page-aligns
// rule: `pod_struct!` refuses a `#[repr(align(N))]` of the caller's, and checks at compile time that the struct's alignment is at most the page alignment `dma_alloc_coherent` guarantees
//! Compile-fail case: an 8 KiB-aligned element in a ring whose memory is
//! only 4 KiB-aligned; `Ring::read` assumes every entry is aligned.
#![no_std]
#![forbid(unsafe_code)]

use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

kernel::pod_struct! {
    /// A context block the device wants 8 KiB-aligned.
    #[repr(align(8192))]
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
