// SPDX-License-Identifier: MIT
//! sched_fair_rs: the weighted-fair policy of kernel/sched/fair.c in safe
//! Rust, with the same semantics, so the two compare like for like.
//!
//! Each task accumulates virtual runtime (CPU time scaled by
//! `NICE_0_WEIGHT / weight`, Linux's nice-to-weight table); each CPU
//! runs its queued task with the smallest vruntime. `min_vruntime`
//! (per CPU, never decreasing), time slices, wake-up credit and
//! preemption, placement and balancing follow fair.c's header comment.
//! Differences of representation only: the queue is a sorted vector of
//! task tokens instead of an intrusive list, and the running task's
//! vruntime is kept in the per-CPU state (`Curr`) while it runs and
//! written back to its task data when it leaves the CPU.
//!
//! At a live switch it exports and adopts lags as fair.c does.
//!
//! Select it with `sched.policy=fair_rs` or `sched fair_rs`.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicI64, AtomicUsize, Ordering::Relaxed};
use kernel::prelude::*;
use kernel::sched::{
    cpu_runs_idle, online_mask, Handover, PerCpu, Policy, Quiescent, Registration, Rq, RqLock,
    TaskData, TaskId, TaskRef, TaskToken, NR_CPUS, WF_NEW, WF_SWITCH, WF_WAKEUP,
};

module! {
    type: FairRsModule,
    name: "sched_fair_rs",
    author: "keel developers",
    description: "weighted-fair scheduling policy in Rust",
    license: "MIT",
}

const NICE_0_WEIGHT: u64 = 1024;
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

/// Linux's sched_prio_to_weight[], nice -20 .. 19.
const PRIO_TO_WEIGHT: [u64; 40] = [
    88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916, 9548, 7620, 6100, 4904,
    3906, 3121, 2501, 1991, 1586, 1277, 1024, 820, 655, 526, 423, 335, 272, 215, 172, 137, 110, 87,
    70, 56, 45, 36, 29, 23, 18, 15,
];

/// The running task's accounting while it runs.
struct Curr {
    id: TaskId,
    vruntime: i64,
    prev_runtime: u64,
}

struct FairRq {
    /// Queued tasks by vruntime, ascending.
    queue: KVec<TaskToken>,
    min_vruntime: i64,
    curr: Option<Curr>,
    /// Yielded: pass it over once.
    skip: Option<TaskId>,
}

impl FairRq {
    const fn new() -> Self {
        FairRq { queue: KVec::new(), min_vruntime: 0, curr: None, skip: None }
    }
}

static RQS: PerCpu<FairRq> = kernel::per_cpu!(FairRq::new());
/// Each CPU's min_vruntime and queue length, for racy readers elsewhere.
static MIN_VR: [AtomicI64; NR_CPUS] = [const { AtomicI64::new(0) }; NR_CPUS];
static NR: [AtomicUsize; NR_CPUS] = [const { AtomicUsize::new(0) }; NR_CPUS];

#[inline]
fn weight_of(t: &TaskRef) -> u64 {
    let i = (t.nice() + 20).clamp(0, 39) as usize;
    PRIO_TO_WEIGHT[i]
}

#[inline]
fn scaled(delta: u64, t: &TaskRef) -> i64 {
    (delta * NICE_0_WEIGHT / weight_of(t)) as i64
}

#[inline]
fn update_min_vruntime(cpu: usize, f: &mut FairRq) {
    let first = f.queue.first().map(|t| t.data_ref().vruntime());
    let v = match (&f.curr, first) {
        (Some(c), Some(q)) => c.vruntime.min(q),
        (Some(c), None) => c.vruntime,
        (None, Some(q)) => q,
        (None, None) => f.min_vruntime,
    };
    if v > f.min_vruntime {
        f.min_vruntime = v;
    }
    MIN_VR[cpu].store(f.min_vruntime, Relaxed);
}

/// Charges the running task's CPU time since its last update.
#[inline]
fn update_curr(rq: &Rq<'_>, f: &mut FairRq) {
    if let Some(c) = f.curr.as_mut() {
        let t = rq.curr();
        if t.id() == c.id {
            let now = t.runtime_ns();
            c.vruntime += scaled(now - c.prev_runtime, t);
            c.prev_runtime = now;
        }
    }
    update_min_vruntime(rq.cpu(), f);
}

/// `t` leaves the CPU: its vruntime, charged up to now, goes to `d`.
#[inline]
fn put_curr(rq: &Rq<'_>, f: &mut FairRq, t: &TaskRef, d: &mut TaskData) {
    update_curr(rq, f);
    match f.curr.take() {
        Some(c) if c.id == t.id() => {
            d.set_vruntime(c.vruntime);
            d.words()[PREV_RUNTIME] = c.prev_runtime;
        }
        other => {
            // not the task we picked (switched in while it ran)
            f.curr = other;
            let now = t.runtime_ns();
            let delta = now - d.word(PREV_RUNTIME);
            d.set_vruntime(d.vruntime() + scaled(delta, t));
            d.words()[PREV_RUNTIME] = now;
        }
    }
}

#[inline]
fn queue_sorted(cpu: usize, f: &mut FairRq, t: TaskToken) {
    let v = t.data_ref().vruntime();
    let pos = f.queue.iter().position(|q| v < q.data_ref().vruntime());
    if let Err(t) = push(&mut f.queue, t) {
        no_memory(&t);
        return;
    }
    // most often the newcomer goes last: no need to move anything
    if let Some(pos) = pos {
        f.queue[pos..].rotate_right(1);
    }
    NR[cpu].store(f.queue.len(), Relaxed);
}

/// Appends `t`, handing it back if there is no memory.
#[inline]
fn push(q: &mut KVec<TaskToken>, t: TaskToken) -> core::result::Result<(), TaskToken> {
    if q.len() == q.capacity() && q.reserve(1, GFP_ATOMIC).is_err() {
        return Err(t);
    }
    // cannot fail now: there is room
    q.push(t, GFP_ATOMIC).map_err(|_| ()).ok();
    Ok(())
}

#[cold]
#[inline(never)]
fn no_memory(t: &TaskToken) {
    // the core's backstop runs the task (pick_next then misses it)
    pr_warn!("sched_fair_rs: no memory to queue pid {}\n", t.task().pid());
}

#[inline]
fn unqueue(cpu: usize, f: &mut FairRq, pos: usize) -> Option<TaskToken> {
    if pos + 1 < f.queue.len() {
        f.queue[pos..].rotate_left(1);
    }
    let t = f.queue.pop()?;
    NR[cpu].store(f.queue.len(), Relaxed);
    if f.skip == Some(t.task().id()) {
        f.skip = None;
    }
    Some(t)
}

/// `t`'s vruntime in `cpu`'s terms (see fair.c, "min_vruntime").
#[inline]
fn vruntime_here(cpu: usize, f: &FairRq, t: &TaskToken) -> i64 {
    let d = t.data_ref();
    match d.word(BLOCKED_ON) as usize {
        0 => f.min_vruntime + d.vruntime(),
        n if n - 1 == cpu => d.vruntime(),
        n => d.vruntime() - MIN_VR[(n - 1) % NR_CPUS].load(Relaxed) + f.min_vruntime,
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
fn avg_vruntime(rq: &Rq<'_>, f: &FairRq) -> i64 {
    let base = f.min_vruntime;
    let (mut sum, mut load) = (0i64, 0i64);
    if let Some(v) = curr_vruntime(rq, f) {
        let w = weight_of(rq.curr()) as i64;
        sum += (v - base) * w;
        load += w;
    }
    for q in f.queue.iter() {
        let w = weight_of(q.task()) as i64;
        sum += (q.data_ref().vruntime() - base) * w;
        load += w;
    }
    if load == 0 {
        base
    } else {
        base + sum / load
    }
}

/// An exported lag as a vruntime on a queue just switched in (whose
/// zero-lag point is 0).
fn adopted_vruntime(h: &Handover) -> i64 {
    -h.lag_ns.unwrap_or(0).clamp(-HANDOVER_LAG_MAX, HANDOVER_LAG_MAX)
}

/// The CPUs of a mask, lowest first (C's for_each_cpu).
struct Cpus(u64);

impl Iterator for Cpus {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let cpu = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        (cpu < NR_CPUS).then_some(cpu)
    }
}

#[inline]
fn cpu_is_idle(cpu: usize) -> bool {
    cpu_runs_idle(cpu) && NR[cpu].load(Relaxed) == 0
}

struct FairRs;

#[vtable]
impl Policy for FairRs {
    const NAME: &'static CStr = c_str!("fair_rs");

    fn init(q: &mut Quiescent) -> Result {
        RQS.for_each_mut(q, |f| *f = FairRq::new());
        for cpu in 0..NR_CPUS {
            MIN_VR[cpu].store(0, Relaxed);
            NR[cpu].store(0, Relaxed);
        }
        Ok(())
    }

    fn exit(q: &mut Quiescent) {
        // every task was handed on: free the (empty) queues
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
    fn task_wakeup(rq: &Rq<'_>, lock: &mut RqLock<'_>, mut t: TaskToken, flags: u32) -> bool {
        let cpu = rq.cpu();
        let f = RQS.get_mut(rq, lock);
        if f.curr.is_some() {
            update_curr(rq, f);
        }
        let floor = f.min_vruntime - (SCHED_LATENCY / 2) as i64;
        let mut v = if flags & (WF_NEW | WF_SWITCH) != 0 {
            f.min_vruntime
        } else {
            vruntime_here(cpu, f, &t)
        };
        if flags & WF_WAKEUP != 0 && v < floor {
            v = floor;
        }
        let now = t.task().runtime_ns();
        let d = t.data();
        d.set_vruntime(v);
        d.words()[BLOCKED_ON] = 0;
        d.words()[PREV_RUNTIME] = now;
        queue_sorted(cpu, f, t);
        match &f.curr {
            Some(c) => c.id == rq.curr().id() && v + (WAKEUP_GRANULARITY as i64) < c.vruntime,
            None => false,
        }
    }

    #[inline]
    fn task_blocked(rq: &Rq<'_>, lock: &mut RqLock<'_>, t: &TaskRef, d: &mut TaskData) {
        put_curr(rq, RQS.get_mut(rq, lock), t, d);
        d.words()[BLOCKED_ON] = rq.cpu() as u64 + 1;
    }

    #[inline]
    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_>, mut t: TaskToken) {
        let f = RQS.get_mut(rq, lock);
        let (task, d) = t.split();
        put_curr(rq, f, task, d);
        queue_sorted(rq.cpu(), f, t);
    }

    fn task_yield(rq: &Rq<'_>, lock: &mut RqLock<'_>, t: TaskToken) {
        let id = t.task().id();
        Self::task_preempt(rq, lock, t);
        // the lock proof was lent to task_preempt and is free again
        let f = RQS.get_mut(rq, lock);
        if f.queue.iter().any(|q| q.task().id() == id) {
            f.skip = Some(id);
        }
    }

    #[inline]
    fn task_dequeue(rq: &Rq<'_>, lock: &mut RqLock<'_>, t: &TaskRef) -> Option<TaskToken> {
        let cpu = rq.cpu();
        let f = RQS.get_mut(rq, lock);
        let pos = f.queue.iter().position(|q| q.is(t))?;
        let mut tok = unqueue(cpu, f, pos)?;
        let d = tok.data();
        d.set_vruntime(d.vruntime() - f.min_vruntime); // keep the lag
        d.words()[BLOCKED_ON] = 0;
        Some(tok)
    }

    #[inline]
    fn task_tick(rq: &Rq<'_>, lock: &mut RqLock<'_>, t: &TaskRef, d: &mut TaskData) -> bool {
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, f);
        if f.queue.is_empty() {
            return false;
        }
        let w = weight_of(t);
        let load = w + f.queue.iter().map(|q| weight_of(q.task())).sum::<u64>();
        let slice = (SCHED_LATENCY * w / load).max(MIN_GRANULARITY);
        t.runtime_ns() - d.word(SLICE_START) >= slice
    }

    #[inline]
    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_>) -> Option<TaskToken> {
        let cpu = rq.cpu();
        let f = RQS.get_mut(rq, lock);
        let first = f.queue.first()?.task().id();
        let pos = usize::from(f.skip == Some(first) && f.queue.len() > 1);
        f.skip = None;
        let mut t = unqueue(cpu, f, pos)?;
        let now = t.task().runtime_ns();
        let d = t.data();
        d.words()[SLICE_START] = now;
        f.curr = Some(Curr {
            id: t.task().id(),
            vruntime: t.data_ref().vruntime(),
            prev_runtime: t.data_ref().word(PREV_RUNTIME),
        });
        update_min_vruntime(cpu, f);
        Some(t)
    }

    #[inline]
    fn select_cpu(t: &TaskRef, prev_cpu: usize, flags: u32) -> usize {
        let allowed = t.allowed() & online_mask();
        let cpus = || Cpus(allowed);
        if flags & WF_NEW == 0
            && prev_cpu < 64
            && allowed & (1 << prev_cpu) != 0
            && cpu_is_idle(prev_cpu)
        {
            return prev_cpu;
        }
        if let Some(cpu) = cpus().find(|&c| cpu_is_idle(c)) {
            return cpu;
        }
        let (mut best, mut best_nr) = (prev_cpu, usize::MAX);
        for cpu in cpus() {
            let nr = NR[cpu].load(Relaxed) + 1;
            if nr < best_nr || (nr == best_nr && cpu == prev_cpu) {
                best = cpu;
                best_nr = nr;
            }
        }
        best
    }

    fn task_export(rq: &Rq<'_>, lock: &mut RqLock<'_>, t: &TaskRef) -> Handover {
        let f = RQS.get_mut(rq, lock);
        let lag =
            f.queue.iter().find(|q| q.is(t)).map(|q| avg_vruntime(rq, f) - q.data_ref().vruntime());
        Handover { lag_ns: lag, slice_left_ns: None }
    }

    fn task_export_curr(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_>,
        _t: &TaskRef,
        _d: &TaskData,
    ) -> Handover {
        let f = RQS.get_mut(rq, lock);
        let lag = curr_vruntime(rq, f).map(|v| avg_vruntime(rq, f) - v);
        Handover { lag_ns: lag, slice_left_ns: None }
    }

    fn task_adopt(rq: &Rq<'_>, lock: &mut RqLock<'_>, mut t: TaskToken, h: &Handover) -> Result {
        let cpu = rq.cpu();
        let f = RQS.get_mut(rq, lock);
        let v = adopted_vruntime(h);
        let now = t.task().runtime_ns();
        let d = t.data();
        d.set_vruntime(v);
        d.words()[BLOCKED_ON] = 0;
        d.words()[PREV_RUNTIME] = now;
        f.min_vruntime = f.min_vruntime.min(v);
        MIN_VR[cpu].store(f.min_vruntime, Relaxed);
        queue_sorted(cpu, f, t);
        Ok(())
    }

    fn task_adopt_curr(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_>,
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
        f.min_vruntime = f.min_vruntime.min(v);
        MIN_VR[rq.cpu()].store(f.min_vruntime, Relaxed);
        Ok(())
    }

    fn balance<'a>(dst: &Rq<'a>, src: &Rq<'a>, lock: &'a RqLock<'a>) -> Option<&'a TaskRef> {
        RQS.get(src, lock)
            .queue
            .iter()
            .rev()
            .map(TaskToken::task)
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
