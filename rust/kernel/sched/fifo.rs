// SPDX-License-Identifier: MIT
//! [`Fifo`]: one [`TaskQueue`] per CPU in arrival order, the queue of a
//! FIFO policy (`rr`, the watchdog's test policies).
//!
//! Each operation takes the proof its callback holds ([`RqLock`] or
//! [`Quiescent`]) and opens the CPU's queue through [`PerCpu`], then
//! uses the queue's check-free `*_in` operations under the
//! [`InPolicy`](super::InPolicy) that proof gives: no `unsafe` here, and
//! no allocation, so queueing cannot fail for lack of memory.
//!
//! [`FifoPolicy`] is a whole policy on it, a FIFO with a one-tick
//! slice, for policies that differ from it in one place or two
//! ([`FifoHooks`]: the watchdog's test policies, the token tests').

use super::{PerCpu, Policy, Quiescent, Rq, RqLock, TaskData, TaskQueue, TaskRef, TaskToken};
use crate::error::Result;
use crate::str::CStr;
use crate::vtable;
use core::marker::PhantomData;

/// A FIFO of `P`'s tasks per CPU: a woken, preempted or yielding task
/// joins the tail, [`Fifo::pop_front`] takes the head.
pub struct Fifo<P: ?Sized>(PerCpu<P, TaskQueue<P>>);

impl<P: ?Sized> Default for Fifo<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: ?Sized> Fifo<P> {
    /// Empty queues.
    pub const fn new() -> Self {
        Fifo(crate::per_cpu!(TaskQueue::new()))
    }
}

impl<P: Policy> Fifo<P> {
    /// Queues `t` at the tail of `rq`'s FIFO. A token whose task is still
    /// queued (one the core should not have handed over) is dropped with
    /// a warning: the core's checks and backstop deal with the task.
    #[inline]
    pub fn push_back(&self, rq: &Rq<'_>, lock: &mut RqLock<'_, P>, t: TaskToken<P>) {
        let cx = lock.in_policy();
        self.0.get_mut(rq, lock).insert_or_warn_in(t, cx, |_, _| false);
    }

    /// Takes the head of `rq`'s FIFO.
    #[inline]
    pub fn pop_front(&self, rq: &Rq<'_>, lock: &mut RqLock<'_, P>) -> Option<TaskToken<P>> {
        let cx = lock.in_policy();
        self.0.get_mut(rq, lock).remove_at_in(0, cx)
    }

    /// Takes the first task of `rq`'s FIFO for which `pick` holds (None
    /// if none does).
    #[inline]
    pub fn pop_first(
        &self,
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, P>,
        mut pick: impl FnMut(&TaskRef) -> bool,
    ) -> Option<TaskToken<P>> {
        let cx = lock.in_policy();
        let q = self.0.get_mut(rq, lock);
        let pos = q.iter_in(cx).position(|(t, _)| pick(t))?;
        q.remove_at_in(pos, cx)
    }

    /// Takes `t` out of `rq`'s FIFO (None: not queued there).
    #[inline]
    pub fn remove(
        &self,
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, P>,
        t: &TaskRef,
    ) -> Option<TaskToken<P>> {
        let cx = lock.in_policy();
        self.0.get_mut(rq, lock).remove_in(t, cx)
    }

    /// For `balance`: the most recently queued task of `src` that may
    /// run on `dst` and is not on a CPU (left queued).
    #[inline]
    pub fn last_for<'a>(
        &'a self,
        dst: &Rq<'a>,
        src: &Rq<'a>,
        lock: &'a RqLock<'a, P>,
    ) -> Option<&'a TaskRef> {
        let cx = lock.in_policy();
        let cpu = dst.cpu();
        self.0
            .get(src, lock)
            .iter_in(cx)
            .rev()
            .map(|(t, _)| t)
            .find(|t| t.allowed_on(cpu) && !t.on_cpu())
    }

    /// For `exit`: empties every CPU's FIFO (every task was handed on,
    /// so they are empty already).
    pub fn clear(&self, q: &mut Quiescent<P>) {
        self.0.for_each_mut(q, |queue| *queue = TaskQueue::new());
    }
}

/// What a [`FifoPolicy`] leaves to the type `H` that names it.
pub trait FifoHooks: Sized + 'static {
    /// The policy's name ([`Policy::NAME`]).
    const NAME: &'static CStr;

    /// The policy's queues (a `static` of the policy's crate).
    fn queues() -> &'static Fifo<FifoPolicy<Self>>;

    /// Runs in the policy's `init`.
    fn init() {}

    /// Runs in the policy's `exit`, after the queues were emptied.
    fn exit(_q: &mut Quiescent<FifoPolicy<Self>>) {}

    /// The policy's `task_dequeue`; takes `t` out of its FIFO by default.
    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FifoPolicy<Self>>,
        t: &TaskRef,
    ) -> Option<TaskToken<FifoPolicy<Self>>> {
        Self::queues().remove(rq, lock, t)
    }

    /// The policy's `pick_next`; the head of the FIFO by default.
    fn pick_next(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, FifoPolicy<Self>>,
    ) -> Option<TaskToken<FifoPolicy<Self>>> {
        Self::queues().pop_front(rq, lock)
    }
}

/// A FIFO policy with a one-tick slice: a woken, preempted or yielding
/// task joins the tail of its CPU's [`Fifo`], the head runs next, and a
/// task is preempted at every tick while another waits. No balancing.
/// `H` names it and may change `init`, `exit`, `task_dequeue` and
/// `pick_next` ([`FifoHooks`]);
/// register it as `Registration::<FifoPolicy<H>>`.
///
/// A FIFO that counts its picks, tried on a thread:
///
/// ```
/// use core::sync::atomic::{AtomicU32, Ordering};
/// use kernel::kthread::{self, Thread};
/// use kernel::prelude::*;
/// use kernel::sched::{self, Fifo, FifoHooks, FifoPolicy, Rq, RqLock, TaskToken};
///
/// type Counting = FifoPolicy<CountingHooks>;
///
/// static QUEUES: Fifo<Counting> = Fifo::new();
/// static PICKS: AtomicU32 = AtomicU32::new(0);
///
/// struct CountingHooks;
///
/// impl FifoHooks for CountingHooks {
///     const NAME: &'static CStr = c"doc_counting";
///
///     fn queues() -> &'static Fifo<Counting> {
///         &QUEUES
///     }
///
///     fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Counting>) -> Option<TaskToken<Counting>> {
///         let next = QUEUES.pop_front(rq, lock)?;
///         PICKS.fetch_add(1, Ordering::Relaxed);
///         Some(next)
///     }
/// }
///
/// let _policy = sched::Registration::<Counting>::register()?;
/// sched::switch_to(c"doc_counting")?;
/// let worker = Thread::run(c"doc_counting_worker", || {
///     kthread::yield_now();
///     9
/// })?;
/// assert_eq!(worker.stop(), 9);
/// sched::switch_to(c"fair")?;
/// assert!(PICKS.load(Ordering::Relaxed) >= 2); // the worker, twice
/// # Ok::<(), Error>(())
/// ```
pub struct FifoPolicy<H>(PhantomData<fn() -> H>);

#[vtable]
impl<H: FifoHooks> Policy for FifoPolicy<H> {
    const NAME: &'static CStr = H::NAME;

    fn init(_q: &mut Quiescent<Self>) -> Result {
        H::init();
        Ok(())
    }

    fn exit(q: &mut Quiescent<Self>) {
        H::queues().clear(q);
        H::exit(q);
    }

    fn task_wakeup(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>, _f: u32) -> bool {
        H::queues().push_back(rq, lock, t);
        false
    }

    fn task_preempt(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>, t: TaskToken<Self>) {
        H::queues().push_back(rq, lock, t);
    }

    fn task_dequeue(
        rq: &Rq<'_>,
        lock: &mut RqLock<'_, Self>,
        t: &TaskRef,
    ) -> Option<TaskToken<Self>> {
        H::task_dequeue(rq, lock, t)
    }

    fn task_tick(
        rq: &Rq<'_>,
        _lock: &mut RqLock<'_, Self>,
        _t: &TaskRef,
        _d: &mut TaskData,
    ) -> bool {
        rq.nr_queued() > 0
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Self>) -> Option<TaskToken<Self>> {
        H::pick_next(rq, lock)
    }
}
