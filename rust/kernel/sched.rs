// SPDX-License-Identifier: MIT
//! Scheduling policies in safe Rust.
//!
//! A policy implements [`Policy`], whose callbacks mirror C's
//! `struct sched_policy_ops` (include/keel/sched.h), and registers with
//! [`Registration`]. `#[vtable]` records which callbacks it provides, so
//! the C ops table holds NULL for the others and the core applies its
//! documented defaults. The policy's state lives in its own statics.
//!
//! Types keep a policy honest:
//!
//! * [`TaskToken`]: the right to have a task run. Only this module
//!   creates tokens (when the core hands a task to the policy in
//!   `task_wakeup`, `task_preempt` or `task_yield`); they are neither
//!   `Copy` nor `Clone`, and `pick_next` must return one. A policy can
//!   therefore neither invent a task nor queue one twice. A
//!   `TaskToken<P>` is branded by its policy and works only inside `P`'s
//!   callbacks (checked at run time, one compare): kept in a static and
//!   used elsewhere, or after `P` was switched away, it panics.
//! * [`RqLock`]: a zero-sized proof that the runqueue lock is held,
//!   passed to the callbacks that run under it. [`PerCpu::get_mut`]
//!   requires it, so per-CPU policy state is reached only under the lock.
//! * [`TaskData`]: the policy's per-task area (`p->se`), reachable only
//!   through a token or a `&mut` the core lends for one callback.
//! * [`Handover`]: what a policy switched away from says about a task
//!   (`task_export`) and the policy switched in takes (`task_adopt`,
//!   with the task's token if it is queued); an error from `task_adopt`
//!   undoes the switch.
//!
//! The C core still validates every answer (kernel/sched/policy.c): a
//! pick of a token the policy kept after giving it up is rejected there,
//! and the task of a kept token is not freed while its policy owns it
//! (see [`TaskToken`]).
//!
//! A policy that panics in a callback, starves a task or keeps giving
//! bad answers is ejected and the core falls back to its C fair policy
//! (kernel/sched/watchdog.c); after a panic the policy's statics are
//! abandoned, never used or freed again.
//!
//! The same source builds for the host (`--cfg keel_host`), where
//! `host` provides what the C core would, so that tools/sched-replay can
//! replay a recorded trace against a policy crate, unmodified.

#[cfg(keel_host)]
pub mod host;

use crate::error::{to_result, Result};
use crate::str::CStr;
use crate::vtable;
use core::cell::UnsafeCell;
use core::ffi::c_int;
use core::marker::PhantomData;
use core::ptr::NonNull;

mod queue;
pub use queue::{Iter as TaskQueueIter, TaskQueue};
mod fifo;
pub use fifo::{Fifo, FifoHooks, FifoPolicy};
mod weight;
pub use weight::{
    nice_index, place_by_load, scaled, weight_of, Cpus, NICE_0_WEIGHT, PRIO_TO_WEIGHT,
    WEIGHT_DIVISORS,
};
// in-kernel tests (ktest, kthreads, locks): not part of the host build
#[cfg(not(keel_host))]
mod reenter_test;
#[cfg(not(keel_host))]
mod token_test;

/// The number of CPUs the kernel supports (`NR_CPUS`).
pub const NR_CPUS: usize = bindings::NR_CPUS as usize;

/// Wake-up flag: first start of the task.
pub const WF_NEW: u32 = bindings::WF_NEW;
/// Wake-up flag: woken after blocking.
pub const WF_WAKEUP: u32 = bindings::WF_WAKEUP;
/// Wake-up flag: moved here from another runqueue.
pub const WF_MIGRATED: u32 = bindings::WF_MIGRATED;
/// Wake-up flag: handed over by a policy switch.
pub const WF_SWITCH: u32 = bindings::WF_SWITCH;
/// Hand-over flag: the task is its CPU's running task.
pub const WF_RUNNING: u32 = bindings::WF_RUNNING;

/// A task's scheduling state in policy-neutral terms, handed from the
/// old policy ([`Policy::task_export`]) to the new one
/// ([`Policy::task_adopt`]) at a live switch (C's `struct
/// sched_handover`). `None`: the old policy did not say.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct Handover {
    /// How far the task is behind its queue's zero-lag point (the
    /// weighted average vruntime), in ns of nice-0 virtual time; > 0:
    /// it is owed CPU time.
    pub lag_ns: Option<i64>,
    /// Real CPU time left in its current slice, ns.
    pub slice_left_ns: Option<u64>,
}

impl Handover {
    fn from_c(h: &bindings::sched_handover) -> Self {
        Handover {
            lag_ns: (h.valid & bindings::SH_LAG != 0).then_some(h.lag_ns),
            slice_left_ns: (h.valid & bindings::SH_SLICE != 0).then_some(h.slice_left_ns),
        }
    }

    fn to_c(self) -> bindings::sched_handover {
        bindings::sched_handover {
            valid: self.lag_ns.map_or(0, |_| bindings::SH_LAG)
                | self.slice_left_ns.map_or(0, |_| bindings::SH_SLICE),
            lag_ns: self.lag_ns.unwrap_or(0),
            slice_left_ns: self.slice_left_ns.unwrap_or(0),
        }
    }
}

/// Proof that the lock of the runqueue a callback of policy `P` runs on
/// is held.
///
/// Zero-sized; only the callback trampolines of this module create one
/// (`Ops::<P>`, for `P`'s own callbacks), and it cannot outlive the
/// callback. Branded by the policy: a [`PerCpu<P, T>`] accepts only an
/// `RqLock<P>`, so one policy's callback cannot reach another policy's
/// per-CPU state (compile-fail case 57).
pub struct RqLock<'a, P: ?Sized>(PhantomData<&'a ()>, PhantomData<fn() -> P>);

impl<'a, P: ?Sized> RqLock<'a, P> {
    /// The proof that this code runs in a callback of `P`, for the
    /// token and queue operations that take one (`*_in`), valid as long
    /// as this callback (a copy outlives the borrow of the lock, so
    /// that a `PerCpu::get_mut` may borrow the lock meanwhile).
    #[inline(always)]
    pub fn in_policy(&self) -> InPolicy<'a, P> {
        InPolicy(PhantomData, PhantomData, PhantomData)
    }
}

/// Proof that this code runs in policy `P`'s context: a callback of `P`
/// that the core made with a runqueue lock held (every callback but
/// `select_cpu`, from an [`RqLock<P>`]) or `P`'s `init`/`exit` (from a
/// [`Quiescent<P>`]). The token and queue operations that take one
/// (`TaskToken::split_in`, `TaskQueue::remove_at_in`, ...) skip the
/// run-time check of where they run: the proof is that check, made by
/// the type system (compile-fail cases 60 and 61).
///
/// # Invariants
///
/// An `InPolicy<'a, P>` exists only while, for all of `'a`, the code
/// that holds it runs a callback (not `select_cpu`), `init` or `exit`
/// of the one ops table of type `P`: it is made only from an
/// `RqLock<'a, P>` (made by `Ops::<P>`'s trampolines, alive for the
/// callback) or a `&'a Quiescent<P>` (alive for `init`/`exit`); it is
/// `Copy` but neither `Send` nor `Sync`, and `'a` is a lifetime of that
/// call, so it cannot reach a static, another thread, an interrupt
/// handler or a later call. At most one ops table of type `P` ever runs
/// callbacks: outside this crate the only way to give the core a table
/// of `Ops::<P>` is [`Registration::<P>::register`], and the core
/// refuses a second registration of a name (`-EEXIST`, under its switch
/// mutex), and every table of type `P` bears `P::NAME`. So a
/// `TaskToken<P>` (made by that table's trampolines) is usable wherever
/// an `InPolicy<P>` exists: `tokens_usable(token.ops)` holds there.
pub struct InPolicy<'a, P: ?Sized>(PhantomData<&'a ()>, PhantomData<fn() -> P>, NotSend);

/// Makes a type neither `Send` nor `Sync`.
type NotSend = PhantomData<*mut ()>;

// not derived: that would ask `P: Clone`
impl<P: ?Sized> Clone for InPolicy<'_, P> {
    #[inline(always)]
    fn clone(&self) -> Self {
        *self
    }
}
impl<P: ?Sized> Copy for InPolicy<'_, P> {}

/// A runqueue, as a callback sees it (its CPU and queue length).
pub struct Rq<'a>(NonNull<bindings::rq>, PhantomData<&'a bindings::rq>);

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
    fn raw(&self) -> *mut bindings::task {
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
    unsafe fn from_raw<'a>(p: *mut bindings::task) -> &'a TaskRef {
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
    unsafe fn from_raw<'a>(p: *mut bindings::task) -> &'a mut TaskData {
        // SAFETY: TaskData has the layout of se from vruntime on (checked
        // above); exclusivity per the caller.
        unsafe { &mut *core::ptr::addr_of_mut!((*p).se.vruntime).cast::<TaskData>() }
    }

    /// # Safety
    ///
    /// `p` must point to a live task whose `se` nobody changes for `'a`.
    #[inline]
    unsafe fn from_raw_ref<'a>(p: *mut bindings::task) -> &'a TaskData {
        // SAFETY: `p` is a live task (per the caller), and TaskData has
        // the layout of `se` from vruntime on (checked above), so the
        // cast place is a valid TaskData; nobody changes it for 'a (per
        // the caller), so a shared reference is sound.
        unsafe { &*core::ptr::addr_of!((*p).se.vruntime).cast::<TaskData>() }
    }
}

/// The right to run one task, handed to policy `P` by the core.
///
/// Not `Copy`, not `Clone`, and made only by this module: the policy
/// keeps it in its queue and gives it back from [`Policy::pick_next`].
/// Branded by the policy: `P`'s callbacks take and return only
/// `TaskToken<P>`, and a [`TaskQueue<P>`] holds only those
/// (compile-fail case 59).
///
/// # Invariants
///
/// `ops` is the ops table of the policy the token was made under (the
/// table whose callback made it: `cpu->policy_tokens` then). While that
/// policy owns `p->se` and the token exists, `p->se.token` is nonzero
/// (set when the trampoline makes the token, cleared when it goes back
/// to the core or is dropped in that policy's context), and the core
/// does not free a task in that state: it parks it until the flag is
/// clear (kernel/sched/task.c). While the flag is set the trampolines
/// make no second token of the task and lend nobody its `se` (no
/// `task_tick`/`task_blocked` for it).
///
/// The token touches its task (reads it, lends its `se`, clears its
/// flag) only where `tokens_usable` holds for `ops`: inside a callback
/// of that table other than `select_cpu`, or in its `init`/`exit`. There
/// the policy still owns `p->se` and the task is alive: a policy that
/// keeps a live task's token across a switch away is abandoned (no
/// callback, `init` or `exit` of it runs again), and its callbacks run
/// only while it is active, or during a switch with its own `p->se` put
/// back, under every runqueue lock. Anywhere else (a kernel thread that
/// took it out of a static, an IRQ handler, `select_cpu`, another
/// policy's callback) the token is *stale* or may become so at any
/// moment: every access panics, and dropping it does nothing (as
/// `mem::forget`: the flag stays set; see `Drop`).
pub struct TaskToken<P: ?Sized> {
    task: NonNull<bindings::task>,
    ops: NonNull<bindings::sched_policy_ops>,
    _policy: PhantomData<fn() -> P>,
}

// SAFETY: a token is a pointer to a task and the identity of a policy;
// every use of the task goes through `tokens_usable`, which holds only
// on a CPU running that policy's callback (or init/exit), so moving the
// token between CPUs (what migration does) or into a kernel thread gives
// no access the policy's callbacks do not already serialise.
unsafe impl<P: ?Sized> Send for TaskToken<P> {}

/// `cpu->policy_tokens`: the ops table whose tokens this CPU may use now
/// (the policy whose guarded callback runs here, not `select_cpu`; else
/// the policy whose `init`/`exit` the running task runs), or NULL.
#[cfg(not(keel_host))]
#[inline(always)]
fn policy_tokens() -> *const core::ffi::c_void {
    let v: *const core::ffi::c_void;
    // SAFETY: GS points at this CPU's struct cpu (from boot on; the
    // kernel crate runs after that), so this reads one aligned pointer
    // field of it, in one instruction: it cannot be torn by an interrupt
    // or a migration. The field is written only by this CPU: by
    // policy_guarded_tok() with interrupts off (set for a callback,
    // restored after it), by context_switch() (the next task's
    // policy_ctx) and by policy.c around a policy's init()/exit() (the
    // task's policy_ctx, preemption off), so code running here always
    // reads the value that holds for itself: a callback sees its own
    // table, a task in a policy's init/exit (or an interrupt handler
    // that interrupted it) that policy's, anything else NULL.
    unsafe {
        core::arch::asm!(
            "mov {v}, qword ptr gs:[{off}]",
            v = out(reg) v,
            off = const core::mem::offset_of!(bindings::cpu, policy_tokens),
            options(nostack, preserves_flags, readonly, pure),
        );
    }
    v
}

#[cfg(keel_host)]
#[inline(always)]
fn policy_tokens() -> *const core::ffi::c_void {
    host::policy_tokens()
}

/// Whether a token made under `ops` may touch its task here: this CPU
/// runs a callback of `ops` other than `select_cpu`, or the running task
/// runs `ops`'s `init` or `exit` (one compare with `cpu->policy_tokens`).
#[inline(always)]
fn tokens_usable(ops: NonNull<bindings::sched_policy_ops>) -> bool {
    policy_tokens() == ops.as_ptr().cast_const().cast()
}

/// Panics unless a token made under `ops` may touch its task here: a
/// compare and a predicted branch to a call that does not return (so
/// the check keeps no register live across a call in the callbacks it
/// is inlined into).
#[inline(always)]
fn check_tokens_usable(ops: NonNull<bindings::sched_policy_ops>) {
    if !tokens_usable(ops) {
        token_outside_its_policy()
    }
}

#[cold]
#[inline(never)]
fn token_outside_its_policy() -> ! {
    panic!("TaskToken used outside its policy's callbacks (or after its policy was switched away)")
}

/// For ktests: runs `f` with this CPU's `policy_tokens` set to `ops`, as
/// inside a callback of that table (interrupts off, so that no callback
/// of another policy runs on this CPU meanwhile), then puts it back.
/// `f` must not sleep.
#[cfg(not(keel_host))]
pub(crate) fn with_policy_tokens<R>(
    ops: NonNull<bindings::sched_policy_ops>,
    f: impl FnOnce() -> R,
) -> R {
    static IRQS_OFF: crate::sync::SpinLock<()> = crate::sync::SpinLock::new(());
    let _off = IRQS_OFF.lock_irqsave();
    let set = |v: *const core::ffi::c_void| {
        // SAFETY: writes this CPU's own policy_tokens slot (GS points at
        // its struct cpu) with interrupts off, as policy_guarded_tok()
        // does; the previous value is put back before they come on.
        unsafe {
            core::arch::asm!(
                "mov qword ptr gs:[{off}], {v}",
                v = in(reg) v,
                off = const core::mem::offset_of!(bindings::cpu, policy_tokens),
                options(nostack, preserves_flags),
            );
        }
    };
    let prev = policy_tokens();
    set(ops.as_ptr().cast_const().cast());
    let r = f();
    set(prev);
    r
}

/// `p->se.token`, the flag that says a token of `p` exists.
///
/// # Safety
///
/// `p` is a live task, and this CPU runs a callback (or `init`/`exit`)
/// of the policy that owns `p->se` now, or the core's trampoline for it.
#[inline]
unsafe fn token_flag<'a>(p: *mut bindings::task) -> &'a core::sync::atomic::AtomicU32 {
    // SAFETY: a live task's aligned u32. Rust accesses it atomically and
    // only from the owning policy's callbacks/init/exit (per the caller),
    // which never overlap a switch's plain copies of p->se: those run
    // with every runqueue and the task-list lock held, which every
    // callback but select_cpu (where tokens are refused) holds one of,
    // and init/exit run under the switch mutex, outside the switch.
    // The core's free path reads it atomically (acquire).
    unsafe { core::sync::atomic::AtomicU32::from_ptr(core::ptr::addr_of_mut!((*p).se.token)) }
}

/// Whether a token of `p` exists.
///
/// # Safety
///
/// `p` is a live task, and this CPU runs a callback (or `init`/`exit`)
/// of the policy that owns `p->se` now, or the core's trampoline for it
/// (what [`token_flag`] requires).
#[inline]
unsafe fn token_held(p: *mut bindings::task) -> bool {
    // SAFETY: the caller gives token_flag's whole contract: `p` is live
    // and this CPU runs in the context of `p->se`'s owner.
    unsafe { token_flag(p) }.load(core::sync::atomic::Ordering::Relaxed) != 0
}

impl<P: ?Sized> Drop for TaskToken<P> {
    /// In its policy's context, clears the task's flag: the task may be
    /// freed from then on. Anywhere else the token may be stale (its
    /// policy switched away; `p->se`, flag included, is then another
    /// policy's, and the task may be freed already), so it does not
    /// touch the task at all: as with `mem::forget`, the flag stays set,
    /// the task is parked if it dies under that policy and the policy
    /// is abandoned at its next switch away.
    #[inline]
    fn drop(&mut self) {
        if tokens_usable(self.ops) {
            // SAFETY: in the token's policy's context that policy owns
            // p->se and the task is alive (type invariant); release: the
            // core frees the task only after this store, so after every
            // access through the token.
            unsafe { token_flag(self.task.as_ptr()) }
                .store(0, core::sync::atomic::Ordering::Release);
        }
    }
}

impl<P: ?Sized> TaskToken<P> {
    /// # Safety
    ///
    /// `p` must be a live, non-NULL task that the core just handed to the
    /// policy whose table is `ops` (queued in it), in a callback of that
    /// table, and the policy may hold no other token for it. (During a
    /// live switch the old policy still holds one: the core then runs one
    /// callback at a time and gives each policy its own `p->se`, so the
    /// two never reach the task's data at once.)
    #[inline]
    unsafe fn new(p: *mut bindings::task, ops: NonNull<bindings::sched_policy_ops>) -> Self {
        // SAFETY: non-NULL per the caller.
        TaskToken { task: unsafe { NonNull::new_unchecked(p) }, ops, _policy: PhantomData }
    }

    /// The token of `p`, which the core hands to the policy whose
    /// callback runs here, unless the policy still holds one (it kept a
    /// token it should have given back): then `None`, and the policy is
    /// not told (the core's own queue still has the task; the kept token
    /// stands for it).
    ///
    /// # Safety
    ///
    /// `p` is a live task the core hands to the policy now, in a guarded
    /// callback of it (not `select_cpu`), with `p`'s runqueue locked (so
    /// tokens of `p` are made one at a time).
    #[inline]
    unsafe fn hand_over(p: *mut bindings::task) -> Option<Self> {
        let Some(ops) = NonNull::new(policy_tokens().cast_mut().cast()) else {
            token_outside_its_policy() // a trampoline called unguarded
        };
        // SAFETY: live, and this CPU runs a callback of p->se's owner
        // (per the caller).
        let flag = unsafe { token_flag(p) };
        if flag.load(core::sync::atomic::Ordering::Relaxed) != 0 {
            return None;
        }
        flag.store(1, core::sync::atomic::Ordering::Relaxed);
        // SAFETY: live and non-NULL; no other token of p exists (flag);
        // ops is the table of the callback that runs here.
        Some(unsafe { TaskToken::new(p, ops) })
    }

    /// The task, read-only.
    ///
    /// # Panics
    ///
    /// Outside a callback (other than `select_cpu`), `init` or `exit` of
    /// the policy the token was made under.
    #[inline]
    pub fn task(&self) -> &TaskRef {
        check_tokens_usable(self.ops);
        // SAFETY: in its policy's context the task of a token is alive
        // (type invariant), for as long as `&self` borrows the token.
        unsafe { TaskRef::from_raw(self.task.as_ptr()) }
    }

    /// The task's policy data, read-only.
    ///
    /// # Panics
    ///
    /// As [`TaskToken::task`].
    #[inline]
    pub fn data_ref(&self) -> &TaskData {
        check_tokens_usable(self.ops);
        // SAFETY: in its policy's context the task is alive and its `se`
        // is that policy's, which the core lends nobody else while the
        // token exists (type invariant); `&self` allows only shared use.
        unsafe { TaskData::from_raw_ref(self.task.as_ptr()) }
    }

    /// The task's policy data; the token's owner has it exclusively.
    ///
    /// # Panics
    ///
    /// As [`TaskToken::task`].
    #[inline]
    pub fn data(&mut self) -> &mut TaskData {
        check_tokens_usable(self.ops);
        // SAFETY: in its policy's context the task is alive, its `se` is
        // that policy's and the core lends it to no one else while the
        // token exists, and no switch rewrites it meanwhile (type
        // invariant); `&mut self` makes this the only borrow.
        unsafe { TaskData::from_raw(self.task.as_ptr()) }
    }

    /// The task and its policy data at once.
    ///
    /// # Panics
    ///
    /// As [`TaskToken::task`].
    #[inline]
    pub fn split(&mut self) -> (&TaskRef, &mut TaskData) {
        check_tokens_usable(self.ops);
        let p = self.task.as_ptr();
        // SAFETY: the token is usable here (checked above), so the task
        // is alive, its `se` is this policy's and the core lends it to
        // no one else while the token exists (type invariant). TaskRef
        // only reads core fields through its UnsafeCell, never `se`, so
        // the two references do not overlap in use; `&mut self` makes
        // the data borrow the only one.
        unsafe { (TaskRef::from_raw(p), TaskData::from_raw(p)) }
    }

    /// As [`TaskToken::task`], in `P`'s context, with no run-time check.
    #[inline(always)]
    pub fn task_in<'t>(&'t self, _cx: InPolicy<'t, P>) -> &'t TaskRef {
        // SAFETY: `_cx` proves that this runs in a callback (not
        // select_cpu), init or exit of P's one table, which made this
        // token: there its task is alive (type invariant; InPolicy's
        // invariants), for as long as `&self` borrows the token, within
        // that call ('t).
        unsafe { TaskRef::from_raw(self.task.as_ptr()) }
    }

    /// As [`TaskToken::data_ref`], in `P`'s context, with no run-time
    /// check.
    #[inline(always)]
    pub fn data_ref_in<'t>(&'t self, _cx: InPolicy<'t, P>) -> &'t TaskData {
        // SAFETY: in P's context (`_cx`, see task_in) the task is alive
        // and its `se` is P's, which the core lends nobody else while the
        // token exists (type invariant); `&self` allows only shared use.
        unsafe { TaskData::from_raw_ref(self.task.as_ptr()) }
    }

    /// As [`TaskToken::data`], in `P`'s context, with no run-time check.
    #[inline(always)]
    pub fn data_in<'t>(&'t mut self, _cx: InPolicy<'t, P>) -> &'t mut TaskData {
        // SAFETY: in P's context (`_cx`, see task_in) the task is alive,
        // its `se` is P's and the core lends it to no one else while the
        // token exists, and no switch rewrites it within this call (type
        // invariant); `&mut self` makes this the only borrow.
        unsafe { TaskData::from_raw(self.task.as_ptr()) }
    }

    /// As [`TaskToken::split`], in `P`'s context, with no run-time check.
    #[inline(always)]
    pub fn split_in<'t>(&'t mut self, _cx: InPolicy<'t, P>) -> (&'t TaskRef, &'t mut TaskData) {
        let p = self.task.as_ptr();
        // SAFETY: `_cx` proves this runs in P's context, where (P having
        // one table, the one that made this token) the task is alive and
        // its `se` is P's, lent to no one else while the token exists;
        // TaskRef only reads core fields through its UnsafeCell, never
        // `se`, so the two do not overlap in use; `&mut self` makes the
        // data borrow the only one.
        unsafe { (TaskRef::from_raw(p), TaskData::from_raw(p)) }
    }

    /// Whether this is the token of `t` (compares addresses only, so it
    /// works anywhere).
    #[inline]
    pub fn is(&self, t: &TaskRef) -> bool {
        self.task.as_ptr() == t.raw()
    }

    /// The task pointer, the token kept on (a [`TaskQueue`] holds it,
    /// with `ops`).
    #[inline]
    fn into_raw(self) -> *mut bindings::task {
        core::mem::ManuallyDrop::new(self).task.as_ptr()
    }

    /// The task pointer, the token given back to the core (its flag
    /// cleared), in `P`'s context: the trampolines of `P`'s table give
    /// back what `P`'s callback returned, with no run-time check.
    #[inline(always)]
    fn give_back_in(self, _cx: InPolicy<'_, P>) -> *mut bindings::task {
        let p = self.into_raw();
        // SAFETY: in P's context (`_cx`; P has one table, which made
        // this token) the task is alive and p->se is P's; release: the
        // core frees the task only after this store, so after every
        // access through the token.
        unsafe { token_flag(p) }.store(0, core::sync::atomic::Ordering::Release);
        p
    }
}

/// Per-CPU state of policy `P`, reachable only under that CPU's
/// runqueue lock, in `P`'s own callbacks.
///
/// # Invariants
///
/// Element `i` is accessed only (a) by a callback of `P` that holds CPU
/// `i`'s runqueue lock (it has an `RqLock<P>`, made by `Ops::<P>`), or
/// (b) by `P`'s `init`/`exit` (a `Quiescent<P>`), while no callback of
/// `P` runs or can start. The brand `P` is what ties the proofs to this
/// data: a second policy in the same crate gets `RqLock<Q>` and
/// `Quiescent<Q>`, which this type does not accept.
pub struct PerCpu<P: ?Sized, T>([UnsafeCell<T>; NR_CPUS], PhantomData<fn() -> P>);

// SAFETY: per the invariants, each element is used by one CPU at a time:
// under its runqueue lock by `P`'s callbacks, or by `P`'s init/exit while
// none of `P`'s callbacks runs; `T: Send` because successive users may be
// on different CPUs.
unsafe impl<P: ?Sized, T: Send> Sync for PerCpu<P, T> {}

impl<P: ?Sized, T> PerCpu<P, T> {
    /// One value per CPU.
    #[inline]
    pub const fn new(v: [UnsafeCell<T>; NR_CPUS]) -> Self {
        PerCpu(v, PhantomData)
    }

    /// `rq`'s element, exclusively, under its lock.
    #[inline]
    pub fn get_mut<'b>(&'b self, rq: &Rq<'_>, _lock: &'b mut RqLock<'_, P>) -> &'b mut T {
        // SAFETY: an RqLock<P> exists only inside a callback of P made by
        // the core with rq's lock held; P's other callbacks that could
        // touch this element need that lock, and P's init/exit do not run
        // while a callback of P runs (Quiescent). The proof is borrowed
        // mutably for as long as the result lives, so this callback holds
        // only one such borrow (of any element) at a time.
        unsafe { &mut *self.0[rq.cpu()].get() }
    }

    /// `rq`'s element, shared, under its lock (balance: both held).
    #[inline]
    pub fn get<'b>(&'b self, rq: &Rq<'_>, _lock: &'b RqLock<'_, P>) -> &'b T {
        // SAFETY: an RqLock<P> exists only inside a callback of P made by
        // the core with the locks of the runqueues it passes held (both,
        // in balance), so rq's lock is held; P's other callbacks that
        // could touch this element need that lock, and P's init/exit do
        // not run while a callback of P runs. This callback's `get_mut`
        // needs the proof mutably, which it cannot have while this
        // shared borrow of it lives, so only shared borrows coexist.
        unsafe { &*self.0[rq.cpu()].get() }
    }

    /// Every CPU's element, while no callback of the policy can run.
    #[inline]
    pub fn for_each_mut(&self, _q: &mut Quiescent<P>, mut f: impl FnMut(&mut T)) {
        for cell in &self.0 {
            // SAFETY: a Quiescent<P> exists only in P's init (P not yet
            // published) and exit (P unpublished, every CPU past its
            // callbacks), and the core refuses a switch from inside any
            // policy callback or init/exit (sched_policy_switch:
            // -EDEADLK), so P cannot be published again meanwhile: no
            // callback of P runs or starts until this returns. `&mut
            // Quiescent` makes this the only such borrow.
            f(unsafe { &mut *cell.get() })
        }
    }
}

/// Proof that no callback of policy `P` runs or can start: given to
/// [`Policy::init`] (not yet published) and [`Policy::exit`] (switched
/// away, every CPU past its last callback). Zero-sized; branded by the
/// policy, so it opens only `P`'s own [`PerCpu`] data (compile-fail case
/// 58).
///
/// True because the core refuses [`switch_to`] (with `-EDEADLK`) from
/// inside any policy callback, `init` or `exit`, and from any context
/// that is not process context: `init`/`exit` run under the core's
/// switch mutex, and no nested switch can publish `P` while they run.
pub struct Quiescent<P: ?Sized>(PhantomData<*mut ()>, PhantomData<fn() -> P>);

impl<P: ?Sized> Quiescent<P> {
    /// The proof that this code runs in `P`'s `init`/`exit`, for the
    /// token and queue operations that take one (`*_in`).
    #[inline(always)]
    pub fn in_policy(&self) -> InPolicy<'_, P> {
        InPolicy(PhantomData, PhantomData, PhantomData)
    }
}

/// Builds a [`PerCpu`] from a constant expression evaluated per CPU.
#[macro_export]
macro_rules! per_cpu {
    ($e:expr) => {
        $crate::sched::PerCpu::new(
            [const { ::core::cell::UnsafeCell::new($e) }; $crate::sched::NR_CPUS],
        )
    };
}

/// The online CPUs, one bit each (read racily).
#[inline]
pub fn online_mask() -> u64 {
    // SAFETY: cpu_online_mask is an 8-aligned u64 that lives for the
    // whole run and that C changes only with atomic operations
    // (kernel/smp.c), so an atomic load of it is not a data race.
    let mask = unsafe {
        core::sync::atomic::AtomicU64::from_ptr(core::ptr::addr_of_mut!(bindings::cpu_online_mask))
    };
    mask.load(core::sync::atomic::Ordering::Relaxed)
}

/// Whether `cpu` is online.
pub fn cpu_online(cpu: usize) -> bool {
    cpu < 64 && online_mask() & (1u64 << cpu) != 0
}

/// Whether `cpu` runs its idle task (read racily, as a hint).
#[inline]
pub fn cpu_runs_idle(cpu: usize) -> bool {
    if cpu >= NR_CPUS {
        return false;
    }
    // SAFETY: cpu_data is a static array of NR_CPUS entries (cpu is in
    // range); current_task and idle are aligned pointers written with
    // WRITE_ONCE, read whole here and only compared.
    unsafe {
        let c = core::ptr::addr_of!(bindings::cpu_data[cpu]);
        core::ptr::addr_of!((*c).current_task).read_volatile()
            == core::ptr::addr_of!((*c).idle).read_volatile()
    }
}

/// A scheduling policy. See `struct sched_policy_ops` for each callback's
/// context and the core's default when the policy leaves it out.
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
    const TABLE: bindings::sched_policy_ops = bindings::sched_policy_ops {
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
