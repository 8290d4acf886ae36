// twin of 06_kvec_ref_across_push.rs: copy the head before pushing.
//! Passing twin: the head is copied out before the push.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Queues `id` and returns the id at the head of the queue (`ENOENT`
/// if the queue was empty).
pub fn enqueue(queue: &mut KVec<u32>, id: u32) -> Result<u32> {
    let head = *queue.first().ok_or(ENOENT)?;
    queue.push(id, GFP_KERNEL)?;
    Ok(head)
}
