// twin of 29_queued_task_after_pick.rs: read through the token taken out.
//! Passing twin: the vruntime is read from the token, which the caller
//! now owns.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{TaskQueue, TaskToken};

/// Takes the first task out; also returns its vruntime.
pub fn pick<P>(q: &mut TaskQueue<P>) -> Option<(TaskToken<P>, i64)> {
    let t = q.remove_at(0)?;
    let v = t.data_ref().vruntime();
    Some((t, v))
}
