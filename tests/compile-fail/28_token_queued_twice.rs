// expect: E0382
// class: one task put on two run queues
// c-bug: list_add(&p->se.node, &rq1->queue) while p is still on rq0's list: both lists now share a node, and unlinking it from one corrupts the other
// rule: `TaskQueue::push_back` takes the `TaskToken` by value, and a token is neither `Copy` nor `Clone`: once queued, the task is the queue's
//! Compile-fail case: a policy queues a woken task locally and, as a
//! "hint", on the queue of a second CPU too.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{TaskQueue, TaskToken};

/// Queues `t` here, and on `spare` as well.
pub fn queue_with_hint<P>(here: &mut TaskQueue<P>, spare: &mut TaskQueue<P>, t: TaskToken<P>) {
    let _ = here.push_back(t);
    let _ = spare.push_back(t);
}
