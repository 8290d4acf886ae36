// twin of 57_percpu_of_other_policy.rs: B picks from its own queues.
//! Passing twin: each policy reaches only its own per-CPU state.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{PerCpu, Rq, RqLock, TaskQueue, TaskToken};

/// Policy A.
pub struct A;
/// Policy B.
pub struct B;

/// A's queues.
pub static A_QUEUES: PerCpu<A, TaskQueue<A>> = kernel::per_cpu!(TaskQueue::new());
/// B's queues.
pub static B_QUEUES: PerCpu<B, TaskQueue<B>> = kernel::per_cpu!(TaskQueue::new());

/// B's pick_next, with the proof B's callbacks receive.
pub fn b_pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, B>) -> Option<TaskToken<B>> {
    B_QUEUES.get_mut(rq, lock).remove_at(0)
}
