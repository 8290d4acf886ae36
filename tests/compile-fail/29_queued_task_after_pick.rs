// expect: E0502
// class: a queued task's data read after it was taken off the queue
// c-bug: p = list_first_entry(...); list_del(&p->se.node); ... reading p->se after the task was handed on and may run (or exit) elsewhere
// rule: what `TaskQueue::front` returns borrows the queue; taking a task out needs `&mut TaskQueue`, so the borrow must end first
//! Compile-fail case: pick the first task, then read the vruntime of the
//! entry seen before the pick.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{TaskQueue, TaskToken};

/// Takes the first task out; also returns its vruntime.
pub fn pick<P>(q: &mut TaskQueue<P>) -> Option<(TaskToken<P>, i64)> {
    let (_, data) = q.front()?;
    let t = q.remove_at(0)?;
    Some((t, data.vruntime()))
}
