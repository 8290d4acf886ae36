// expect: E0382
// class: double free of a `KBox`
// c-bug: double kfree(): an error path frees a request and the common exit frees it again
// rule: freeing a `KBox` is dropping it, and `drop` takes it by value: the second drop uses a moved value
//! Compile-fail case: a request dropped on the error path and again at the end.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Handles a request of `len` bytes; too long is `EINVAL`.
pub fn handle(len: usize) -> Result {
    let req = KBox::new([0u8; 32], GFP_KERNEL)?;
    let mut ret = Ok(());
    if len > req.len() {
        drop(req);
        ret = Err(EINVAL);
    }
    drop(req);
    ret
}
