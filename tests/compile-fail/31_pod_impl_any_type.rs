// expect: E0433
// class: declaring a type with invalid bit patterns plain-old-data
// c-bug: a descriptor field read from device memory as a pointer or an enum: whatever the device wrote is used as a valid pointer / variant
// rule: `Pod` is implemented only by `pod_struct!`, which declares the struct itself and checks every field; there is no hidden macro that implements `Pod` for a type of the caller's choosing
//! Compile-fail case: a driver marks a `NonZeroU64` wrapper `Pod` with
//! the kernel's hidden helper macro; a zeroed DMA ring
//! (`Ring::<Desc, 4>::new(..).read(..)`) would then yield a zero
//! `NonZeroU64`.
#![no_std]
#![forbid(unsafe_code)]

use core::num::NonZeroU64;

/// A descriptor whose buffer address "is never zero".
#[derive(Clone, Copy)]
pub struct Desc {
    /// The buffer's device address.
    pub addr: NonZeroU64,
}

kernel::__pod_impl!(Desc);
