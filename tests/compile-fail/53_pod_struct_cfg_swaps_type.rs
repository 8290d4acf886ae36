// expect: E0308
// class: a DMA descriptor type whose fields are not plain data, made `Pod` by a `pod_struct!` whose own struct was compiled out
// c-bug: a descriptor "checked" against one layout while the code uses another type of the same name (an #ifdef'd struct shadowed by a header's), so a zeroed ring holds values the type says cannot exist
// rule: `pod_struct!` checks the struct it implements `Pod` for: it destructures `$name` naming exactly the fields it declared and requires each field's type to be the declared (Pod) type, so a same-named type left when `#[cfg]` removes the declared struct is refused
//! Compile-fail case: `#[cfg(any())]` removes the struct `pod_struct!`
//! declares; `Desc` then names the driver's own struct, whose field is
//! a `NonZeroU64`, with the same size and offsets as the declared `u64`.
//! The layout checks pass and `Pod` is implemented for it, so a zeroed
//! ring hands out a zero `NonZeroU64` (and `Option<Desc>` is `None`).
#![no_std]
#![forbid(unsafe_code)]

use core::num::NonZeroU64;
use kernel::alloc::GFP_KERNEL;
use kernel::dma::{Ring, RingIndex};

/// The driver's own descriptor: the address may never be zero.
#[derive(Clone, Copy)]
pub struct Desc {
    /// Buffer address.
    pub addr: NonZeroU64,
}

kernel::pod_struct! {
    /// The descriptor as the device sees it; compiled out.
    #[cfg(any())]
    pub struct Desc {
        /// Buffer address.
        pub addr: u64,
    }
}

/// Entry 0 of a fresh (zeroed) ring.
pub fn first() -> Option<Desc> {
    let ring = Ring::<Desc, 4>::new(GFP_KERNEL).ok()?;
    Some(ring.read(RingIndex::ZERO))
}
