// SPDX-License-Identifier: MIT
//! What a policy sees of runqueues and tasks: [`Rq`], the read-only
//! [`TaskRef`], the identity [`TaskId`] and the policy's per-task area
//! [`TaskData`].

use super::NR_CPUS;
use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::ptr::NonNull;

/// A runqueue, as a callback sees it (its CPU and queue length).
pub struct Rq<'a>(pub(super) NonNull<bindings::rq>, pub(super) PhantomData<&'a bindings::rq>);

impl Rq<'_> {
    /// The CPU this runqueue belongs to.
    #[inline]
    pub fn cpu(&self) -> usize {
        // SAFETY: a live runqueue (an Rq exists only inside a callback);
        // cpu is set at boot and never changes.
        let cpu = unsafe { (*self.0.as_ptr()).cpu as usize };
        // SAFETY: the core's runqueues are `runqueues[NR_CPUS]`, each with
        // its own index as cpu. Saying so lets per-CPU indexing by this
        // value skip its bounds check, as C's `fair_rqs[rq->cpu]` does.
        unsafe { core::hint::assert_unchecked(cpu < NR_CPUS) };
        cpu
    }

    /// The task running on this CPU (maybe its idle task), read-only.
    #[inline]
    pub fn curr(&self) -> &TaskRef {
        // SAFETY: rq->curr is a live task while the rq lock (held by the
        // callback) keeps it from being switched out and reaped.
        unsafe { TaskRef::from_raw((*self.0.as_ptr()).curr) }
    }

    /// How many tasks wait in this runqueue (the core's count).
    #[inline]
    pub fn nr_queued(&self) -> u32 {
        // SAFETY: live; an aligned word, changed only under the lock
        // the callback holds.
        unsafe { core::ptr::addr_of!((*self.0.as_ptr()).nr_queued).read_volatile() }
    }
}

/// A read-only view of a task: the fields the core owns.
#[repr(transparent)]
pub struct TaskRef(UnsafeCell<bindings::task>);

impl TaskRef {
    #[inline]
    pub(super) fn raw(&self) -> *mut bindings::task {
        self.0.get()
    }

    /// The task's identity: compares, never dereferences.
    #[inline]
    pub fn id(&self) -> TaskId {
        // never 0: a task's address, so `Option<TaskId>` is one word
        TaskId(NonNull::from(&self.0).addr())
    }

    /// The task's pid.
    #[inline]
    pub fn pid(&self) -> i32 {
        // SAFETY: `raw()` points to a live task (a TaskRef is only made
        // from one); pid is set at creation and never changes.
        unsafe { (*self.raw()).pid }
    }

    /// The task's nice value (NICE_MIN..NICE_MAX), read racily.
    #[inline]
    pub fn nice(&self) -> i32 {
        // SAFETY: a live task; nice is an aligned int written with
        // WRITE_ONCE by sched_set_nice, so a volatile read is a whole value.
        let nice = unsafe { core::ptr::addr_of!((*self.raw()).nice).read_volatile() };
        // SAFETY: tasks start at nice 0 and sched_set_nice() stores only
        // values in NICE_MIN..=NICE_MAX; saying so lets a policy index a
        // 40-entry weight table without a bounds check or clamp.
        unsafe { core::hint::assert_unchecked((NICE_MIN..=NICE_MAX).contains(&nice)) };
        nice
    }

    /// The CPU the task is queued on or last ran on.
    #[inline]
    pub fn cpu(&self) -> usize {
        // SAFETY: a live task; an aligned word read racily, as C does.
        unsafe { core::ptr::addr_of!((*self.raw()).cpu).read_volatile() as usize }
    }

    /// The CPUs the task may run on, one bit each (read racily).
    #[inline]
    pub fn allowed(&self) -> u64 {
        // SAFETY: a live task; `allowed` is an aligned u64 read racily,
        // as C's READ_ONCE(p->allowed).
        unsafe { core::ptr::addr_of!((*self.raw()).allowed).read_volatile() }
    }

    /// Whether the task may run on `cpu`.
    #[inline]
    pub fn allowed_on(&self, cpu: usize) -> bool {
        // SAFETY: a live task; `allowed` is an aligned u64 read racily.
        let mask = unsafe { core::ptr::addr_of!((*self.raw()).allowed).read_volatile() };
        cpu < 64 && mask & (1u64 << cpu) != 0
    }

    /// Whether the task is still executing (switching out).
    #[inline]
    pub fn on_cpu(&self) -> bool {
        // SAFETY: a live task; an aligned int read racily.
        unsafe { core::ptr::addr_of!((*self.raw()).on_cpu).read_volatile() != 0 }
    }

    /// The task's CPU time in nanoseconds (all CPUs).
    #[inline]
    pub fn runtime_ns(&self) -> u64 {
        // SAFETY: a live task; runtime_ns is an aligned u64 updated by
        // the core under the task's rq lock, which callbacks that
        // see the task hold (or the task is not running).
        unsafe { core::ptr::addr_of!((*self.raw()).runtime_ns).read_volatile() }
    }

    /// # Safety
    ///
    /// `p` must point to a task that stays alive for `'a`.
    #[inline]
    pub(super) unsafe fn from_raw<'a>(p: *mut bindings::task) -> &'a TaskRef {
        // SAFETY: TaskRef is a transparent wrapper of the task's cell;
        // the caller guarantees it is alive.
        unsafe { &*p.cast::<TaskRef>() }
    }
}

/// A task's identity (its address as a number): a policy may remember
/// which task is which with it, but cannot reach the task through it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TaskId(core::num::NonZeroUsize);

/// The smallest nice value (highest priority).
pub const NICE_MIN: i32 = bindings::NICE_MIN;
/// The largest nice value (lowest priority).
pub const NICE_MAX: i32 = bindings::NICE_MAX as i32;

/// The policy's per-task area (`p->se` after its list node, which
/// belongs to [`TaskQueue`]): owned by the policy from `task_new` to
/// `task_dead`; the core never touches it.
///
/// A FIFO that charges each task's CPU time to its virtual runtime at
/// the task's weight, in the task's own area (as fair_rs does):
///
/// ```
/// use core::sync::atomic::{AtomicBool, Ordering};
/// use kernel::kthread::{self, Thread};
/// use kernel::prelude::*;
/// use kernel::sched::{self, scaled, Fifo, FifoHooks, FifoPolicy, Rq, RqLock, TaskToken};
///
/// type Charging = FifoPolicy<ChargingHooks>;
///
/// static QUEUES: Fifo<Charging> = Fifo::new();
/// static CHARGED: AtomicBool = AtomicBool::new(false);
///
/// struct ChargingHooks;
///
/// impl FifoHooks for ChargingHooks {
///     const NAME: &'static CStr = c"doc_charging";
///
///     fn queues() -> &'static Fifo<Charging> {
///         &QUEUES
///     }
///
///     fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, Charging>) -> Option<TaskToken<Charging>> {
///         let mut next = QUEUES.pop_front(rq, lock)?;
///         let (task, data) = next.split();
///         // CPU time since this policy last looked, as virtual time
///         let ran = task.runtime_ns().saturating_sub(data.prev_runtime());
///         data.set_vruntime(data.vruntime().wrapping_add(scaled(ran, task)));
///         data.set_prev_runtime(task.runtime_ns());
///         data.words()[0] = task.pid() as u64; // four words of its own
///         if data.word(0) == task.pid() as u64 && data.prev_runtime() == task.runtime_ns() {
///             CHARGED.store(true, Ordering::Relaxed);
///         }
///         Some(next)
///     }
/// }
///
/// let _policy = sched::Registration::<Charging>::register()?;
/// sched::switch_to(c"doc_charging")?;
/// let ran = Thread::run(c"doc_charging_worker", || {
///     kthread::yield_now();
///     0
/// })
/// .map(|worker| worker.stop());
/// sched::switch_to(c"fair")?; // back to fair whether the thread ran or not
/// assert_eq!(ran?, 0);
/// assert!(CHARGED.load(Ordering::Relaxed));
/// # Ok::<(), Error>(())
/// ```
///
/// [`TaskQueue`]: super::TaskQueue
#[repr(C)]
pub struct TaskData {
    vruntime: i64,
    prev_runtime: u64,
    data: [u64; 4],
}

// TaskData is the tail of struct sched_entity, from vruntime on.
const _: () = {
    use core::mem::{offset_of, size_of};
    type Se = bindings::sched_entity;
    let base = offset_of!(Se, vruntime);
    assert!(offset_of!(Se, prev_runtime) - base == offset_of!(TaskData, prev_runtime));
    assert!(offset_of!(Se, data) - base == offset_of!(TaskData, data));
    assert!(size_of::<Se>() - base == size_of::<TaskData>());
};

impl TaskData {
    /// A virtual runtime, for fair-queueing policies.
    #[inline]
    pub fn vruntime(&self) -> i64 {
        self.vruntime
    }

    /// Sets the virtual runtime.
    #[inline]
    pub fn set_vruntime(&mut self, v: i64) {
        self.vruntime = v;
    }

    /// A runtime mark (C's `se.prev_runtime`), e.g. CPU time already
    /// charged as vruntime.
    #[inline]
    pub fn prev_runtime(&self) -> u64 {
        self.prev_runtime
    }

    /// Sets the runtime mark.
    #[inline]
    pub fn set_prev_runtime(&mut self, ns: u64) {
        self.prev_runtime = ns;
    }

    /// Free-form words for the policy.
    #[inline]
    pub fn words(&mut self) -> &mut [u64; 4] {
        &mut self.data
    }

    /// The free-form words, read-only.
    #[inline]
    pub fn word(&self, i: usize) -> u64 {
        self.data[i]
    }

    /// # Safety
    ///
    /// `p` must point to a live task whose `se` nobody else accesses for `'a`.
    #[inline]
    pub(super) unsafe fn from_raw<'a>(p: *mut bindings::task) -> &'a mut TaskData {
        // SAFETY: TaskData has the layout of se from vruntime on (checked
        // above); exclusivity per the caller.
        unsafe { &mut *core::ptr::addr_of_mut!((*p).se.vruntime).cast::<TaskData>() }
    }

    /// # Safety
    ///
    /// `p` must point to a live task whose `se` nobody changes for `'a`.
    #[inline]
    pub(super) unsafe fn from_raw_ref<'a>(p: *mut bindings::task) -> &'a TaskData {
        // SAFETY: `p` is a live task (per the caller), and TaskData has
        // the layout of `se` from vruntime on (checked above), so the
        // cast place is a valid TaskData; nobody changes it for 'a (per
        // the caller), so a shared reference is sound.
        unsafe { &*core::ptr::addr_of!((*p).se.vruntime).cast::<TaskData>() }
    }
}
