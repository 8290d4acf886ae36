// SPDX-License-Identifier: MIT
//! sched_rr: a FIFO/round-robin scheduling policy in safe Rust.
//!
//! Each CPU keeps a FIFO of task tokens ([`Fifo`]). A woken, preempted
//! or yielding task joins the tail; the head runs next. A task that used
//! up its time slice ([`SLICE_TICKS`] timer ticks on the CPU) while
//! another waits is preempted at that tick. Counting ticks rather than
//! nanoseconds makes every full slice the same length: a nanosecond
//! budget of one tick would be met at the first or the second tick
//! depending on jitter. Nice values are ignored. An idle CPU pulls the
//! most recently queued task it may run from a busy one.
//!
//! Select it with `sched.policy=rr` at boot or `sched rr` in the monitor.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sched::{
    Fifo, Policy, Quiescent, Registration, Rq, RqLock, TaskData, TaskRef, TaskToken,
};

module! {
    type: RrModule,
    name: "sched_rr",
    author: "keel developers",
    description: "FIFO/round-robin scheduling policy",
    license: "MIT",
}

/// The time slice: timer ticks a task may run while others wait.
const SLICE_TICKS: u64 = 2;
/// `TaskData::words()` index: ticks since the task got the CPU.
const TICKS: usize = 0;

static QUEUES: Fifo<Rr> = Fifo::new();

struct Rr;

#[vtable]
impl Policy for Rr {
    const NAME: &'static CStr = c"rr";

    fn exit(q: &mut Quiescent<Rr>) {
        QUEUES.clear(q);
    }

    fn task_wakeup(rq: &Rq<'_>, lock: &mut RqLock<'_, Rr>, t: TaskToken<Rr>, _flags: u32) -> bool {
        QUEUES.push_back(rq, lock, t);
        false
    }

    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, Rr>, t: TaskToken<Rr>) {
        QUEUES.push_back(rq, lock, t);
    }

    fn task_yield(rq: &Rq<'_>, lock: &mut RqLock<'_, Rr>, t: TaskToken<Rr>) {
        QUEUES.push_back(rq, lock, t);
    }

    fn task_dequeue(rq: &Rq<'_>, lock: &mut RqLock<'_, Rr>, t: &TaskRef) -> Option<TaskToken<Rr>> {
        QUEUES.remove(rq, lock, t)
    }

    fn task_tick(rq: &Rq<'_>, _lock: &mut RqLock<'_, Rr>, _t: &TaskRef, d: &mut TaskData) -> bool {
        let ticks = d.word(TICKS) + 1;
        d.words()[TICKS] = ticks;
        rq.nr_queued() > 0 && ticks >= SLICE_TICKS
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Rr>) -> Option<TaskToken<Rr>> {
        let cx = lock.in_policy();
        let mut t = QUEUES.pop_front(rq, lock)?;
        t.data_in(cx).words()[TICKS] = 0;
        Some(t)
    }

    fn balance<'a>(dst: &Rq<'a>, src: &Rq<'a>, lock: &'a RqLock<'a, Rr>) -> Option<&'a TaskRef> {
        QUEUES.last_for(dst, src, lock)
    }
}

struct RrModule {
    _reg: Registration<Rr>,
}

impl Module for RrModule {
    fn init() -> Result<Self> {
        Ok(RrModule { _reg: Registration::register()? })
    }
}
