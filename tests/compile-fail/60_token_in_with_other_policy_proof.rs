// expect: E0308
// class: a task token used without a run-time check under another policy's proof
// c-bug: a C policy reads p->se through a task pointer it kept from an earlier policy (or from another policy in the same file): after a switch that p->se belongs to the next policy, or the task is freed
// rule: the unchecked token operations (`data_in`, `split_in`, ...) take an `InPolicy<'_, P>` of the token's own policy `P`, made only from `P`'s `RqLock`/`Quiescent`
//! Compile-fail case: policy A kept a token in a static; policy B's
//! callback reads its data with B's proof, skipping the run-time check.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sched::{RqLock, TaskToken};
use kernel::sync::SpinLock;

/// Policy A.
pub struct A;
/// Policy B.
pub struct B;

/// A token policy A kept.
pub static A_KEPT: SpinLock<Option<TaskToken<A>>> = SpinLock::new(None);

/// A callback of B, with the proof B's callbacks receive.
pub fn b_reads_kept(lock: &mut RqLock<'_, B>) -> i64 {
    let cx = lock.in_policy();
    let mut kept = A_KEPT.lock();
    kept.as_mut().map_or(0, |t| t.data_in(cx).vruntime())
}
