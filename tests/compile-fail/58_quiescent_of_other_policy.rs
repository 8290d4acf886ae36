// expect: E0308
// class: one policy's init/exit touching every CPU's state of another, live policy
// c-bug: policy B's exit() walks a per-CPU array it shares with policy A and frees A's queues while A's callbacks run on other CPUs
// rule: `PerCpu::for_each_mut` of a `PerCpu<A, _>` takes only a `Quiescent<A>`, which only A's init and exit receive (the policy brand)
//! Compile-fail case: policy B's `exit` empties policy A's queues with
//! B's quiescence proof; A may be the active policy at that moment.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{PerCpu, Quiescent, TaskQueue};

/// Policy A.
pub struct A;
/// Policy B.
pub struct B;

/// A's queues.
pub static A_QUEUES: PerCpu<A, TaskQueue<A>> = kernel::per_cpu!(TaskQueue::new());

/// B's exit.
pub fn b_exit(q: &mut Quiescent<B>) {
    A_QUEUES.for_each_mut(q, |queue| *queue = TaskQueue::new());
}
