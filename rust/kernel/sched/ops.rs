// SPDX-License-Identifier: MIT
//! The [`Policy`] trait a Rust policy implements, the adapter
//! ([`Ops`]) that turns it into the C core's `struct sched_policy_ops`,
//! and [`Registration`].

use super::*;
use crate::error::{to_result, Result};
use crate::str::CStr;
use crate::vtable;
use core::ffi::c_int;
use core::marker::PhantomData;
use core::ptr::NonNull;

/// A scheduling policy. See `struct sched_policy_ops` for each callback's
/// context and the core's default when the policy leaves it out.
///
/// A FIFO per CPU that counts its picks, made the active policy while a
/// thread runs, then switched away from:
///
/// ```
/// use core::sync::atomic::{AtomicU32, Ordering};
/// use kernel::kthread::{self, Thread};
/// use kernel::prelude::*;
/// use kernel::sched::{self, PerCpu, Policy, Quiescent, Rq, RqLock, TaskQueue, TaskRef, TaskToken};
///
/// struct DocFifo;
///
/// static QUEUES: PerCpu<DocFifo, TaskQueue<DocFifo>> = kernel::per_cpu!(TaskQueue::new());
/// static PICKS: AtomicU32 = AtomicU32::new(0);
///
/// #[vtable]
/// impl Policy for DocFifo {
///     const NAME: &'static CStr = c"doc_fifo";
///
///     fn exit(q: &mut Quiescent<Self>) {
///         QUEUES.for_each_mut(q, |queue| *queue = TaskQueue::new());
///     }
///
///     fn task_wakeup(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>, _: u32) -> bool {
///         let _ = QUEUES.get_mut(rq, lock).push_back(t); // Err: queued already
///         false
///     }
///
///     fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>) {
///         let _ = QUEUES.get_mut(rq, lock).push_back(t);
///     }
///
///     fn task_yield(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>) {
///         let _ = QUEUES.get_mut(rq, lock).push_back(t);
///     }
///
///     fn task_dequeue(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: &TaskRef) -> Option<TaskToken<Self>> {
///         QUEUES.get_mut(rq, lock).remove(t)
///     }
///
///     fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>) -> Option<TaskToken<Self>> {
///         let next = QUEUES.get_mut(rq, lock).remove_at(0)?;
///         PICKS.fetch_add(1, Ordering::Relaxed);
///         Some(next)
///     }
/// }
///
/// let _policy = sched::Registration::<DocFifo>::register()?; // stays registered
/// sched::switch_to(c"doc_fifo")?; // every task moves over to it
/// let worker = Thread::run(c"doc_fifo_worker", || {
///     for _ in 0..3 {
///         kthread::yield_now(); // back to the tail of the FIFO
///     }
///     5
/// })?;
/// assert_eq!(worker.stop(), 5);
/// sched::switch_to(c"fair")?; // back to the C policy; DocFifo's exit runs
/// assert!(PICKS.load(Ordering::Relaxed) >= 3);
/// # Ok::<(), Error>(())
/// ```
#[vtable]
pub trait Policy: 'static {
    /// The policy's name (`sched.policy=NAME`, monitor `sched NAME`).
    const NAME: &'static CStr;

    /// The policy becomes active.
    fn init(_q: &mut Quiescent<Self>) -> Result {
        Ok(())
    }
    /// The policy was switched away: free what it holds.
    fn exit(_q: &mut Quiescent<Self>) {}
    /// A task exists: set up its data.
    fn task_new(_t: &TaskRef, _data: &mut TaskData) -> Result {
        Ok(())
    }
    /// A task is gone for good.
    fn task_dead(_t: &TaskRef) {}
    /// `t` became runnable on `rq`: queue it; true asks to preempt curr.
    fn task_wakeup(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Self>,
        t: TaskToken<Self>,
        flags: u32,
    ) -> bool;
    /// The running task blocked or exited.
    fn task_blocked(
        _rq: &Rq<'_>,
        _lock: &mut RqLock<'_, Self>,
        _t: &TaskRef,
        _data: &mut TaskData,
    ) {
    }
    /// The running task was preempted: requeue it.
    fn task_preempt(_rq: &Rq<'_>, _lock: &mut RqLock<'_, Self>, _t: TaskToken<Self>) {}
    /// The running task yields: requeue it behind the others.
    fn task_yield(_rq: &Rq<'_>, _lock: &mut RqLock<'_, Self>, _t: TaskToken<Self>) {}
    /// `t` leaves the queue without running: give its token back (None
    /// if the policy does not hold it).
    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Self>,
        t: &TaskRef,
    ) -> Option<TaskToken<Self>>;
    /// A tick while `t` runs; true preempts it.
    fn task_tick(
        _rq: &Rq<'_>,
        _lock: &mut RqLock<'_, Self>,
        _t: &TaskRef,
        _d: &mut TaskData,
    ) -> bool {
        false
    }
    /// The task to run next, taken out of the policy's queue.
    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>) -> Option<TaskToken<Self>>;
    /// The CPU to queue waking `t` on (no lock held).
    fn select_cpu(_t: &TaskRef, prev_cpu: usize, _flags: u32) -> usize {
        prev_cpu
    }
    /// A task queued on `src` that idle `dst` should pull (not removed).
    fn balance<'a>(
        _dst: &Rq<'a>,
        _src: &Rq<'a>,
        _lock: &'a RqLock<'a, Self>,
    ) -> Option<&'a TaskRef> {
        None
    }
    /// Live switch away from this policy: describe `t`, queued on `rq`
    /// (the policy finds its token). Read-only in effect: if the switch
    /// is undone, the policy runs on.
    fn task_export(_rq: &Rq<'_>, _lock: &mut RqLock<'_, Self>, _t: &TaskRef) -> Handover {
        Handover::default()
    }
    /// As `task_export`, for `rq`'s running task (whose data the core
    /// lends, read-only).
    fn task_export_curr(
        _rq: &Rq<'_>,
        _lock: &mut RqLock<'_, Self>,
        _t: &TaskRef,
        _d: &TaskData,
    ) -> Handover {
        Handover::default()
    }
    /// Live switch to this policy: take `t`, queued on `rq`, with what
    /// the old policy exported (after `task_new`). An error undoes the
    /// switch; the policy must then not keep `t`.
    fn task_adopt(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Self>,
        t: TaskToken<Self>,
        _h: &Handover,
    ) -> Result {
        Self::task_wakeup(rq, lock, t, WF_SWITCH);
        Ok(())
    }
    /// As `task_adopt`, for `rq`'s running task: set up its accounting,
    /// do not queue it (it comes back through preempt/blocked/yield).
    fn task_adopt_curr(
        _rq: &Rq<'_>,
        _lock: &mut RqLock<'_, Self>,
        _t: &TaskRef,
        _d: &mut TaskData,
        _h: &Handover,
    ) -> Result {
        Ok(())
    }
}

/// Builds the C ops table of policy `T` (used by [`Registration`]).
pub struct Ops<T: Policy>(PhantomData<T>);

impl<T: Policy> Ops<T> {
    pub(super) const TABLE: bindings::sched_policy_ops = bindings::sched_policy_ops {
        name: T::NAME.as_ptr(),
        init: if T::HAS_INIT { Some(Self::init) } else { None },
        exit: if T::HAS_EXIT { Some(Self::exit) } else { None },
        // always: it also marks the task as in no TaskQueue
        task_new: Some(Self::task_new),
        task_dead: if T::HAS_TASK_DEAD { Some(Self::task_dead) } else { None },
        task_wakeup: Some(Self::task_wakeup),
        task_blocked: if T::HAS_TASK_BLOCKED { Some(Self::task_blocked) } else { None },
        task_preempt: if T::HAS_TASK_PREEMPT { Some(Self::task_preempt) } else { None },
        task_yield: if T::HAS_TASK_YIELD { Some(Self::task_yield) } else { None },
        task_dequeue: Some(Self::task_dequeue),
        task_tick: if T::HAS_TASK_TICK { Some(Self::task_tick) } else { None },
        pick_next: Some(Self::pick_next),
        select_cpu: if T::HAS_SELECT_CPU { Some(Self::select_cpu) } else { None },
        balance: if T::HAS_BALANCE { Some(Self::balance) } else { None },
        task_export: if T::HAS_TASK_EXPORT || T::HAS_TASK_EXPORT_CURR {
            Some(Self::task_export)
        } else {
            None
        },
        task_adopt: if T::HAS_TASK_ADOPT || T::HAS_TASK_ADOPT_CURR {
            Some(Self::task_adopt)
        } else {
            None
        },
    };

    /// # Safety
    ///
    /// `rq` must be a live runqueue whose lock the caller holds.
    #[inline]
    unsafe fn rq<'a>(rq: *mut bindings::rq) -> (Rq<'a>, RqLock<'a, T>) {
        // SAFETY: non-NULL and live per the caller.
        (Rq(unsafe { NonNull::new_unchecked(rq) }, PhantomData), RqLock(PhantomData, PhantomData))
    }

    /// # Safety
    ///
    /// Called by the core (under its switch mutex) before the table is
    /// published: no callback of the policy runs.
    unsafe extern "C" fn init() -> c_int {
        match T::init(&mut Quiescent(PhantomData, PhantomData)) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// Called by the core (under its switch mutex) after the policy was
    /// switched away and every CPU left its callbacks.
    unsafe extern "C" fn exit() {
        T::exit(&mut Quiescent(PhantomData, PhantomData))
    }

    /// # Safety
    ///
    /// `p` is a live task the policy does not hold yet (task_new contract).
    unsafe extern "C" fn task_new(p: *mut bindings::task) -> c_int {
        // SAFETY: live; before task_new nobody uses p->se (no queue
        // of this policy holds p yet).
        let (t, d) = unsafe {
            queue::mark_unlinked(p);
            (TaskRef::from_raw(p), TaskData::from_raw(p))
        };
        if !T::HAS_TASK_NEW {
            return 0;
        }
        match T::task_new(t, d) {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }

    /// # Safety
    ///
    /// `p` is a live task being reaped.
    unsafe extern "C" fn task_dead(p: *mut bindings::task) {
        // SAFETY: live until the callback returns.
        T::task_dead(unsafe { TaskRef::from_raw(p) })
    }

    /// # Safety
    ///
    /// `rq` locked, `p` a live task becoming runnable on it, not held by
    /// the policy.
    unsafe extern "C" fn task_wakeup(
        rq: *mut bindings::rq,
        p: *mut bindings::task,
        f: u32,
    ) -> bool {
        // SAFETY: per the task_wakeup contract above.
        let ((rq, mut lock), tok) = unsafe { (Self::rq(rq), TaskToken::<T>::hand_over(p)) };
        tok.is_some_and(|tok| T::task_wakeup(&rq, &mut lock, tok, f))
    }

    /// # Safety
    ///
    /// `rq` locked, `p` its running task (whose token the core holds).
    unsafe extern "C" fn task_blocked(rq: *mut bindings::rq, p: *mut bindings::task) {
        // SAFETY: p is live (the contract), and this is a guarded
        // callback of the policy that owns p->se (the core calls it).
        if unsafe { token_held(p) } {
            return; // a token of p exists: its holder has p->se to itself
        }
        // SAFETY: per the contract; with no token of p, the core lends
        // p->se for this call.
        let ((rq, mut lock), t, d) =
            unsafe { (Self::rq(rq), TaskRef::from_raw(p), TaskData::from_raw(p)) };
        T::task_blocked(&rq, &mut lock, t, d)
    }

    /// # Safety
    ///
    /// `rq` locked, `p` its running task, handed back to the policy.
    unsafe extern "C" fn task_preempt(rq: *mut bindings::rq, p: *mut bindings::task) {
        // SAFETY: per the contract; the core gives up its token.
        let ((rq, mut lock), tok) = unsafe { (Self::rq(rq), TaskToken::<T>::hand_over(p)) };
        if let Some(tok) = tok {
            T::task_preempt(&rq, &mut lock, tok)
        }
    }

    /// # Safety
    ///
    /// `rq` locked, `p` its running task, handed back to the policy.
    unsafe extern "C" fn task_yield(rq: *mut bindings::rq, p: *mut bindings::task) {
        // SAFETY: per the contract; the core gives up its token.
        let ((rq, mut lock), tok) = unsafe { (Self::rq(rq), TaskToken::<T>::hand_over(p)) };
        if let Some(tok) = tok {
            T::task_yield(&rq, &mut lock, tok)
        }
    }

    /// # Safety
    ///
    /// `rq` locked, `p` a live task leaving its queue.
    unsafe extern "C" fn task_dequeue(rq: *mut bindings::rq, p: *mut bindings::task) {
        // SAFETY: per the contract.
        let ((rq, mut lock), t) = unsafe { (Self::rq(rq), TaskRef::from_raw(p)) };
        let cx = lock.in_policy();
        // the token comes back to the core, which owns the task now:
        // its flag is cleared (None: the policy may keep one)
        if let Some(tok) = T::task_dequeue(&rq, &mut lock, t) {
            tok.give_back_in(cx);
        }
    }

    /// # Safety
    ///
    /// `rq` locked (hard IRQ), `p` its running task.
    unsafe extern "C" fn task_tick(rq: *mut bindings::rq, p: *mut bindings::task) -> bool {
        // SAFETY: p is live (the contract), and this is a guarded
        // callback of the policy that owns p->se (the core calls it).
        if unsafe { token_held(p) } {
            return false; // a token of p exists: its holder has p->se to itself
        }
        // SAFETY: per the contract; with no token of p, the core lends
        // p->se for this call.
        let ((rq, mut lock), t, d) =
            unsafe { (Self::rq(rq), TaskRef::from_raw(p), TaskData::from_raw(p)) };
        T::task_tick(&rq, &mut lock, t, d)
    }

    /// # Safety
    ///
    /// `rq` locked.
    unsafe extern "C" fn pick_next(rq: *mut bindings::rq) -> *mut bindings::task {
        // SAFETY: per the contract.
        let (rq, mut lock) = unsafe { Self::rq(rq) };
        let cx = lock.in_policy();
        // given back whether or not the core accepts the pick
        T::pick_next(&rq, &mut lock).map_or(core::ptr::null_mut(), |t| t.give_back_in(cx))
    }

    /// # Safety
    ///
    /// `p` a live task being woken (its pi_lock held), `prev` < NR_CPUS.
    unsafe extern "C" fn select_cpu(p: *mut bindings::task, prev: u32, f: u32) -> c_int {
        // SAFETY: live for the call.
        let t = unsafe { TaskRef::from_raw(p) };
        // SAFETY: the core passes the task's CPU or a runqueue's, both
        // below NR_CPUS; saying so lets the policy test it in a mask or
        // index per-CPU data with it without a bounds check.
        unsafe { core::hint::assert_unchecked((prev as usize) < NR_CPUS) };
        let cpu = T::select_cpu(t, prev as usize, f);
        c_int::try_from(cpu).unwrap_or(-1)
    }

    /// # Safety
    ///
    /// `dst` and `src` live and both locked.
    unsafe extern "C" fn balance(
        dst: *mut bindings::rq,
        src: *mut bindings::rq,
    ) -> *mut bindings::task {
        // SAFETY: per the contract.
        let ((dst, _l), (src, lock)) = unsafe { (Self::rq(dst), Self::rq(src)) };
        T::balance(&dst, &src, &lock).map_or(core::ptr::null_mut(), TaskRef::raw)
    }
}

impl<T: Policy> Ops<T> {
    /// # Safety
    ///
    /// Live switch, everything locked: `rq` live, `p` queued on it or
    /// (`WF_RUNNING`) its running task, whose `p->se` is this policy's
    /// and which the policy is not using (it only reads it here); `h`
    /// valid for writes.
    unsafe extern "C" fn task_export(
        rq: *mut bindings::rq,
        p: *mut bindings::task,
        h: *mut bindings::sched_handover,
        flags: u32,
    ) {
        // SAFETY: per the contract above.
        let ((rq, mut lock), t) = unsafe { (Self::rq(rq), TaskRef::from_raw(p)) };
        let out = if flags & WF_RUNNING != 0 {
            // SAFETY: p is live (the contract), and p->se is this
            // policy's, whose guarded callback this is.
            if unsafe { token_held(p) } {
                Handover::default() // its se is the token holder's
            } else {
                // SAFETY: p runs and no token of it exists: the core
                // lends p->se, shared, for this call.
                let d: &TaskData = unsafe { TaskData::from_raw(p) };
                T::task_export_curr(&rq, &mut lock, t, d)
            }
        } else {
            T::task_export(&rq, &mut lock, t)
        };
        // SAFETY: h is valid for writes per the contract.
        unsafe { h.write(out.to_c()) }
    }

    /// # Safety
    ///
    /// Live switch, everything locked, after this policy's task_new(p):
    /// `rq` live; `p` queued on it and not held by this policy, or
    /// (`WF_RUNNING`) its running task; `h` valid for reads.
    unsafe extern "C" fn task_adopt(
        rq: *mut bindings::rq,
        p: *mut bindings::task,
        h: *const bindings::sched_handover,
        flags: u32,
    ) -> c_int {
        // SAFETY: per the contract above.
        let ((rq, mut lock), h) = unsafe { (Self::rq(rq), Handover::from_c(&*h)) };
        let res = if flags & WF_RUNNING != 0 {
            // SAFETY: p runs; the core holds its token and lends p->se
            // (now this policy's, with no token: the switch reset its
            // flag) for this call.
            let (t, d) = unsafe { (TaskRef::from_raw(p), TaskData::from_raw(p)) };
            T::task_adopt_curr(&rq, &mut lock, t, d, &h)
        } else {
            // SAFETY: the core hands p to the policy (see TaskToken::new
            // for the old policy's token during a switch: each policy's
            // flag is in its own saved p->se).
            match unsafe { TaskToken::<T>::hand_over(p) } {
                Some(tok) => T::task_adopt(&rq, &mut lock, tok, &h),
                None => Ok(()),
            }
        };
        match res {
            Ok(()) => 0,
            Err(e) => e.to_errno(),
        }
    }
}

/// A registered policy: switchable by name from now on.
pub struct Registration<T: Policy>(PhantomData<T>);

impl<T: Policy> Registration<T> {
    /// Registers `T` with the core (and switches to it if the boot
    /// command line asked for it with `sched.policy=`).
    pub fn register() -> Result<Self> {
        // SAFETY: the table is a promoted constant, valid forever; its
        // callbacks follow the contracts of include/keel/sched.h.
        to_result(unsafe { bindings::sched_policy_register(&Ops::<T>::TABLE) })?;
        Ok(Registration(PhantomData))
    }
}

/// Makes the policy named `name` the active one (live switch).
pub fn switch_to(name: &CStr) -> Result {
    // SAFETY: name is a valid NUL-terminated string for the call.
    to_result(unsafe { bindings::sched_policy_switch_to(name.as_ptr()) })
}
