// SPDX-License-Identifier: MIT
//! The proofs and the token a policy works with: [`RqLock`] (the
//! runqueue lock is held), [`InPolicy`] (this code runs in the policy's
//! context), [`Quiescent`] (no callback of the policy runs) and
//! [`TaskToken`] (the right to run one task), with the run-time check
//! that a token is used only inside its own policy's callbacks.

use super::{TaskData, TaskRef};
use core::marker::PhantomData;
use core::ptr::NonNull;

/// Proof that the lock of the runqueue a callback of policy `P` runs on
/// is held.
///
/// Zero-sized; only the callback trampolines of `kernel::sched` create
/// one (`Ops::<P>`, for `P`'s own callbacks), and it cannot outlive the
/// callback. Branded by the policy: a [`PerCpu<P, T>`] accepts only an
/// `RqLock<P>`, so one policy's callback cannot reach another policy's
/// per-CPU state (compile-fail case 57).
///
/// [`PerCpu<P, T>`]: super::PerCpu
pub struct RqLock<'a, P: ?Sized>(pub(super) PhantomData<&'a ()>, pub(super) PhantomData<fn() -> P>);

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
///
/// [`Registration::<P>::register`]: super::Registration::register
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

/// The right to run one task, handed to policy `P` by the core.
///
/// Not `Copy`, not `Clone`, and made only by `kernel::sched`: the policy
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
///
/// [`Policy::pick_next`]: super::Policy::pick_next
/// [`TaskQueue<P>`]: super::TaskQueue
pub struct TaskToken<P: ?Sized> {
    pub(super) task: NonNull<bindings::task>,
    pub(super) ops: NonNull<bindings::sched_policy_ops>,
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
    super::host::policy_tokens()
}

/// Whether a token made under `ops` may touch its task here: this CPU
/// runs a callback of `ops` other than `select_cpu`, or the running task
/// runs `ops`'s `init` or `exit` (one compare with `cpu->policy_tokens`).
#[inline(always)]
pub(super) fn tokens_usable(ops: NonNull<bindings::sched_policy_ops>) -> bool {
    policy_tokens() == ops.as_ptr().cast_const().cast()
}

/// Panics unless a token made under `ops` may touch its task here: a
/// compare and a predicted branch to a call that does not return (so
/// the check keeps no register live across a call in the callbacks it
/// is inlined into).
#[inline(always)]
pub(super) fn check_tokens_usable(ops: NonNull<bindings::sched_policy_ops>) {
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
pub(super) unsafe fn token_flag<'a>(p: *mut bindings::task) -> &'a core::sync::atomic::AtomicU32 {
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
pub(super) unsafe fn token_held(p: *mut bindings::task) -> bool {
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
    pub(super) unsafe fn new(
        p: *mut bindings::task,
        ops: NonNull<bindings::sched_policy_ops>,
    ) -> Self {
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
    pub(super) unsafe fn hand_over(p: *mut bindings::task) -> Option<Self> {
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
    ///
    /// [`TaskQueue`]: super::TaskQueue
    #[inline]
    pub(super) fn into_raw(self) -> *mut bindings::task {
        core::mem::ManuallyDrop::new(self).task.as_ptr()
    }

    /// The task pointer, the token given back to the core (its flag
    /// cleared), in `P`'s context: the trampolines of `P`'s table give
    /// back what `P`'s callback returned, with no run-time check.
    #[inline(always)]
    pub(super) fn give_back_in(self, _cx: InPolicy<'_, P>) -> *mut bindings::task {
        let p = self.into_raw();
        // SAFETY: in P's context (`_cx`; P has one table, which made
        // this token) the task is alive and p->se is P's; release: the
        // core frees the task only after this store, so after every
        // access through the token.
        unsafe { token_flag(p) }.store(0, core::sync::atomic::Ordering::Release);
        p
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
///
/// [`Policy::init`]: super::Policy::init
/// [`Policy::exit`]: super::Policy::exit
/// [`PerCpu`]: super::PerCpu
/// [`switch_to`]: super::switch_to
pub struct Quiescent<P: ?Sized>(pub(super) PhantomData<*mut ()>, pub(super) PhantomData<fn() -> P>);

impl<P: ?Sized> Quiescent<P> {
    /// The proof that this code runs in `P`'s `init`/`exit`, for the
    /// token and queue operations that take one (`*_in`).
    #[inline(always)]
    pub fn in_policy(&self) -> InPolicy<'_, P> {
        InPolicy(PhantomData, PhantomData, PhantomData)
    }
}
