// twin of 60_token_in_with_other_policy_proof.rs: B reads a token it kept itself.
//! Passing twin: a policy's proof opens only its own tokens.
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
/// A token policy B kept.
pub static B_KEPT: SpinLock<Option<TaskToken<B>>> = SpinLock::new(None);

/// A callback of B, with the proof B's callbacks receive.
pub fn b_reads_kept(lock: &mut RqLock<'_, B>) -> i64 {
    let cx = lock.in_policy();
    let mut kept = B_KEPT.lock();
    kept.as_mut().map_or(0, |t| t.data_in(cx).vruntime())
}
