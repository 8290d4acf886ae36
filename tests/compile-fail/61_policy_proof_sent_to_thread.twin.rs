// twin of 61_policy_proof_sent_to_thread.rs: the callback reads the data itself.
//! Passing twin: a proof is used in the callback that made it.
#![no_std]
#![forbid(unsafe_code)]

use kernel::kthread::Thread;
use kernel::sched::{InPolicy, RqLock, TaskToken};

/// Policy A.
pub struct A;

/// In a callback of A: the callback reads the token's data, a thread
/// gets the value.
pub fn a_hands_on(lock: &mut RqLock<'static, A>, mut t: TaskToken<A>) {
    let cx: InPolicy<'static, A> = lock.in_policy();
    let v = t.data_in(cx).vruntime() as i32;
    let _ = Thread::run(c"reader", move || v);
}
