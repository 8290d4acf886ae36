// SPDX-License-Identifier: MIT
//! sched_fair_rs: the weighted-fair policy of kernel/sched/fair.c in safe
//! Rust, with the same semantics, so the two compare like for like.
//!
//! Each task accumulates virtual runtime (CPU time scaled by
//! `NICE_0_WEIGHT / weight`, Linux's nice-to-weight table); each CPU
//! runs its queued task with the smallest vruntime. `min_vruntime`
//! (per CPU, never decreasing), time slices, wake-up credit and
//! preemption, placement and balancing follow fair.c's header comment.
//! Representation: each CPU's queue is a [`TaskQueue`], linked through
//! the tasks' own list nodes as fair.c's is; the running task's vruntime
//! is kept in the per-CPU state (`Curr`) while it runs (the policy holds
//! no token for it) and written back to its task data when it leaves the
//! CPU; each CPU's `min_vruntime` and queue length live in atomics
//! (`SHARED`), the only copy, so other CPUs can read them racily as C
//! reads fair.c's plain fields.
//!
//! At a live switch it exports and adopts lags as fair.c does.
//!
//! Select it with `sched.policy=fair_rs` or `sched fair_rs`.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicI64, AtomicUsize, Ordering::Relaxed};
use kernel::prelude::*;
use kernel::sched::{
    place_by_load, scaled, weight_of, Handover, InPolicy, PerCpu, Policy, Quiescent, Registration,
    Rq, RqLock, TaskData, TaskId, TaskQueue, TaskRef, TaskToken, NR_CPUS, WF_NEW, WF_SWITCH,
    WF_WAKEUP,
};

module! {
    type: FairRsModule,
    name: "sched_fair_rs",
    author: "keel developers",
    description: "weighted-fair scheduling policy in Rust",
    license: "MIT",
}

const NSEC_PER_MSEC: u64 = 1_000_000;
const SCHED_LATENCY: u64 = 20 * NSEC_PER_MSEC;
const MIN_GRANULARITY: u64 = 4 * NSEC_PER_MSEC;
const WAKEUP_GRANULARITY: u64 = 4 * NSEC_PER_MSEC;
/// An adopted lag is clamped to +-10 s (fair.c's HANDOVER_LAG_MAX).
const HANDOVER_LAG_MAX: i64 = 10_000_000_000;

/// `TaskData::words()`: runtime when it last got the CPU.
const SLICE_START: usize = 0;
/// CPU + 1 whose vruntime it kept when it blocked; 0: a lag.
const BLOCKED_ON: usize = 1;
/// Runtime already charged as vruntime.
const PREV_RUNTIME: usize = 2;

/// The running task's accounting while it runs.
struct Curr {
    id: TaskId,
    vruntime: i64,
    prev_runtime: u64,
}

/// A CPU's state, under its runqueue lock.
struct FairRq {
    /// Queued tasks by vruntime, ascending.
    queue: TaskQueue<FairRs>,
    curr: Option<Curr>,
    /// Yielded: pass it over once.
    skip: Option<TaskId>,
}

impl FairRq {
    const fn new() -> Self {
        FairRq { queue: TaskQueue::new(), curr: None, skip: None }
    }
}

/// A CPU's figures other CPUs read racily: written only under the
/// CPU's runqueue lock (Relaxed loads and stores are plain moves).
struct Shared {
    /// Never decreasing (see fair.c, "min_vruntime").
    min_vruntime: AtomicI64,
    /// Tasks in the CPU's queue.
    nr: AtomicUsize,
}

static RQS: PerCpu<FairRs, FairRq> = kernel::per_cpu!(FairRq::new());
static SHARED: [Shared; NR_CPUS] =
    [const { Shared { min_vruntime: AtomicI64::new(0), nr: AtomicUsize::new(0) } }; NR_CPUS];

/// Raises `min_vruntime` to the smaller of the running task's
/// vruntime (`curr`) and the first queued one's, if either exists.
#[inline]
fn update_min_vruntime(s: &Shared, q: &TaskQueue<FairRs>, curr: Option<i64>, cx: Cx<'_>) {
    let first = q.front_in(cx).map(|(_, d)| d.vruntime());
    let v = match (curr, first) {
        (Some(c), Some(q)) => c.min(q),
        (Some(c), None) => c,
        (None, Some(q)) => q,
        (None, None) => return,
    };
    if v > s.min_vruntime.load(Relaxed) {
        s.min_vruntime.store(v, Relaxed);
    }
}

/// Charges the running task's CPU time since its last update.
#[inline]
fn update_curr(rq: &Rq<'_>, s: &Shared, f: &mut FairRq, cx: Cx<'_>) {
    let curr = match f.curr.as_mut() {
        Some(c) => {
            let t = rq.curr();
            if t.id() == c.id {
                let now = t.runtime_ns();
                c.vruntime += scaled(now - c.prev_runtime, t);
                c.prev_runtime = now;
            }
            Some(c.vruntime)
        }
        None => None,
    };
    update_min_vruntime(s, &f.queue, curr, cx);
}

/// `t` leaves the CPU: its vruntime, charged up to now, goes to `d`.
#[inline]
fn put_curr(s: &Shared, f: &mut FairRq, t: &TaskRef, d: &mut TaskData, cx: Cx<'_>) {
    let now = t.runtime_ns();
    match &f.curr {
        Some(c) if c.id == t.id() => {
            let v = c.vruntime + scaled(now - c.prev_runtime, t);
            update_min_vruntime(s, &f.queue, Some(v), cx);
            f.curr = None;
            d.set_vruntime(v);
        }
        // not the task we picked (switched in while it ran)
        other => {
            let other = other.as_ref().map(|c| c.vruntime);
            d.set_vruntime(d.vruntime() + scaled(now - d.word(PREV_RUNTIME), t));
            update_min_vruntime(s, &f.queue, other, cx);
        }
    }
    d.words()[PREV_RUNTIME] = now;
}

/// Queues `t`, whose vruntime is `v`, behind tasks with the same one.
#[inline]
fn queue_sorted(s: &Shared, f: &mut FairRq, t: TaskToken<FairRs>, v: i64, cx: Cx<'_>) -> bool {
    let queued = f.queue.insert_or_warn_in(t, cx, |_, q| v < q.vruntime());
    s.nr.store(f.queue.len(), Relaxed);
    queued
}

/// Takes the `i`-th queued task out.
#[inline]
fn unqueue(s: &Shared, f: &mut FairRq, i: usize, cx: Cx<'_>) -> Option<TaskToken<FairRs>> {
    let t = f.queue.remove_at_in(i, cx)?;
    s.nr.store(f.queue.len(), Relaxed);
    Some(t)
}

/// `t`'s vruntime in the terms of `cpu`, whose min_vruntime is `min`
/// (see fair.c, "min_vruntime").
#[inline]
fn vruntime_here(cpu: usize, min: i64, d: &TaskData) -> i64 {
    match d.word(BLOCKED_ON) as usize {
        0 => min + d.vruntime(),
        n if n - 1 == cpu => d.vruntime(),
        n => d.vruntime() - SHARED[(n - 1) % NR_CPUS].min_vruntime.load(Relaxed) + min,
    }
}

/// The running task's vruntime now, without charging it; None if the
/// policy did not pick it (it ran since before the switch).
fn curr_vruntime(rq: &Rq<'_>, f: &FairRq) -> Option<i64> {
    let c = f.curr.as_ref()?;
    let t = rq.curr();
    (t.id() == c.id).then(|| c.vruntime + scaled(t.runtime_ns() - c.prev_runtime, t))
}

/// The weighted average vruntime of the running and queued tasks
/// (fair.c's avg_vruntime): the zero-lag point of a hand-over.
fn avg_vruntime(rq: &Rq<'_>, s: &Shared, f: &FairRq) -> i64 {
    let base = s.min_vruntime.load(Relaxed);
    let (mut sum, mut load) = (0i64, 0i64);
    if let Some(v) = curr_vruntime(rq, f) {
        let w = weight_of(rq.curr()) as i64;
        sum += (v - base) * w;
        load += w;
    }
    for (t, d) in f.queue.iter() {
        let w = weight_of(t) as i64;
        sum += (d.vruntime() - base) * w;
        load += w;
    }
    if load == 0 {
        base
    } else {
        base + sum / load
    }
}

/// Lowers `s`'s min_vruntime to an adopted vruntime `v` (a queue just
/// switched in starts from the adopted lags, below its initial 0).
fn adopt_min_vruntime(s: &Shared, v: i64) {
    if v < s.min_vruntime.load(Relaxed) {
        s.min_vruntime.store(v, Relaxed);
    }
}

/// An exported lag as a vruntime on a queue just switched in (whose
/// zero-lag point is 0).
fn adopted_vruntime(h: &Handover) -> i64 {
    -h.lag_ns.unwrap_or(0).clamp(-HANDOVER_LAG_MAX, HANDOVER_LAG_MAX)
}

struct FairRs;

/// The proof that this runs in a callback of fair_rs, which the token
/// and queue operations take instead of checking at run time.
type Cx<'a> = InPolicy<'a, FairRs>;

#[vtable]
impl Policy for FairRs {
    const NAME: &'static CStr = c"fair_rs";

    fn init(q: &mut Quiescent<FairRs>) -> Result {
        RQS.for_each_mut(q, |f| *f = FairRq::new());
        for s in &SHARED {
            s.min_vruntime.store(0, Relaxed);
            s.nr.store(0, Relaxed);
        }
        Ok(())
    }

    fn exit(q: &mut Quiescent<FairRs>) {
        // every task was handed on: the queues are empty
        RQS.for_each_mut(q, |f| *f = FairRq::new());
    }

    fn task_new(t: &TaskRef, d: &mut TaskData) -> Result {
        let now = t.runtime_ns();
        d.set_vruntime(0); // lag: joins at its queue's min_vruntime
        d.words()[BLOCKED_ON] = 0;
        d.words()[PREV_RUNTIME] = now;
        d.words()[SLICE_START] = now;
        Ok(())
    }

    #[inline]
    fn task_wakeup(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FairRs>,
        mut t: TaskToken<FairRs>,
        flags: u32,
    ) -> bool {
        let cpu = rq.cpu();
        let s = &SHARED[cpu];
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        // as fair.c: the floor is from min_vruntime before curr's update
        let floor = s.min_vruntime.load(Relaxed) - (SCHED_LATENCY / 2) as i64;
        if f.curr.is_some() {
            update_curr(rq, s, f, cx);
        }
        let min = s.min_vruntime.load(Relaxed);
        let (task, d) = t.split_in(cx);
        let mut v =
            if flags & (WF_NEW | WF_SWITCH) != 0 { min } else { vruntime_here(cpu, min, d) };
        if flags & WF_WAKEUP != 0 && v < floor {
            v = floor;
        }
        let now = task.runtime_ns();
        d.set_vruntime(v);
        d.words()[BLOCKED_ON] = 0;
        d.words()[PREV_RUNTIME] = now;
        queue_sorted(s, f, t, v, cx);
        match &f.curr {
            Some(c) => c.id == rq.curr().id() && v + (WAKEUP_GRANULARITY as i64) < c.vruntime,
            None => false,
        }
    }

    #[inline]
    fn task_blocked(rq: &Rq<'_>, lock: &mut RqLock<'_, FairRs>, t: &TaskRef, d: &mut TaskData) {
        let cpu = rq.cpu();
        let cx = lock.in_policy();
        put_curr(&SHARED[cpu], RQS.get_mut(rq, lock), t, d, cx);
        d.words()[BLOCKED_ON] = cpu as u64 + 1;
    }

    #[inline]
    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, FairRs>, mut t: TaskToken<FairRs>) {
        let s = &SHARED[rq.cpu()];
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        let (task, d) = t.split_in(cx);
        put_curr(s, f, task, d, cx);
        let v = d.vruntime();
        queue_sorted(s, f, t, v, cx);
    }

    fn task_yield(rq: &Rq<'_>, lock: &mut RqLock<'_, FairRs>, mut t: TaskToken<FairRs>) {
        let s = &SHARED[rq.cpu()];
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        let (task, d) = t.split_in(cx);
        let id = task.id();
        put_curr(s, f, task, d, cx);
        let v = d.vruntime();
        if queue_sorted(s, f, t, v, cx) {
            f.skip = Some(id);
        }
    }

    #[inline]
    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FairRs>,
        t: &TaskRef,
    ) -> Option<TaskToken<FairRs>> {
        let s = &SHARED[rq.cpu()];
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        let mut tok = f.queue.remove_in(t, cx)?;
        s.nr.store(f.queue.len(), Relaxed);
        if f.skip == Some(t.id()) {
            f.skip = None;
        }
        let d = tok.data_in(cx);
        d.set_vruntime(d.vruntime() - s.min_vruntime.load(Relaxed)); // keep the lag
        d.words()[BLOCKED_ON] = 0;
        Some(tok)
    }

    #[inline]
    fn task_tick(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FairRs>,
        t: &TaskRef,
        d: &mut TaskData,
    ) -> bool {
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, &SHARED[rq.cpu()], f, cx);
        if f.queue.is_empty() {
            return false;
        }
        let w = weight_of(t);
        let load = w + f.queue.iter_in(cx).map(|(q, _)| weight_of(q)).sum::<u64>();
        let slice = (SCHED_LATENCY * w / load).max(MIN_GRANULARITY);
        t.runtime_ns() - d.word(SLICE_START) >= slice
    }

    #[inline]
    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, FairRs>) -> Option<TaskToken<FairRs>> {
        let s = &SHARED[rq.cpu()];
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        let first = f.queue.front_in(cx)?.0.id();
        let i = usize::from(f.skip == Some(first) && f.queue.len() > 1);
        f.skip = None;
        let mut t = unqueue(s, f, i, cx)?;
        let (task, d) = t.split_in(cx);
        let (now, id) = (task.runtime_ns(), task.id());
        d.words()[SLICE_START] = now;
        let v = d.vruntime();
        f.curr = Some(Curr { id, vruntime: v, prev_runtime: d.word(PREV_RUNTIME) });
        update_min_vruntime(s, &f.queue, Some(v), cx);
        Some(t)
    }

    #[inline]
    fn select_cpu(t: &TaskRef, prev_cpu: usize, flags: u32) -> usize {
        place_by_load(t, prev_cpu, flags, |c| SHARED[c].nr.load(Relaxed))
    }

    fn task_export(rq: &Rq<'_>, lock: &mut RqLock<'_, FairRs>, t: &TaskRef) -> Handover {
        let s = &SHARED[rq.cpu()];
        let f = RQS.get_mut(rq, lock);
        let lag = f
            .queue
            .iter()
            .find(|(q, _)| q.id() == t.id())
            .map(|(_, d)| avg_vruntime(rq, s, f) - d.vruntime());
        Handover { lag_ns: lag, slice_left_ns: None }
    }

    fn task_export_curr(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FairRs>,
        _t: &TaskRef,
        _d: &TaskData,
    ) -> Handover {
        let s = &SHARED[rq.cpu()];
        let f = RQS.get_mut(rq, lock);
        let lag = curr_vruntime(rq, f).map(|v| avg_vruntime(rq, s, f) - v);
        Handover { lag_ns: lag, slice_left_ns: None }
    }

    fn task_adopt(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FairRs>,
        mut t: TaskToken<FairRs>,
        h: &Handover,
    ) -> Result {
        let s = &SHARED[rq.cpu()];
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        let v = adopted_vruntime(h);
        let (task, d) = t.split_in(cx);
        let now = task.runtime_ns();
        d.set_vruntime(v);
        d.words()[BLOCKED_ON] = 0;
        d.words()[PREV_RUNTIME] = now;
        adopt_min_vruntime(s, v);
        queue_sorted(s, f, t, v, cx);
        Ok(())
    }

    fn task_adopt_curr(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FairRs>,
        t: &TaskRef,
        d: &mut TaskData,
        h: &Handover,
    ) -> Result {
        let f = RQS.get_mut(rq, lock);
        let (v, now) = (adopted_vruntime(h), t.runtime_ns());
        d.set_vruntime(v);
        d.words()[BLOCKED_ON] = 0;
        d.words()[PREV_RUNTIME] = now;
        d.words()[SLICE_START] = now;
        f.curr = Some(Curr { id: t.id(), vruntime: v, prev_runtime: now });
        adopt_min_vruntime(&SHARED[rq.cpu()], v);
        Ok(())
    }

    fn balance<'a>(
        dst: &Rq<'a>,
        src: &Rq<'a>,
        lock: &'a RqLock<'a, FairRs>,
    ) -> Option<&'a TaskRef> {
        RQS.get(src, lock)
            .queue
            .iter()
            .rev()
            .map(|(t, _)| t)
            .find(|t| t.allowed_on(dst.cpu()) && !t.on_cpu())
    }
}

struct FairRsModule {
    _reg: Registration<FairRs>,
}

impl Module for FairRsModule {
    fn init() -> Result<Self> {
        Ok(FairRsModule { _reg: Registration::register()? })
    }
}
