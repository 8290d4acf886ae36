// SPDX-License-Identifier: MIT
//! Tests of the [`TaskToken`] life-time rules: a task is not freed while
//! a token of it exists, a policy that keeps a live task's token across
//! a switch is abandoned, and a token used outside its policy's
//! callbacks (kept in a static after its policy was switched away) is
//! refused and, when dropped, leaves the next policy's flag alone.
//!
//! `test_keep_token` is a FIFO per CPU (a [`FifoPolicy`]) that breaks one
//! rule on purpose: it never picks the task whose pid is in `TARGET`,
//! so the core runs that task itself (rejecting the empty pick) and
//! tells the policy with `task_dequeue`, which keeps the token in a
//! static (`kept()`) and answers `None`. `test_keep_live` has the same
//! rules (its own statics); its test keeps a busy companion thread next
//! to the target, so the core never runs the target and the first
//! `task_dequeue` of it is the one of a switch away. `test_stale_data`
//! and `test_stale_drop` are the same as `test_keep_live` (each test
//! abandons one of them for good); `test_stale_holder` is the policy
//! switched to after `test_stale_drop`, which, with the same target,
//! holds the target's token (queued, never picked) while the stale one
//! is dropped.

use super::{
    switch_to, Fifo, FifoHooks, FifoPolicy, Ops, Quiescent, Rq, RqLock, TaskRef, TaskToken,
};
use crate::error::to_result;
use crate::prelude::*;
use crate::sync::SpinLock;
use core::ffi::{c_int, c_void};
use core::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, Ordering};

/// Which policy of this file a [`Keeper`] is: a one-tick FIFO
/// ([`FifoPolicy`]) whose `exit`, `task_dequeue` and `pick_next` are
/// [`keeper_exit`], [`keeper_dequeue`] and [`keeper_pick`].
trait Rules: FifoHooks {
    fn kept() -> &'static SpinLock<Option<TaskToken<Keeper<Self>>>>;
    fn target() -> &'static AtomicI32;
    fn exits() -> &'static AtomicU32;
    /// The pid the kept token read in `exit()` (-1: none kept).
    fn seen() -> &'static AtomicI32;
    /// The one ops table of `Keeper<Self>` (a static: one address, as
    /// `InPolicy` requires one table per policy type).
    fn table() -> &'static bindings::sched_policy_ops;
}

type Keeper<R> = FifoPolicy<R>;

fn is_target<R: Rules>(t: &TaskRef) -> bool {
    t.pid() == R::target().load(Ordering::Relaxed)
}

fn keep<R: Rules>(tok: TaskToken<Keeper<R>>) {
    *R::kept().lock() = Some(tok);
}

fn keeper_exit<R: Rules>() {
    let mut kept = R::kept().lock();
    // exit() may use the policy's tokens
    R::seen().store(kept.as_ref().map_or(-1, |tok| tok.task().pid()), Ordering::Relaxed);
    *kept = None; // drops the kept token
    R::exits().fetch_add(1, Ordering::Relaxed);
}

fn keeper_dequeue<R: Rules>(
    rq: &Rq<'_>,
    lock: &mut RqLock<'_, Keeper<R>>,
    t: &TaskRef,
) -> Option<TaskToken<Keeper<R>>> {
    let tok = R::queues().remove(rq, lock, t)?;
    if !is_target::<R>(t) {
        return Some(tok);
    }
    keep::<R>(tok); // the bug under test: "I do not hold it"
    None
}

fn keeper_pick<R: Rules>(
    rq: &Rq<'_>,
    lock: &mut RqLock<'_, Keeper<R>>,
) -> Option<TaskToken<Keeper<R>>> {
    R::queues().pop_first(rq, lock, |t| !is_target::<R>(t))
}

/// An ops table in a static.
struct Table(bindings::sched_policy_ops);
// SAFETY: the table is never written (the core only reads it); its raw
// pointers are the policy's name and callbacks, valid from any CPU.
unsafe impl Sync for Table {}

macro_rules! rules {
    ($ty:ident, $name:literal) => {
        struct $ty;
        impl FifoHooks for $ty {
            const NAME: &'static CStr = $name;
            fn queues() -> &'static Fifo<Keeper<Self>> {
                static Q: Fifo<Keeper<$ty>> = Fifo::new();
                &Q
            }
            fn exit(_q: &mut Quiescent<Keeper<Self>>) {
                keeper_exit::<Self>();
            }
            fn task_dequeue(
                rq: &Rq<'_>,
                lock: &mut RqLock<'_, Keeper<Self>>,
                t: &TaskRef,
            ) -> Option<TaskToken<Keeper<Self>>> {
                keeper_dequeue::<Self>(rq, lock, t)
            }
            fn pick_next(
                rq: &Rq<'_>,
                lock: &mut RqLock<'_, Keeper<Self>>,
            ) -> Option<TaskToken<Keeper<Self>>> {
                keeper_pick::<Self>(rq, lock)
            }
        }
        impl Rules for $ty {
            fn kept() -> &'static SpinLock<Option<TaskToken<Keeper<Self>>>> {
                static K: SpinLock<Option<TaskToken<Keeper<$ty>>>> = SpinLock::new(None);
                &K
            }
            fn target() -> &'static AtomicI32 {
                static T: AtomicI32 = AtomicI32::new(-1);
                &T
            }
            fn exits() -> &'static AtomicU32 {
                static E: AtomicU32 = AtomicU32::new(0);
                &E
            }
            fn seen() -> &'static AtomicI32 {
                static S: AtomicI32 = AtomicI32::new(-1);
                &S
            }
            fn table() -> &'static bindings::sched_policy_ops {
                static O: Table = Table(Ops::<Keeper<$ty>>::TABLE);
                &O.0
            }
        }
    };
}

rules!(KeepToken, c"test_keep_token");
rules!(KeepLive, c"test_keep_live");
rules!(StaleData, c"test_stale_data");
rules!(StaleDrop, c"test_stale_drop");
rules!(StaleHolder, c"test_stale_holder");

/// Switches to the policy of `R`, unregistered (so that the tests
/// take no slot of the registry, which other policies need).
fn switch_to_keeper<R: Rules>() -> Result {
    // SAFETY: the table is a static, valid forever, the only one of its
    // type; its callbacks follow the contracts of include/keel/sched.h.
    to_result(unsafe { bindings::sched_policy_switch(R::table()) })
}

/// Slab objects and free pages (a task is one object and its stack).
fn usage() -> (u64, u64) {
    let mut u = bindings::mm_usage { free_pages: 0, slab_objects: 0, slab_bytes: 0 };
    // SAFETY: `u` is a valid mm_usage to fill in.
    unsafe { bindings::mm_usage_get(&mut u) };
    (u.slab_objects, u.free_pages)
}

fn nr_parked() -> u32 {
    // SAFETY: a racy read of a counter; no preconditions.
    unsafe { bindings::task_nr_parked() }
}

/// The highest online CPU.
fn last_cpu() -> u32 {
    63 - super::online_mask().leading_zeros()
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn returns_7(_: *mut c_void) -> c_int {
    7
}

extern "C" fn spins_until_stop(_: *mut c_void) -> c_int {
    while !STOP.load(Ordering::Relaxed) {
        crate::kthread::yield_now();
    }
    8
}

/// A kernel thread running `f`, bound to `cpu`, whose pid is stored in
/// `target` before it starts. Returns the task (creator's reference).
fn start_target(
    f: unsafe extern "C" fn(*mut c_void) -> c_int,
    cpu: u32,
    target: &AtomicI32,
) -> Option<*mut bindings::task> {
    // SAFETY: f is a thread function taking no data; "%s" takes the
    // NUL-terminated name.
    let p = unsafe {
        bindings::kthread_create(Some(f), core::ptr::null_mut(), c"%s".as_ptr(), c"target".as_ptr())
    };
    let p = crate::error::from_err_ptr(p).ok().filter(|p| !p.is_null())?;
    // SAFETY: p is a NEW thread we hold the creator's reference of.
    unsafe {
        let _ = bindings::kthread_bind(p, cpu);
        target.store((*p).pid, Ordering::Relaxed);
        bindings::wake_up_process(p);
    }
    Some(p)
}

/// Under the active policy of `R`: a busy companion and a target
/// (whose pid goes to `R::target()`) on CPU 0; the policy never picks
/// the target, so it waits queued. Returns (companion, target).
fn start_pair<R: Rules>() -> Option<(*mut bindings::task, *mut bindings::task)> {
    STOP.store(false, Ordering::Relaxed);
    let unused = AtomicI32::new(0);
    let c = start_target(spins_until_stop, 0, &unused)?;
    let Some(p) = start_target(spins_until_stop, 0, R::target()) else {
        STOP.store(true, Ordering::Relaxed);
        stop(c);
        return None;
    };
    Some((c, p))
}

/// `p->se.token`, as the core's free path reads it.
fn flag_of(p: *mut bindings::task) -> u32 {
    // SAFETY: p is a live task we hold the creator's reference of; the
    // flag is an aligned u32 that Rust accesses atomically (and the
    // core writes only in a switch, which is not running now).
    unsafe { AtomicU32::from_ptr(core::ptr::addr_of_mut!((*p).se.token)) }.load(Ordering::Acquire)
}

/// Stops a thread from [`start_target`], giving back our reference.
fn stop(p: *mut bindings::task) -> i32 {
    // SAFETY: our creator's reference, consumed by kthread_stop.
    unsafe { bindings::kthread_stop(p) }
}

#[crate::ktest(sched_tokens)]
mod tests {
    use super::*;
    use crate::ktest::Test;

    /// The scenario of the use-after-free: the policy keeps the token of
    /// a task the core ran itself; the task exits and is reaped while
    /// the policy is active; the token still reads the task's pid, and
    /// once the policy's exit() dropped it the task is freed.
    #[test]
    fn kept_token_keeps_task_until_exit(t: &mut Test) {
        let (slab0, pages0, parked0) = (usage().0, usage().1, nr_parked());
        crate::kt_assert!(t, switch_to_keeper::<KeepToken>().is_ok());
        let Some(p) = start_target(returns_7, last_cpu(), KeepToken::target()) else {
            return crate::kt_fail!(t, "cannot create the target thread");
        };
        let pid = KeepToken::target().load(Ordering::Relaxed);
        crate::kt_expect_eq!(t, stop(p), 7); // it ran, exited, was reaped
        crate::kt_expect_eq!(t, nr_parked(), parked0 + 1);
        // its struct task lives on; a new task would reuse a freed one
        // (the slab is LIFO)
        crate::kt_expect!(t, usage().0 > slab0);
        let unused = AtomicI32::new(0);
        if let Some(q) = start_target(returns_7, 0, &unused) {
            crate::kt_expect_eq!(t, stop(q), 7);
        }
        crate::kt_expect!(t, switch_to(c"fair").is_ok());
        crate::kt_expect_eq!(t, KeepToken::exits().load(Ordering::Relaxed), 1);
        // exit() read the kept token: still the target's pid
        crate::kt_expect_eq!(t, KeepToken::seen().load(Ordering::Relaxed), pid);
        crate::kt_expect_eq!(t, nr_parked(), parked0);
        crate::kt_expect_eq!(t, usage(), (slab0, pages0));
        // not abandoned: it can come back, and go again
        crate::kt_expect!(t, switch_to_keeper::<KeepToken>().is_ok());
        crate::kt_expect!(t, switch_to(c"fair").is_ok());
    }

    /// A policy that keeps a live task's token when a switch asks for
    /// it back is abandoned: no exit() (which could reach the task's
    /// data, now the next policy's), no return; the task lives on under
    /// fair and is freed normally when it ends.
    #[test]
    fn kept_live_token_abandons_policy(t: &mut Test) {
        let (slab0, pages0) = usage();
        crate::kt_assert!(t, switch_to_keeper::<KeepLive>().is_ok());
        STOP.store(false, Ordering::Relaxed);
        // the companion runs whenever the policy picks on CPU 0: the
        // target waits queued there
        let unused = AtomicI32::new(0);
        let Some(c) = start_target(spins_until_stop, 0, &unused) else {
            return crate::kt_fail!(t, "cannot create the companion thread");
        };
        let Some(p) = start_target(spins_until_stop, 0, KeepLive::target()) else {
            STOP.store(true, Ordering::Relaxed);
            stop(c);
            return crate::kt_fail!(t, "cannot create the target thread");
        };
        crate::time::msleep(50);
        crate::kt_expect!(t, switch_to(c"fair").is_ok());
        crate::kt_expect_eq!(t, KeepLive::exits().load(Ordering::Relaxed), 0);
        crate::kt_expect_eq!(t, switch_to_keeper::<KeepLive>(), Err(EBUSY));
        STOP.store(true, Ordering::Relaxed);
        crate::kt_expect_eq!(t, stop(p), 8);
        crate::kt_expect_eq!(t, stop(c), 8);
        crate::kt_expect_eq!(t, usage(), (slab0, pages0));
    }

    /// A stale token dropped after its policy was switched away leaves
    /// the next policy's token flag alone: `test_stale_drop` keeps the
    /// target's token across the switch to `test_stale_holder` (and is
    /// abandoned), which adopts the target and holds its token (flag
    /// set: the task may not be freed). Dropping the stale token from
    /// this thread must not clear it (the old `Drop` did: the task could
    /// then be freed while the holder still queued it).
    #[test]
    fn stale_token_drop_leaves_next_flag(t: &mut Test) {
        let (slab0, pages0) = usage();
        crate::kt_assert!(t, switch_to_keeper::<StaleDrop>().is_ok());
        let Some((c, p)) = start_pair::<StaleDrop>() else {
            return crate::kt_fail!(t, "cannot create the threads");
        };
        let pid = StaleDrop::target().load(Ordering::Relaxed);
        StaleHolder::target().store(pid, Ordering::Relaxed);
        crate::time::msleep(50);
        crate::kt_expect!(t, switch_to_keeper::<StaleHolder>().is_ok());
        crate::kt_expect_eq!(t, StaleDrop::exits().load(Ordering::Relaxed), 0);
        crate::kt_expect_eq!(t, switch_to_keeper::<StaleDrop>(), Err(EBUSY));
        crate::kt_expect_eq!(t, flag_of(p), 1); // the holder's token
        let stale = StaleDrop::kept().lock().take();
        crate::kt_expect!(t, stale.is_some());
        drop(stale); // outside its policy: must touch nothing
        crate::kt_expect_eq!(t, flag_of(p), 1);
        // the holder runs the target from now on; then both end
        StaleHolder::target().store(-1, Ordering::Relaxed);
        STOP.store(true, Ordering::Relaxed);
        crate::kt_expect_eq!(t, stop(p), 8);
        crate::kt_expect_eq!(t, stop(c), 8);
        crate::kt_expect!(t, switch_to(c"fair").is_ok());
        crate::kt_expect_eq!(t, StaleHolder::exits().load(Ordering::Relaxed), 1);
        crate::kt_expect_eq!(t, usage(), (slab0, pages0)); // nothing leaked
    }

    /// A token kept in a static across its policy's switch away is
    /// refused when used from outside the policy's callbacks: `data()`
    /// panics instead of lending the task's `p->se`, which the switch
    /// gave to the next policy (and which is gone once the task is
    /// freed, as here). Last in the suite: the case ends in the panic.
    #[test]
    fn stale_token_data_is_refused(t: &mut Test) {
        crate::kt_assert!(t, switch_to_keeper::<StaleData>().is_ok());
        let Some((c, p)) = start_pair::<StaleData>() else {
            return crate::kt_fail!(t, "cannot create the threads");
        };
        crate::time::msleep(50);
        crate::kt_expect!(t, switch_to(c"fair").is_ok());
        crate::kt_expect_eq!(t, switch_to_keeper::<StaleData>(), Err(EBUSY));
        STOP.store(true, Ordering::Relaxed);
        crate::kt_expect_eq!(t, stop(p), 8);
        crate::kt_expect_eq!(t, stop(c), 8);
        let mut stale = StaleData::kept().lock().take();
        crate::kt_assert!(t, stale.is_some());
        t.expect_panic(c"TaskToken used outside its policy");
        let v = stale.as_mut().map(|tok| tok.data().vruntime());
        crate::kt_fail!(t, "a stale token lent p->se (vruntime {:?})", v);
    }
}
