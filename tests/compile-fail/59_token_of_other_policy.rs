// expect: E0308
// class: a task token of one policy queued by another policy
// c-bug: policy B links into its own list, through p->se.node, a task whose hand-over policy A kept in a static: after the switch from A to B that node is B's own entry (or A's list still links it), and two lists share one node
// rule: `TaskToken<P>` and `TaskQueue<P>` are branded by the policy: a `TaskQueue<B>` takes only a `TaskToken<B>`, which only B's callbacks receive (and at run time a token works only inside its own policy's callbacks)
//! Compile-fail case: policy A kept a token in a static; policy B's
//! callback queues it on B's own queue.
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
/// B's queues.
pub static B_QUEUES: PerCpu<B, TaskQueue<B>> = kernel::per_cpu!(TaskQueue::new());

/// A callback of B, with the proof B's callbacks receive.
pub fn b_requeue_kept(rq: &Rq<'_>, lock: &mut RqLock<'_, B>) {
    if let Some(t) = A_KEPT.lock().take() {
        let _ = B_QUEUES.get_mut(rq, lock).push_back(t);
    }
}
