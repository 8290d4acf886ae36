// twin of 02_kbox_double_free.rs: the error path returns; one drop each way.
//! Passing twin: the request is dropped exactly once on every path.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Handles a request of `len` bytes; too long is `EINVAL`.
pub fn handle(len: usize) -> Result {
    let req = KBox::new([0u8; 32], GFP_KERNEL)?;
    if len > req.len() {
        drop(req);
        return Err(EINVAL);
    }
    drop(req);
    Ok(())
}
