// twin of 58_quiescent_of_other_policy.rs: B's exit empties B's queues.
//! Passing twin: a policy's quiescence opens only its own state.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{PerCpu, Quiescent, TaskQueue};

/// Policy A.
pub struct A;
/// Policy B.
pub struct B;

/// A's queues.
pub static A_QUEUES: PerCpu<A, TaskQueue<A>> = kernel::per_cpu!(TaskQueue::new());
/// B's queues.
pub static B_QUEUES: PerCpu<B, TaskQueue<B>> = kernel::per_cpu!(TaskQueue::new());

/// B's exit.
pub fn b_exit(q: &mut Quiescent<B>) {
    B_QUEUES.for_each_mut(q, |queue| *queue = TaskQueue::new());
}
