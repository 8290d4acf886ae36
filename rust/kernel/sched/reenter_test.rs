// SPDX-License-Identifier: MIT
//! Tests of the rule that makes [`Quiescent`] true: a policy switch is
//! refused (`-EDEADLK`) from inside a policy's `init`, `exit` or any
//! callback (hard IRQ included), so no nested switch can publish or
//! unpublish a policy while its callbacks or its `init`/`exit` run.
//!
//! `test_reenter` is a FIFO per CPU that tries [`switch_to`] from its
//! `init`, its `exit` and its first `task_tick`, and keeps the answers.

use super::{switch_to, Ops, PerCpu, Policy, Quiescent, Rq, RqLock, TaskQueue, TaskRef, TaskToken};
use crate::error::to_result;
use crate::prelude::*;
use core::sync::atomic::{AtomicI32, Ordering};

struct Reenter;

static QUEUES: PerCpu<Reenter, TaskQueue<Reenter>> = crate::per_cpu!(TaskQueue::new());
/// The answers of switch_to() from init, exit and task_tick (1: not yet).
static FROM_INIT: AtomicI32 = AtomicI32::new(1);
static FROM_EXIT: AtomicI32 = AtomicI32::new(1);
static FROM_TICK: AtomicI32 = AtomicI32::new(1);

fn answer(r: Result) -> i32 {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

#[crate::vtable]
impl Policy for Reenter {
    const NAME: &'static CStr = c"test_reenter";

    fn init(_q: &mut Quiescent<Self>) -> Result {
        FROM_INIT.store(answer(switch_to(c"fair")), Ordering::Relaxed);
        Ok(())
    }

    fn exit(q: &mut Quiescent<Self>) {
        FROM_EXIT.store(answer(switch_to(c"fair")), Ordering::Relaxed);
        QUEUES.for_each_mut(q, |queue| *queue = TaskQueue::new());
    }

    fn task_wakeup(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>, _f: u32) -> bool {
        let _ = QUEUES.get_mut(rq, lock).push_back(t);
        false
    }

    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>) {
        let _ = QUEUES.get_mut(rq, lock).push_back(t);
    }

    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Self>,
        t: &TaskRef,
    ) -> Option<TaskToken<Self>> {
        QUEUES.get_mut(rq, lock).remove(t)
    }

    fn task_tick(
        rq: &Rq<'_>,
        _lock: &mut RqLock<'_, Self>,
        _t: &TaskRef,
        _d: &mut super::TaskData,
    ) -> bool {
        if FROM_TICK.load(Ordering::Relaxed) == 1 {
            // a name no policy has: without the refusal the answer is
            // -ENOENT, after the lookup took the switch mutex in an IRQ
            let r = answer(switch_to(c"no_such_policy"));
            FROM_TICK.store(r, Ordering::Relaxed);
        }
        rq.nr_queued() > 0
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>) -> Option<TaskToken<Self>> {
        QUEUES.get_mut(rq, lock).remove_at(0)
    }
}

#[crate::ktest(sched_reenter)]
mod tests {
    use super::*;
    use crate::ktest::Test;

    /// switch_to() from init, exit and a task_tick (hard IRQ, runqueue
    /// lock held) is -EDEADLK, and the policy switches in and out
    /// normally around it; from process context it works.
    #[test]
    fn switch_inside_policy_is_refused(t: &mut Test) {
        // SAFETY: the table is a promoted constant, valid forever; its
        // callbacks follow the contracts of include/keel/sched.h.
        let r = to_result(unsafe { bindings::sched_policy_switch(&Ops::<Reenter>::TABLE) });
        crate::kt_assert!(t, r.is_ok());
        crate::kt_expect_eq!(t, FROM_INIT.load(Ordering::Relaxed), -(bindings::EDEADLK as i32));
        // run (ticks come to a running task, not to an idle CPU)
        // SAFETY: reads the clock; no preconditions.
        let end = unsafe { bindings::ktime_get_ns() } + 2_000_000_000;
        // SAFETY: ktime_get_ns takes no arguments and only reads the
        // clock; it may be called from any context.
        while FROM_TICK.load(Ordering::Relaxed) == 1 && unsafe { bindings::ktime_get_ns() } < end {
            core::hint::spin_loop();
        }
        crate::kt_expect_eq!(t, FROM_TICK.load(Ordering::Relaxed), -(bindings::EDEADLK as i32));
        // still the active policy: nothing switched from inside
        // SAFETY: returns a static string.
        let name = unsafe { CStr::from_ptr(bindings::sched_policy_name()) };
        crate::kt_expect_eq!(t, name.to_bytes(), b"test_reenter");
        crate::kt_expect!(t, switch_to(c"fair").is_ok());
        crate::kt_expect_eq!(t, FROM_EXIT.load(Ordering::Relaxed), -(bindings::EDEADLK as i32));
    }
}
