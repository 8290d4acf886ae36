// expect: E0277
// class: a policy's callback context handed to a kernel thread
// c-bug: a C policy hands a kept task pointer to a worker thread, which reads p->se while the policy's callbacks (or a switch's copies of p->se) run on another CPU, or after the policy was switched away
// rule: `InPolicy<'_, P>` is neither `Send` nor `Sync` and lives no longer than the callback (or init/exit) it was made in, so no other thread, interrupt handler or later call holds one
//! Compile-fail case: a callback of A hands its proof and a token to a
//! kernel thread, which would use the token unchecked.
#![no_std]
#![forbid(unsafe_code)]

use kernel::kthread::Thread;
use kernel::sched::{InPolicy, RqLock, TaskToken};

/// Policy A.
pub struct A;

/// In a callback of A (its lock proof taken as `'static` so that only
/// `Send` is in question): a thread reads the token's data later.
pub fn a_hands_on(lock: &mut RqLock<'static, A>, mut t: TaskToken<A>) {
    let cx: InPolicy<'static, A> = lock.in_policy();
    let _ = Thread::run(c"reader", move || t.data_in(cx).vruntime() as i32);
}
