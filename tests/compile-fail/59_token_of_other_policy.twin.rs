// twin of 59_token_of_other_policy.rs: B queues a token it kept itself.
//! Passing twin: a policy queues only its own tokens.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{PerCpu, Rq, RqLock, TaskQueue, TaskToken};
use kernel::sync::SpinLock;

/// Policy A.
pub struct A;
/// Policy B.
pub struct B;

/// A token policy A kept.
pub static A_KEPT: SpinLock<Option<TaskToken<A>>> = SpinLock::new(None);
/// A token policy B kept.
pub static B_KEPT: SpinLock<Option<TaskToken<B>>> = SpinLock::new(None);
/// B's queues.
pub static B_QUEUES: PerCpu<B, TaskQueue<B>> = kernel::per_cpu!(TaskQueue::new());

/// A callback of B, with the proof B's callbacks receive.
pub fn b_requeue_kept(rq: &Rq<'_>, lock: &mut RqLock<'_, B>) {
    if let Some(t) = B_KEPT.lock().take() {
        let _ = B_QUEUES.get_mut(rq, lock).push_back(t);
    }
}
