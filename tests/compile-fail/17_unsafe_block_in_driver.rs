// expect: lint unsafe_code
// class: `unsafe` in a driver crate
// c-bug: any raw pointer use in a driver: a wrong cast or a stale pointer corrupts kernel memory
// rule: driver crates carry `#![forbid(unsafe_code)]`; only the `kernel` crate may argue for `unsafe`
//! Compile-fail case: a driver takes back a raw buffer pointer itself.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Takes back a buffer that C handed over as a raw pointer.
pub fn reclaim(raw: *mut [u8; 64]) -> KBox<[u8; 64]> {
    unsafe { KBox::from_raw(raw) }
}
