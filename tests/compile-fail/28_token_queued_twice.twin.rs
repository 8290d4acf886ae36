// twin of 28_token_queued_twice.rs: one queue; the hint is a TaskId.
//! Passing twin: the task goes on one queue; the other CPU gets only its
//! identity, which gives no access to the task.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{TaskId, TaskQueue, TaskToken};

/// Queues `t` here and returns its identity as the hint.
pub fn queue_with_hint<P>(here: &mut TaskQueue<P>, t: TaskToken<P>) -> TaskId {
    let id = t.task().id();
    let _ = here.push_back(t);
    id
}
