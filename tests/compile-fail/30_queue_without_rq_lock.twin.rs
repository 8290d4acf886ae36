// twin of 30_queue_without_rq_lock.rs: under the lock a callback is given.
//! Passing twin: the queue is reached with the proof a locked callback
//! (pick_next, balance...) receives.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{PerCpu, Rq, RqLock, TaskQueue, TaskToken};

/// The policy the queues belong to.
pub struct Mine;

/// Each CPU's queue.
pub static QUEUES: PerCpu<Mine, TaskQueue<Mine>> = kernel::per_cpu!(TaskQueue::new());

/// Takes the first task waiting on `rq`, whose lock the caller holds.
pub fn steal(rq: &Rq<'_>, lock: &mut RqLock<'_, Mine>) -> Option<TaskToken<Mine>> {
    QUEUES.get_mut(rq, lock).remove_at(0)
}
