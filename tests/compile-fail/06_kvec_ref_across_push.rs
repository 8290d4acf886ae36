// expect: E0502
// class: a reference into a `KVec` kept across a push that may reallocate
// c-bug: a pointer into an array kept across krealloc(), which may move (and free) the array
// rule: `push` needs `&mut KVec`, which cannot coexist with a shared borrow of an element
//! Compile-fail case: the head of a queue read after a push that may move it.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// Queues `id` and returns the id at the head of the queue (`ENOENT`
/// if the queue was empty).
pub fn enqueue(queue: &mut KVec<u32>, id: u32) -> Result<u32> {
    let head = queue.first().ok_or(ENOENT)?;
    queue.push(id, GFP_KERNEL)?;
    Ok(*head)
}
