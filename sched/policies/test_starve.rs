// SPDX-License-Identifier: MIT
//! sched_test_starve: a deliberately starving policy, for the watchdog's
//! tests (kernel/sched/watchdog_test.c). Never select it for real work.
//!
//! A FIFO per CPU with a one-tick slice, except that it never picks a
//! task of nice 19 while another task waits on the same CPU. Every
//! answer it gives is valid, so only the starvation watchdog
//! (`sched.watchdog_ms`) can catch it: a nice-19 task pinned next to a
//! busy one waits forever, and the core ejects the policy.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sched::{
    PerCpu, Policy, Quiescent, Registration, Rq, RqLock, TaskData, TaskRef, TaskToken,
};

module! {
    type: TestStarveModule,
    name: "sched_test_starve",
    author: "keel developers",
    description: "deliberately starving scheduling policy (watchdog tests)",
    license: "MIT",
}

/// The nice value of the tasks this policy starves.
const VICTIM_NICE: i32 = 19;

static QUEUES: PerCpu<TestStarve, KVec<TaskToken<TestStarve>>> = kernel::per_cpu!(KVec::new());

struct TestStarve;

fn enqueue(rq: &Rq<'_>, lock: &mut RqLock<'_, TestStarve>, t: TaskToken<TestStarve>) {
    let pid = t.task().pid();
    if QUEUES.get_mut(rq, lock).push(t, GFP_ATOMIC).is_err() {
        pr_warn!("sched_test_starve: no memory to queue pid {}\n", pid);
    }
}

fn take(q: &mut KVec<TaskToken<TestStarve>>, pos: usize) -> Option<TaskToken<TestStarve>> {
    q.get_mut(pos..)?.rotate_left(1);
    q.pop()
}

#[vtable]
impl Policy for TestStarve {
    const NAME: &'static CStr = c"test_starve";

    fn exit(q: &mut Quiescent<TestStarve>) {
        QUEUES.for_each_mut(q, |queue| *queue = KVec::new());
    }

    fn task_wakeup(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, TestStarve>,
        t: TaskToken<TestStarve>,
        _flags: u32,
    ) -> bool {
        enqueue(rq, lock, t);
        false
    }

    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, TestStarve>, t: TaskToken<TestStarve>) {
        enqueue(rq, lock, t);
    }

    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, TestStarve>,
        t: &TaskRef,
    ) -> Option<TaskToken<TestStarve>> {
        let q = QUEUES.get_mut(rq, lock);
        let pos = q.iter().position(|tok| tok.is(t))?;
        take(q, pos)
    }

    fn task_tick(
        rq: &Rq<'_>,
        _lock: &mut RqLock<'_, TestStarve>,
        _t: &TaskRef,
        _d: &mut TaskData,
    ) -> bool {
        rq.nr_queued() > 0
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, TestStarve>) -> Option<TaskToken<TestStarve>> {
        let q = QUEUES.get_mut(rq, lock);
        // the first task that is not a victim; a victim only when alone
        let pos = q.iter().position(|t| t.task().nice() != VICTIM_NICE).unwrap_or(0);
        take(q, pos)
    }
}

struct TestStarveModule {
    _reg: Registration<TestStarve>,
}

impl Module for TestStarveModule {
    fn init() -> Result<Self> {
        Ok(TestStarveModule { _reg: Registration::register()? })
    }
}
