// SPDX-License-Identifier: MIT
//! sched_eevdf: an EEVDF policy in safe Rust ("Earliest Eligible Virtual
//! Deadline First", Stoica and Abdel-Wahab 1995; Linux's fair class
//! since 6.6 is the model: the rules carry over, the code does not).
//!
//! Each task accumulates virtual runtime as under `fair` (CPU time
//! scaled by `NICE_0_WEIGHT / weight`). Per CPU:
//!
//! * `V`, the weighted average vruntime of the running and queued
//!   tasks: the virtual time at which every task would have had exactly
//!   its share. A task's *lag* is `V - vruntime`: > 0 it is owed CPU
//!   time, < 0 it ran ahead. A task is *eligible* when its lag >= 0.
//! * A *virtual deadline* per task: the vruntime at which its current
//!   request (a slice of CPU time) ends, `vruntime + request *
//!   NICE_0_WEIGHT / weight` when the request starts.
//! * The request size is latency-first: what the task tends to run
//!   between wake-up and sleep (an average of its last bursts), within
//!   [`MIN_REQUEST`]..[`BASE_SLICE`]; a task that never sleeps asks for
//!   [`BASE_SLICE`]. Linux sets it per task (sched_attr, 6.12); keel
//!   has no such call and infers it. A short request gives an earlier
//!   deadline, hence the CPU sooner, but not more of it: the lag still
//!   bounds its share.
//! * `pick_next` runs the eligible task with the earliest deadline. A
//!   tick preempts the running task once its vruntime passed its
//!   deadline (it then gets a new request) and another task waits.
//! * A wake-up preempts the running task if the latter used up its
//!   request, or if a pick would now run the woken task (eligible, the
//!   earliest deadline, the running task counted if eligible), unless
//!   the running task is protected: while eligible, for the rest of its
//!   request, against tasks that ask for as much or more (Linux's
//!   RUN_TO_PARITY and PREEMPT_SHORT); and in the first [`QUANTUM`] of
//!   CPU time after it woke, against anyone (EEVDF's quantum), so that
//!   a task waking others as it works does not lose the CPU at each.
//! * Lag survives sleep and migration: a task leaving a queue keeps its
//!   lag and rejoins at `V - lag` (scaled by `(W + w) / W` so that `V`
//!   does not move by its joining). Clamp: lag is bounded to
//!   +-[`LAG_LIMIT`] virtual (two requests, scaled by 1/weight, as
//!   Linux does); a task that blocked
//!   owing time (negative lag) pays it off while it sleeps, as far as
//!   its old CPU's `V` advanced meanwhile (Linux 6.12's delayed dequeue,
//!   approximated); positive lag does not grow while asleep. New tasks
//!   join at lag 0 with half a request (Linux's PLACE_DEADLINE_INITIAL).
//! * Placement and balancing follow `fair_rs`; an idle CPU pulls the
//!   queued task with the latest deadline.
//!
//! Cost: `V` is kept as Linux keeps it, a weighted sum and load updated
//! as tasks join and leave, O(1); eligibility is tested exactly without
//! a division. The queue is a [`TaskQueue`] sorted by deadline: a pick
//! takes the first eligible task (usually the first), a wake-up walks to
//! its place.
//!
//! What it buys over `fair`: no sleeper heuristics (fair's 10 ms wake-up
//! credit and 4 ms wake-up granularity); latency follows from the
//! deadlines, CPU share from the lags. At a live switch the lag is
//! exported and adopted, so who was behind stays behind.
//!
//! Select it with `sched.policy=eevdf` or `sched eevdf`.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicI64, AtomicUsize, Ordering::Relaxed};
use kernel::error::code::EEXIST;
use kernel::prelude::*;
use kernel::sched::{
    nice_index, place_by_load, scaled, weight_of, Handover, InPolicy, PerCpu, Policy, Quiescent,
    Registration, Rq, RqLock, TaskData, TaskId, TaskQueue, TaskRef, TaskToken, NICE_0_WEIGHT,
    NR_CPUS, PRIO_TO_WEIGHT, WF_MIGRATED, WF_NEW, WF_WAKEUP,
};

module! {
    type: EevdfModule,
    name: "sched_eevdf",
    author: "keel developers",
    description: "EEVDF scheduling policy in Rust",
    license: "MIT",
}

const NSEC_PER_MSEC: u64 = 1_000_000;
/// The CPU time a task asks for at a time (a request), at any weight:
/// one tick. keel preempts only at ticks (10 ms), so a longer-running
/// task's shorter request would run out between two ticks and leave a
/// deadline in the past until the next one.
const BASE_SLICE: u64 = 10 * NSEC_PER_MSEC;
/// The shortest request a task can make.
const MIN_REQUEST: u64 = NSEC_PER_MSEC / 4;
/// The CPU time after a wake-up during which a task keeps the CPU
/// against other wake-ups, eligible or not (see [`wakeup_preempts`]).
const QUANTUM: u64 = MIN_REQUEST;
/// Lag bound at nice 0 (virtual ns): two requests (Linux's bound).
const LAG_LIMIT: u64 = 2 * BASE_SLICE;
/// An adopted lag is clamped to +-10 s (as fair.c's HANDOVER_LAG_MAX).
const HANDOVER_LAG_MAX: i64 = 10_000_000_000;

// `TaskData`: while a task is queued or running its vruntime is its
// vruntime and DEADLINE its virtual deadline. Off a queue, vruntime
// holds its lag and DEADLINE the rest of its request (deadline -
// vruntime). prev_runtime is the runtime already charged as vruntime.
/// The virtual deadline (or what is left of the request).
const DEADLINE: usize = 0;
/// The request size (CPU time, ns), within MIN_REQUEST..=BASE_SLICE.
const REQUEST: usize = 1;
/// Runnable: its runtime when it woke. Blocked: `V` of the CPU it left.
const WOKE_AT: usize = 2;
const LEFT_V: usize = 2;
/// Blocked: CPU + 1 it blocked on with a negative lag (paid off while
/// it sleeps); 0: lag as is.
const LEFT_CPU: usize = 3;
/// Queued: the weight it was counted with in the queue's sums (a nice
/// change while queued takes effect when it next joins a queue).
const QUEUED_WEIGHT: usize = 3;

/// The lag bound per nice level (virtual ns): [`LAG_LIMIT`] scaled.
const LAG_LIMITS: [i64; 40] = {
    let mut l = [0; 40];
    let mut i = 0;
    while i < 40 {
        l[i] = (LAG_LIMIT * NICE_0_WEIGHT / PRIO_TO_WEIGHT[i]) as i64;
        i += 1;
    }
    l
};

/// The running task's accounting while it runs.
struct Curr {
    id: TaskId,
    vruntime: i64,
    deadline: i64,
    prev_runtime: u64,
    /// Its request (CPU time).
    request: u64,
    /// Its runtime up to which a wake-up does not preempt it: the end of
    /// the first [`QUANTUM`] since it woke.
    quantum_end: u64,
}

impl Curr {
    #[inline]
    fn new(t: &TaskRef, d: &TaskData, vruntime: i64, deadline: i64, now: u64) -> Curr {
        let quantum_end = d.word(WOKE_AT) + QUANTUM;
        Curr { id: t.id(), vruntime, deadline, prev_runtime: now, request: request(d), quantum_end }
    }
}

/// A CPU's state, under its runqueue lock.
///
/// `V` is kept as Linux keeps it (avg_vruntime): the queued tasks'
/// weighted vruntimes are summed relative to a base, `zero`, as they
/// join and leave, so `V` is `zero + (sum + curr's term) / (load +
/// curr's weight)`, O(1). Each computation moves `zero` to `V` (and
/// `sum` by `load` times the move), which keeps the terms small.
struct EevdfRq {
    /// Queued tasks by virtual deadline, earliest first (ties: arrival).
    queue: TaskQueue<Eevdf>,
    curr: Option<Curr>,
    /// The base of `sum`; the last `V` (where tasks are placed when the
    /// CPU has none).
    zero: i64,
    /// Sum over the queued tasks of `(vruntime - zero) * weight`.
    sum: i64,
    /// Sum of the queued tasks' weights.
    load: i64,
}

impl EevdfRq {
    const fn new() -> Self {
        EevdfRq { queue: TaskQueue::new(), curr: None, zero: 0, sum: 0, load: 0 }
    }
}

/// The proof of running in a callback of eevdf.
type Cx<'a> = InPolicy<'a, Eevdf>;

static RQS: PerCpu<Eevdf, EevdfRq> = kernel::per_cpu!(EevdfRq::new());
/// Each CPU's `V` and queue length, for racy readers elsewhere.
static AVG_V: [AtomicI64; NR_CPUS] = [const { AtomicI64::new(0) }; NR_CPUS];
static NR: [AtomicUsize; NR_CPUS] = [const { AtomicUsize::new(0) }; NR_CPUS];

/// `ns` of CPU time as virtual time at `t`'s weight.
/// `t`'s request (CPU time).
#[inline]
fn request(d: &TaskData) -> u64 {
    d.word(REQUEST).clamp(MIN_REQUEST, BASE_SLICE)
}

/// `t`'s request, virtual.
#[inline]
fn vrequest(t: &TaskRef, d: &TaskData) -> i64 {
    scaled(request(d), t)
}

/// Clamps a lag of `t` to its bound.
#[inline]
fn clamp_lag(t: &TaskRef, lag: i64) -> i64 {
    let lim = LAG_LIMITS[nice_index(t)];
    lag.clamp(-lim, lim)
}

/// The running task's accounting, if the policy picked it.
#[inline]
fn curr_of<'a, 'r>(rq: &'r Rq<'_>, f: &'a mut EevdfRq) -> Option<(&'r TaskRef, &'a mut Curr)> {
    let t = rq.curr();
    let c = f.curr.as_mut().filter(|c| c.id == t.id())?;
    Some((t, c))
}

/// Charges the running task's CPU time since its last update.
#[inline]
fn update_curr(rq: &Rq<'_>, f: &mut EevdfRq) {
    if let Some((t, c)) = curr_of(rq, f) {
        let now = t.runtime_ns();
        c.vruntime += scaled(now - c.prev_runtime, t);
        c.prev_runtime = now;
    }
}

/// The sum and load of `V` with the running task (as last charged)
/// counted: `V` is `zero + sum / load`.
#[inline]
fn totals(rq: &Rq<'_>, f: &EevdfRq) -> (i64, i64) {
    let t = rq.curr();
    match f.curr.as_ref().filter(|c| c.id == t.id()) {
        Some(c) => {
            let w = weight_of(t) as i64;
            (f.sum + (c.vruntime - f.zero) * w, f.load + w)
        }
        None => (f.sum, f.load),
    }
}

/// `V` (the weighted average vruntime) and the total weight, of the
/// running task (as last charged) and the queued ones; moves `zero` to
/// `V`. O(1).
#[inline]
fn avg_vruntime(rq: &Rq<'_>, f: &mut EevdfRq) -> (i64, i64) {
    let (sum, load) = totals(rq, f);
    if load > 0 {
        let dv = sum / load;
        f.zero += dv;
        f.sum -= f.load * dv;
    }
    AVG_V[rq.cpu()].store(f.zero, Relaxed);
    (f.zero, load)
}

/// Whether vruntime `v` is eligible (`v <= V`), exactly, given `V`'s
/// terms: `(v - zero) * load <= sum` (Linux's entity_eligible).
#[inline]
fn eligible(v: i64, zero: i64, (sum, load): (i64, i64)) -> bool {
    (v - zero) * load <= sum
}

/// The position of the first eligible queued task in deadline order:
/// the one a pick now runs.
#[inline]
fn first_eligible(rq: &Rq<'_>, f: &EevdfRq) -> Option<usize> {
    let terms = totals(rq, f);
    f.queue.iter().position(|(_, d)| eligible(d.vruntime(), f.zero, terms))
}

#[inline]
fn deadline_of(d: &TaskData) -> i64 {
    d.word(DEADLINE) as i64
}

/// Queues `t` (vruntime and deadline set) by its deadline and counts it
/// in `V`; false if the queue refused it (a token for a task queued
/// already: the core's checks and backstop deal with it).
#[inline]
fn enqueue(cpu: usize, f: &mut EevdfRq, mut t: TaskToken<Eevdf>, cx: Cx<'_>) -> bool {
    let (task, d) = t.split_in(cx);
    let w = weight_of(task);
    d.words()[QUEUED_WEIGHT] = w;
    let (v, dl) = (d.vruntime(), deadline_of(d));
    if !f.queue.insert_or_warn_in(t, cx, |_, q| dl < deadline_of(q)) {
        return false;
    }
    f.sum += (v - f.zero) * w as i64;
    f.load += w as i64;
    NR[cpu].store(f.queue.len(), Relaxed);
    true
}

/// Takes a task just unlinked from the queue out of `V`'s sums.
#[inline]
fn unqueued(cpu: usize, f: &mut EevdfRq, t: TaskToken<Eevdf>) -> TaskToken<Eevdf> {
    let d = t.data_ref();
    let w = d.word(QUEUED_WEIGHT) as i64;
    f.sum -= (d.vruntime() - f.zero) * w;
    f.load -= w;
    NR[cpu].store(f.queue.len(), Relaxed);
    t
}

/// Turns `t`'s data from "on a queue" (at `V` = `v_avg`) to "off a
/// queue" (see DEADLINE): its lag, clamped, and the rest of its request.
#[inline]
fn leave(t: &TaskRef, d: &mut TaskData, v_avg: i64) {
    let (v, dl) = (d.vruntime(), deadline_of(d));
    d.set_vruntime(clamp_lag(t, v_avg - v));
    d.words()[DEADLINE] = (dl - v) as u64;
}

/// The lag `t` rejoins with after being off a queue.
#[inline]
fn rejoin_lag(t: &TaskRef, d: &TaskData, flags: u32) -> i64 {
    if flags & WF_NEW != 0 || flags & (WF_WAKEUP | WF_MIGRATED) == 0 {
        return 0;
    }
    let mut lag = d.vruntime();
    let cpu = d.word(LEFT_CPU) as usize;
    if lag < 0 && cpu != 0 {
        // paid off as far as its old CPU's V moved on meanwhile
        let paid = AVG_V[(cpu - 1) % NR_CPUS].load(Relaxed) - d.word(LEFT_V) as i64;
        lag = (lag + paid.max(0)).min(0);
    }
    clamp_lag(t, lag)
}

/// A woken task that is eligible: its deadline and request.
struct Woken {
    id: TaskId,
    deadline: i64,
    request: u64,
}

/// If the running task `t` has used up its request, gives it a new one
/// (Linux's update_deadline) and returns true: it should give way.
#[inline]
fn renew_if_done(t: &TaskRef, c: &mut Curr) -> bool {
    if c.vruntime < c.deadline {
        return false;
    }
    c.deadline = c.vruntime + scaled(c.request, t);
    true
}

/// Whether a wake-up preempts the running task (as Linux 6.6 to 6.17,
/// plus a quantum; the running task's accounting is up to date).
///
/// It does when the running task's request is used up, or when a pick
/// now would run `woken` (eligible, just queued): the eligible task with
/// the earliest deadline, the running one counted if eligible. Two
/// protections: an eligible running task keeps the CPU for the rest of
/// its request (Linux's RUN_TO_PARITY) unless `woken` asks for less than
/// it does (PREEMPT_SHORT); and any running task keeps it for the first
/// [`QUANTUM`] of CPU time after it woke.
///
/// The quantum is EEVDF's (the paper's q): without it, a task that wakes
/// others while it works (a hackbench sender) lost the CPU at each
/// message to a task with a shorter request, or as soon as it drifted
/// past `V`, a few us into its burst. A task that never sleeps has no
/// quantum, so a short request still preempts it at once.
#[inline]
fn wakeup_preempts(rq: &Rq<'_>, f: &mut EevdfRq, woken: Option<Woken>) -> bool {
    let terms = totals(rq, f);
    let zero = f.zero;
    let Some((t, c)) = curr_of(rq, f) else {
        return false;
    };
    if renew_if_done(t, c) {
        return true;
    }
    let Some(w) = woken else {
        return false;
    };
    if c.prev_runtime < c.quantum_end {
        return false;
    }
    if eligible(c.vruntime, zero, terms) && (w.request >= c.request || c.deadline <= w.deadline) {
        return false;
    }
    let first = f.queue.iter().find(|(_, d)| eligible(d.vruntime(), zero, terms));
    first.is_some_and(|(q, _)| q.id() == w.id)
}

/// `t`, the running task, leaves the CPU: its vruntime and deadline go
/// to `d`. Charge it first (update_curr).
#[inline]
fn put_curr(rq: &Rq<'_>, f: &mut EevdfRq, t: &TaskRef, d: &mut TaskData) {
    match f.curr.take() {
        Some(c) if c.id == t.id() => {
            d.set_vruntime(c.vruntime);
            d.words()[DEADLINE] = c.deadline as u64;
            d.set_prev_runtime(c.prev_runtime);
        }
        other => {
            // running since before the switch, never adopted: start it
            // at V with a fresh request
            f.curr = other;
            let (v, _) = avg_vruntime(rq, f);
            d.set_vruntime(v);
            d.words()[DEADLINE] = (v + vrequest(t, d)) as u64;
            d.set_prev_runtime(t.runtime_ns());
        }
    }
}

/// Requeues a preempted or yielding running task.
#[inline]
fn requeue(rq: &Rq<'_>, lock: &mut RqLock<'_, Eevdf>, mut t: TaskToken<Eevdf>, extend: bool) {
    let cx = lock.in_policy();
    let f = RQS.get_mut(rq, lock);
    let (task, d) = t.split();
    update_curr(rq, f);
    put_curr(rq, f, task, d);
    let (v, dl) = (d.vruntime(), deadline_of(d));
    if v >= dl || extend {
        // a new request (yield: behind the current one)
        d.words()[DEADLINE] = (dl.max(v) + vrequest(task, d)) as u64;
    }
    enqueue(rq.cpu(), f, t, cx);
}

/// An exported lag as a vruntime on a queue just switched in.
fn adopted_vruntime(f: &EevdfRq, h: &Handover) -> i64 {
    f.zero - h.lag_ns.unwrap_or(0).clamp(-HANDOVER_LAG_MAX, HANDOVER_LAG_MAX)
}

/// An exported rest of a slice as a deadline for `t` at `v`.
fn adopted_deadline(t: &TaskRef, d: &TaskData, v: i64, h: &Handover) -> i64 {
    let vreq = vrequest(t, d);
    v + h.slice_left_ns.map_or(vreq, |ns| scaled(ns, t).min(vreq))
}

/// The rest of a request from `v` to `deadline`, in CPU time.
fn slice_left(t: &TaskRef, v: i64, deadline: i64) -> u64 {
    (deadline - v).max(0) as u64 * weight_of(t) / NICE_0_WEIGHT
}

struct Eevdf;

#[vtable]
impl Policy for Eevdf {
    const NAME: &'static CStr = c"eevdf";

    fn init(q: &mut Quiescent<Eevdf>) -> Result {
        RQS.for_each_mut(q, |f| *f = EevdfRq::new());
        for cpu in 0..NR_CPUS {
            AVG_V[cpu].store(0, Relaxed);
            NR[cpu].store(0, Relaxed);
        }
        Ok(())
    }

    fn exit(q: &mut Quiescent<Eevdf>) {
        // every task was handed on: free the (empty) queues
        RQS.for_each_mut(q, |f| *f = EevdfRq::new());
    }

    fn task_new(t: &TaskRef, d: &mut TaskData) -> Result {
        d.set_vruntime(0); // off a queue: lag 0
        d.words()[REQUEST] = BASE_SLICE;
        d.words()[DEADLINE] = (vrequest(t, d) / 2) as u64;
        d.set_prev_runtime(t.runtime_ns());
        d.words()[WOKE_AT] = t.runtime_ns();
        d.words()[LEFT_CPU] = 0;
        Ok(())
    }

    #[inline]
    fn task_wakeup(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Eevdf>,
        mut t: TaskToken<Eevdf>,
        flags: u32,
    ) -> bool {
        let cpu = rq.cpu();
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, f);
        let (v_avg, load) = avg_vruntime(rq, f);
        let (task, d) = t.split();
        let mut lag = rejoin_lag(task, d, flags);
        if load > 0 && lag != 0 {
            // so that V is where it was once t has joined
            lag = lag * (load + weight_of(task) as i64) / load;
        }
        let kept = deadline_of(d);
        let request = request(d);
        let rest = if flags & WF_NEW != 0 {
            scaled(request, task) / 2
        } else if flags & WF_MIGRATED != 0 && kept > 0 {
            kept // the rest of its request
        } else {
            scaled(request, task)
        };
        let v = v_avg - lag;
        let now = task.runtime_ns();
        d.set_vruntime(v);
        d.words()[DEADLINE] = (v + rest) as u64;
        d.set_prev_runtime(now);
        if flags & (WF_NEW | WF_WAKEUP) != 0 {
            d.words()[WOKE_AT] = now;
        }
        let woken = (lag >= 0).then_some(Woken { id: task.id(), deadline: v + rest, request });
        enqueue(cpu, f, t, cx) && wakeup_preempts(rq, f, woken)
    }

    #[inline]
    fn task_blocked(rq: &Rq<'_>, lock: &mut RqLock<'_, Eevdf>, t: &TaskRef, d: &mut TaskData) {
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, f);
        let (v_avg, _) = avg_vruntime(rq, f);
        put_curr(rq, f, t, d);
        leave(t, d, v_avg);
        // the request follows the bursts: 3/4 the old one, 1/4 this one
        let burst = t.runtime_ns().saturating_sub(d.word(WOKE_AT));
        let req = (3 * d.word(REQUEST) + burst.min(BASE_SLICE)) / 4;
        d.words()[REQUEST] = req.clamp(MIN_REQUEST, BASE_SLICE);
        if d.vruntime() < 0 {
            // it owes time: note V without it, to pay off from
            let (v_after, _) = avg_vruntime(rq, f);
            d.words()[LEFT_V] = v_after as u64;
            d.words()[LEFT_CPU] = rq.cpu() as u64 + 1;
        } else {
            d.words()[LEFT_CPU] = 0;
        }
    }

    #[inline]
    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, Eevdf>, t: TaskToken<Eevdf>) {
        requeue(rq, lock, t, false);
    }

    fn task_yield(rq: &Rq<'_>, lock: &mut RqLock<'_, Eevdf>, t: TaskToken<Eevdf>) {
        requeue(rq, lock, t, true);
    }

    #[inline]
    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Eevdf>,
        t: &TaskRef,
    ) -> Option<TaskToken<Eevdf>> {
        let cpu = rq.cpu();
        let f = RQS.get_mut(rq, lock);
        let tok = f.queue.remove(t)?;
        update_curr(rq, f);
        // its lag is against V with it counted (still in the sums)
        let (v_avg, _) = avg_vruntime(rq, f);
        let mut tok = unqueued(cpu, f, tok);
        let (task, d) = tok.split();
        leave(task, d, v_avg);
        d.words()[LEFT_CPU] = 0;
        Some(tok)
    }

    #[inline]
    fn task_tick(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Eevdf>,
        _t: &TaskRef,
        _d: &mut TaskData,
    ) -> bool {
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, f);
        avg_vruntime(rq, f);
        let done = curr_of(rq, f).is_some_and(|(t, c)| renew_if_done(t, c));
        done && !f.queue.is_empty()
    }

    #[inline]
    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Eevdf>) -> Option<TaskToken<Eevdf>> {
        let cpu = rq.cpu();
        let f = RQS.get_mut(rq, lock);
        // some task is always eligible (V is an average); the one with
        // the earliest deadline just in case
        let best = first_eligible(rq, f).unwrap_or(0);
        let t = f.queue.remove_at(best)?;
        let mut t = unqueued(cpu, f, t);
        let (task, d) = t.split();
        let now = task.runtime_ns();
        d.set_prev_runtime(now);
        f.curr = Some(Curr::new(task, d, d.vruntime(), deadline_of(d), now));
        Some(t)
    }

    #[inline]
    fn select_cpu(t: &TaskRef, prev_cpu: usize, flags: u32) -> usize {
        place_by_load(t, prev_cpu, flags, |c| NR[c].load(Relaxed))
    }

    fn balance<'a>(dst: &Rq<'a>, src: &Rq<'a>, lock: &'a RqLock<'a, Eevdf>) -> Option<&'a TaskRef> {
        RQS.get(src, lock)
            .queue
            .iter()
            .rev()
            .map(|(t, _)| t)
            .find(|t| t.allowed_on(dst.cpu()) && !t.on_cpu())
    }

    fn task_export(rq: &Rq<'_>, lock: &mut RqLock<'_, Eevdf>, t: &TaskRef) -> Handover {
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, f);
        let (v_avg, _) = avg_vruntime(rq, f);
        match f.queue.iter().find(|(q, _)| q.id() == t.id()) {
            Some((_, d)) => {
                let (v, dl) = (d.vruntime(), deadline_of(d));
                Handover { lag_ns: Some(v_avg - v), slice_left_ns: Some(slice_left(t, v, dl)) }
            }
            None => Handover::default(),
        }
    }

    fn task_export_curr(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Eevdf>,
        t: &TaskRef,
        _d: &TaskData,
    ) -> Handover {
        let f = RQS.get_mut(rq, lock);
        update_curr(rq, f);
        let (v_avg, _) = avg_vruntime(rq, f);
        match f.curr.as_ref().filter(|c| c.id == t.id()) {
            Some(c) => Handover {
                lag_ns: Some(v_avg - c.vruntime),
                slice_left_ns: Some(slice_left(t, c.vruntime, c.deadline)),
            },
            None => Handover::default(),
        }
    }

    fn task_adopt(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Eevdf>,
        mut t: TaskToken<Eevdf>,
        h: &Handover,
    ) -> Result {
        let cx = lock.in_policy();
        let f = RQS.get_mut(rq, lock);
        let v = adopted_vruntime(f, h);
        let (task, d) = t.split();
        d.set_vruntime(v);
        d.words()[DEADLINE] = adopted_deadline(task, d, v, h) as u64;
        d.set_prev_runtime(task.runtime_ns());
        d.words()[LEFT_CPU] = 0;
        if enqueue(rq.cpu(), f, t, cx) {
            Ok(())
        } else {
            Err(EEXIST)
        }
    }

    fn task_adopt_curr(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Eevdf>,
        t: &TaskRef,
        d: &mut TaskData,
        h: &Handover,
    ) -> Result {
        let f = RQS.get_mut(rq, lock);
        let (v, now) = (adopted_vruntime(f, h), t.runtime_ns());
        let deadline = adopted_deadline(t, d, v, h);
        d.set_vruntime(v);
        d.words()[DEADLINE] = deadline as u64;
        d.set_prev_runtime(now);
        d.words()[LEFT_CPU] = 0;
        f.curr = Some(Curr::new(t, d, v, deadline, now));
        Ok(())
    }
}

struct EevdfModule {
    _reg: Registration<Eevdf>,
}

impl Module for EevdfModule {
    fn init() -> Result<Self> {
        Ok(EevdfModule { _reg: Registration::register()? })
    }
}
