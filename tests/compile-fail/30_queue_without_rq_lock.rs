// expect: E0423
// class: a run queue changed without its runqueue lock
// c-bug: select_cpu() (only p->pi_lock held) taking a task off another CPU's fair_rq list while that CPU picks from it
// rule: `PerCpu::get_mut` demands the `RqLock` proof that only the core's callback trampolines can make (its field is private)
//! Compile-fail case: a policy's `select_cpu` steals a waiting task from
//! the previous CPU's queue, with no runqueue lock held.
#![no_std]
#![forbid(unsafe_code)]

use core::marker::PhantomData;
use kernel::sched::{PerCpu, Rq, RqLock, TaskQueue, TaskToken};

/// The policy the queues belong to.
pub struct Mine;

/// Each CPU's queue.
pub static QUEUES: PerCpu<Mine, TaskQueue<Mine>> = kernel::per_cpu!(TaskQueue::new());

/// Takes the first task waiting on `rq`.
pub fn steal(rq: &Rq<'_>) -> Option<TaskToken<Mine>> {
    let mut lock = RqLock(PhantomData);
    QUEUES.get_mut(rq, &mut lock).remove_at(0)
}
