// SPDX-License-Identifier: MIT
//! sched_test_panic: a deliberately panicking policy, for the watchdog's
//! tests (kernel/sched/watchdog_test.c). Never select it for real work.
//!
//! A FIFO per CPU with a one-tick slice whose `pick_next` panics on its
//! [`PANIC_AT`]-th call after being switched in. The policy guard
//! catches the panic, the core ejects the policy and falls back to
//! fair; the queues this policy held are abandoned (never freed).
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU32, Ordering::Relaxed};
use kernel::prelude::*;
use kernel::sched::{
    PerCpu, Policy, Quiescent, Registration, Rq, RqLock, TaskData, TaskRef, TaskToken,
};

module! {
    type: TestPanicModule,
    name: "sched_test_panic",
    author: "keel developers",
    description: "deliberately panicking scheduling policy (watchdog tests)",
    license: "MIT",
}

/// The `pick_next` call (counted from `init`, all CPUs) that panics.
const PANIC_AT: u32 = 20;

static QUEUES: PerCpu<TestPanic, KVec<TaskToken<TestPanic>>> = kernel::per_cpu!(KVec::new());
static PICKS: AtomicU32 = AtomicU32::new(0);

struct TestPanic;

fn enqueue(rq: &Rq<'_>, lock: &mut RqLock<'_, TestPanic>, t: TaskToken<TestPanic>) {
    let pid = t.task().pid();
    if QUEUES.get_mut(rq, lock).push(t, GFP_ATOMIC).is_err() {
        pr_warn!("sched_test_panic: no memory to queue pid {}\n", pid);
    }
}

fn take(q: &mut KVec<TaskToken<TestPanic>>, pos: usize) -> Option<TaskToken<TestPanic>> {
    q.get_mut(pos..)?.rotate_left(1);
    q.pop()
}

#[vtable]
impl Policy for TestPanic {
    const NAME: &'static CStr = c"test_panic";

    fn init(_q: &mut Quiescent<TestPanic>) -> Result {
        PICKS.store(0, Relaxed);
        Ok(())
    }

    fn exit(q: &mut Quiescent<TestPanic>) {
        QUEUES.for_each_mut(q, |queue| *queue = KVec::new());
    }

    fn task_wakeup(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, TestPanic>,
        t: TaskToken<TestPanic>,
        _flags: u32,
    ) -> bool {
        enqueue(rq, lock, t);
        false
    }

    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, TestPanic>, t: TaskToken<TestPanic>) {
        enqueue(rq, lock, t);
    }

    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, TestPanic>,
        t: &TaskRef,
    ) -> Option<TaskToken<TestPanic>> {
        let q = QUEUES.get_mut(rq, lock);
        let pos = q.iter().position(|tok| tok.is(t))?;
        take(q, pos)
    }

    fn task_tick(
        rq: &Rq<'_>,
        _lock: &mut RqLock<'_, TestPanic>,
        _t: &TaskRef,
        _d: &mut TaskData,
    ) -> bool {
        rq.nr_queued() > 0
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, TestPanic>) -> Option<TaskToken<TestPanic>> {
        let n = PICKS.fetch_add(1, Relaxed) + 1;
        if n == PANIC_AT {
            panic!("test_panic: deliberate panic in pick_next (call {})", n);
        }
        take(QUEUES.get_mut(rq, lock), 0)
    }
}

struct TestPanicModule {
    _reg: Registration<TestPanic>,
}

impl Module for TestPanicModule {
    fn init() -> Result<Self> {
        Ok(TestPanicModule { _reg: Registration::register()? })
    }
}
