// expect: E0505
// class: a reference into a `KBox` used after the box is freed
// c-bug: use-after-free through an alias: p = &buf[0]; kfree(buf); return *p;
// rule: a reference borrows the `KBox`, and the box cannot be dropped (freed) while the borrow lives
//! Compile-fail case: a pointer into a buffer read after the buffer is freed.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Reads the first byte of a freshly filled buffer.
pub fn first_byte() -> Result<u8> {
    let buf = KBox::new([7u8; 16], GFP_KERNEL)?;
    let first = &buf[0];
    drop(buf);
    Ok(*first)
}
