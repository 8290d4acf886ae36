// expect: E0308
// class: one policy's callback changing another policy's per-CPU state
// c-bug: two policies in one file share a static runqueue array; the inactive one's exit() frees its queues while the active one picks from them
// rule: `PerCpu<P, T>`, `RqLock<P>` and `Quiescent<P>` are branded by the policy: `get_mut` of a `PerCpu<A, _>` takes only an `RqLock<A>`, which only A's callbacks receive
//! Compile-fail case: policy B's `pick_next` takes a task from the
//! queues that belong to policy A (same crate).
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{PerCpu, Rq, RqLock, TaskQueue, TaskToken};

/// Policy A.
pub struct A;
/// Policy B.
pub struct B;

/// A's queues.
pub static A_QUEUES: PerCpu<A, TaskQueue<A>> = kernel::per_cpu!(TaskQueue::new());

/// B's pick_next, with the proof B's callbacks receive.
pub fn b_pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, B>) -> Option<TaskToken<B>> {
    A_QUEUES.get_mut(rq, lock).remove_at(0)
}
