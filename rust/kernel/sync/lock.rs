// SPDX-License-Identifier: MIT
//! The generic lock: [`Lock<T, B>`](Lock) owns a `T` and a C lock of
//! backend `B`, and hands out the `T` only through a [`Guard`], as
//! Rust-for-Linux's `rust/kernel/sync/lock.rs`.
//!
//! The whole soundness argument of every lock type lives here, once:
//! a [`Guard`] exists only while its context holds the lock, and the
//! [`Backend`] contract says what "holds" requires of the C side — above
//! all that locking never returns while the calling context (or one it
//! interrupted) already holds the lock. keel's C locks keep that promise
//! on every build by panicking on recursion (include/keel/spinlock.h,
//! include/keel/mutex.h), so two guards of one lock never coexist.

use crate::types::Opaque;
use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

pub mod mutex;
pub mod spinlock;

/// A C lock implementation behind [`Lock`].
///
/// # Safety
///
/// An implementer guarantees, for a `State` valid as below:
/// - an all-zero `State` is a valid unlocked lock, and an unlocked one
///   holds no pointer to itself (so a `Lock` can be built in `const`
///   context and moved while unlocked);
/// - [`Backend::lock`] returns only once the calling context holds the
///   lock, and while it holds it no other context does: in particular it
///   never returns when this context, or a context it interrupted,
///   already holds it (recursion must end in a panic or a deadlock,
///   never in a second holder);
/// - [`Backend::try_lock`] returns true only if it took the lock so;
/// - [`Backend::unlock`] with the mode the lock was taken with releases
///   it and restores what taking it changed (preemption, interrupts).
pub unsafe trait Backend {
    /// The C lock object.
    type State;
    /// How a guard took the lock (for example with interrupts disabled);
    /// [`Backend::unlock`] is told the same.
    type Mode: Copy + Default;

    /// Takes the lock.
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `State` that lives until the matching
    /// [`Backend::unlock`].
    unsafe fn lock(ptr: *mut Self::State, mode: Self::Mode);

    /// Takes the lock if it is free; true if taken.
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `State` that lives until the matching
    /// [`Backend::unlock`] (if the lock is taken).
    unsafe fn try_lock(ptr: *mut Self::State, mode: Self::Mode) -> bool;

    /// Releases a lock this context took with `mode`.
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `State` that this context locked with
    /// [`Backend::lock`] or [`Backend::try_lock`] in `mode`, and has not
    /// unlocked since.
    unsafe fn unlock(ptr: *mut Self::State, mode: Self::Mode);

    /// Whether anyone holds the lock (racy: for assertions).
    ///
    /// # Safety
    ///
    /// `ptr` points to a valid `State`.
    unsafe fn is_locked(ptr: *mut Self::State) -> bool;
}

/// A `T` protected by a C lock of backend `B`.
///
/// # Invariants
///
/// `data` is accessed only through a [`Guard`] (or through `&mut self`,
/// which proves no guard exists); `state` is a valid C lock for the
/// whole life of the `Lock`.
pub struct Lock<T: ?Sized, B: Backend> {
    state: Opaque<B::State>,
    data: UnsafeCell<T>,
}

// SAFETY: the lock makes access to `data` exclusive (a Guard exists only
// for its holder), so sharing a Lock between CPUs and contexts is safe
// whenever T may move between them.
unsafe impl<T: ?Sized + Send, B: Backend> Sync for Lock<T, B> {}
// SAFETY: moving the lock moves the T with it; the C state holds no
// pointer to itself while unlocked, and a Lock can only be moved while
// nobody borrows it (so no guard and no waiter exists).
unsafe impl<T: ?Sized + Send, B: Backend> Send for Lock<T, B> {}

impl<T, B: Backend> Lock<T, B> {
    /// An unlocked lock around `data`; usable in statics.
    pub const fn new(data: T) -> Self {
        Lock {
            // SAFETY: the Backend contract: an all-zero State is a valid
            // unlocked lock.
            state: Opaque::new(unsafe { core::mem::zeroed() }),
            data: UnsafeCell::new(data),
        }
    }

    /// Consumes the lock, returning the data (no locking needed: we own it).
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized, B: Backend> Lock<T, B> {
    /// Takes the lock, waiting while another context holds it. Taking a
    /// lock this context already holds is a deadlock: it panics.
    pub fn lock(&self) -> Guard<'_, T, B> {
        self.lock_mode(B::Mode::default())
    }

    /// Takes the lock if it is free.
    pub fn try_lock(&self) -> Option<Guard<'_, T, B>> {
        let mode = B::Mode::default();
        // SAFETY: `state` is a valid C lock for as long as `self` is
        // borrowed, which the guard's lifetime covers.
        let ok = unsafe { B::try_lock(self.state.get(), mode) };
        // The Backend contract: true means this context now holds the
        // lock, exclusively: the Guard invariant.
        ok.then(|| Guard { lock: self, mode, _not_send: PhantomData })
    }

    /// Takes the lock in `mode`: the one place (with `try_lock`) where a
    /// Guard is made.
    pub(crate) fn lock_mode(&self, mode: B::Mode) -> Guard<'_, T, B> {
        // SAFETY: `state` is a valid C lock for as long as `self` is
        // borrowed, which the guard's lifetime covers.
        unsafe { B::lock(self.state.get(), mode) };
        // The Backend contract: lock() returned, so this context holds
        // the lock and no other context does (a recursive acquisition
        // panicked instead of returning): the Guard invariant.
        Guard { lock: self, mode, _not_send: PhantomData }
    }

    /// Whether someone holds the lock (for assertions only: racy).
    pub fn is_locked(&self) -> bool {
        // SAFETY: `state` is a valid C lock; the backend reads it with
        // an atomic load, which may race with its holder.
        unsafe { B::is_locked(self.state.get()) }
    }

    /// Mutable access without locking: `&mut self` proves exclusivity.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }

    /// The C lock, for code in this crate that works with the C side
    /// while holding a guard (CondVar).
    pub(crate) fn raw(&self) -> *mut B::State {
        self.state.get()
    }
}

/// Access to a [`Lock`]'s data while the lock is held; unlocks (and
/// restores what locking changed) on drop. `!Send` and `!Sync`: it
/// cannot leave the context that took the lock.
///
/// `mem::forget` of a guard is not undefined behaviour: the lock stays
/// held forever (a later lock of it is a deadlock, reported by a panic
/// on this CPU or task), and a spin lock's guard also leaves preemption
/// (and, from `lock_irqsave`, interrupts) disabled on this CPU: the task
/// is not preempted again and its next sleep panics (a kernel thread that
/// exits still switches away, and the next task on that CPU inherits the
/// raised count and panics on its first sleep).
///
/// # Invariants
///
/// While a `Guard` exists, the context that made it holds `lock` (taken
/// in `mode`) and no other context does; there is one `Guard` per
/// acquisition.
pub struct Guard<'a, T: ?Sized, B: Backend> {
    lock: &'a Lock<T, B>,
    mode: B::Mode,
    _not_send: PhantomData<*mut ()>,
}

impl<T: ?Sized, B: Backend> Guard<'_, T, B> {
    /// The lock this guard holds (for CondVar, which releases and
    /// retakes it while the guard is mutably borrowed).
    pub(crate) fn lock_ref(&self) -> &Lock<T, B> {
        self.lock
    }
}

impl<T: ?Sized, B: Backend> Deref for Guard<'_, T, B> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the Guard invariant: this context holds the lock, so
        // nobody else accesses `data`; the borrow of `self` keeps the
        // guard (and so the lock) alive while the reference lives.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized, B: Backend> DerefMut for Guard<'_, T, B> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the Guard invariant: this context alone holds the lock,
        // and there is one guard per acquisition, so this `&mut` is the
        // only reference to `data` while `self` is mutably borrowed.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized, B: Backend> Drop for Guard<'_, T, B> {
    fn drop(&mut self) {
        // SAFETY: the Guard invariant: this context took the lock in
        // `self.mode` and has not released it; the guard releases it
        // once, here.
        unsafe { B::unlock(self.lock.state.get(), self.mode) };
    }
}

/// The lock validator sees Rust's locks: they are the C locks, so taking
/// two of them in both orders is reported as it is for C (the compile-fail
/// suite cannot reject lock order; docs/rust-safety.md, "The C half").
/// Built only into LOCKDEP=1 kernels (`--cfg lockdep`, rust.mk).
#[cfg(lockdep)]
#[crate::ktest(rust_lockdep)]
mod lockdep_tests {
    use crate::ktest::Test;
    use crate::sync::{Mutex, SpinLock};
    use core::ffi::CStr;

    /// The validator's report count and the title of its latest report.
    fn lockdep_state() -> (u64, Option<&'static CStr>) {
        // SAFETY: both only read the validator's counters; the title is
        // NULL or a static string (kernel/lockdep.c).
        let (n, title) = unsafe { (bindings::lockdep_reports(), bindings::lockdep_last_report()) };
        // SAFETY: a non-NULL title is a NUL-terminated static string.
        (n, (!title.is_null()).then(|| unsafe { CStr::from_ptr(title) }))
    }

    // Statics: a zeroed lock's class is its address, which must not be
    // reused by another lock while the validator remembers it.
    static SPIN_A: SpinLock<u32> = SpinLock::new(0);
    static SPIN_B: SpinLock<u32> = SpinLock::new(0);
    static MUTEX_A: Mutex<u32> = Mutex::new(0);
    static MUTEX_B: Mutex<u32> = Mutex::new(0);

    #[test]
    fn spinlock_abba_is_reported(t: &mut Test) {
        let (before, _) = lockdep_state();
        for _ in 0..2 {
            let mut a = SPIN_A.lock();
            let mut b = SPIN_B.lock();
            *a += 1;
            *b += 1;
        }
        crate::kt_expect_eq!(t, lockdep_state().0, before);
        {
            let _b = SPIN_B.lock();
            let _a = SPIN_A.lock();
        }
        let (after, title) = lockdep_state();
        crate::kt_expect_eq!(t, after, before + 1);
        crate::kt_expect_eq!(t, title, Some(c"possible circular locking dependency detected"));
    }

    #[test]
    fn mutex_abba_is_reported(t: &mut Test) {
        let (before, _) = lockdep_state();
        {
            let _a = MUTEX_A.lock();
            let _b = MUTEX_B.lock();
        }
        crate::kt_expect_eq!(t, lockdep_state().0, before);
        {
            let _b = MUTEX_B.lock();
            let _a = MUTEX_A.lock();
        }
        let (after, title) = lockdep_state();
        crate::kt_expect_eq!(t, after, before + 1);
        crate::kt_expect_eq!(t, title, Some(c"possible circular locking dependency detected"));
    }
}
