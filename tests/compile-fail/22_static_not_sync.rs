// expect: E0277
// class: data race on a global of a non-thread-safe type
// c-bug: a global "last seen" value written by one CPU while another reads it, with no lock
// rule: a `static` must be `Sync`; `Cell<T>` is not
//! Compile-fail case: a global kept in a `Cell`.
#![no_std]
#![forbid(unsafe_code)]

use core::cell::Cell;

/// The last link state reported by the PHY.
static LINK: Cell<u32> = Cell::new(0);

/// Records a link change (from the PHY interrupt, on any CPU).
pub fn link_changed(state: u32) {
    LINK.set(state);
}
