// expect: E0725
// class: a driver switching on unstable (possibly unsound) compiler features
// c-bug: a driver built with its own compiler flags, outside the rules the rest of the kernel is checked by
// rule: driver crates build with `-Zallow-features=` (an empty list), so any `#![feature]` is refused
//! Compile-fail case: a driver opts into `specialization`, an incomplete
//! feature with known soundness holes (safe code could then cause UB).
#![no_std]
#![forbid(unsafe_code)]
#![allow(incomplete_features)]
#![feature(specialization)]

/// Describes a value.
pub trait Describe {
    /// A one-word description.
    fn describe(&self) -> &'static str {
        "value"
    }
}

impl Describe for u32 {}
