// SPDX-License-Identifier: MIT
//! [`Mutex`]: a [`Lock`] on the C `struct mutex` (process context only;
//! may sleep while waiting).
//!
//! `mutex_lock()` panics on every build when the current task already
//! owns the mutex ("recursive locking"), when called from an interrupt
//! handler (which runs as the task it interrupted, so would find that
//! task's mutex "owned" or take it in its name), and, through
//! `might_sleep()`, in any atomic context. That is what
//! [`Backend::lock`] requires.

use super::{Backend, Guard, Lock};

/// A mutex protecting a `T` (C `struct mutex`). Locking sleeps, so it is
/// refused (a panic) in atomic context and in interrupt handlers.
///
/// ```
/// use kernel::prelude::*;
/// use kernel::sync::Mutex;
///
/// // a mutex, not a spinlock: pushing may allocate, which may sleep
/// let names: Mutex<KVec<&str>> = Mutex::new(KVec::new());
/// names.lock().push("eth0", GFP_KERNEL)?;
/// names.lock().push("eth1", GFP_KERNEL)?;
///
/// let guard = names.lock();
/// assert_eq!(guard.len(), 2);
/// assert!(names.try_lock().is_none()); // held by `guard`
/// drop(guard);
/// assert_eq!(names.into_inner()[1], "eth1");
/// # Ok::<(), Error>(())
/// ```
pub type Mutex<T> = Lock<T, MutexBackend>;

/// Access to a [`Mutex`]'s data; unlocks on drop.
pub type MutexGuard<'a, T> = Guard<'a, T, MutexBackend>;

/// The C `struct mutex` as a [`Backend`].
pub struct MutexBackend;

// SAFETY: an all-zero struct mutex is a valid unlocked mutex holding no
// pointer to itself (include/keel/mutex.h). mutex_lock() returns only
// owning the mutex for the current task, and panics instead of
// returning on recursion by the owner and in interrupt context (the
// only contexts that share the owner's `current`); a contended lock
// sleeps until the mutex is handed over. mutex_trylock() returns true
// only when it took it (and panics in interrupt context). Only the
// owner's unlock releases it.
unsafe impl Backend for MutexBackend {
    type State = bindings::mutex;
    type Mode = ();

    #[inline]
    unsafe fn lock(ptr: *mut Self::State, _mode: ()) {
        // SAFETY: the caller passes a valid struct mutex.
        unsafe { bindings::mutex_lock(ptr) }
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State, _mode: ()) -> bool {
        // SAFETY: the caller passes a valid struct mutex.
        unsafe { bindings::mutex_trylock(ptr) }
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, _mode: ()) {
        // SAFETY: the caller (the owner) locked this valid mutex.
        unsafe { bindings::mutex_unlock(ptr) }
    }

    #[inline]
    unsafe fn is_locked(ptr: *mut Self::State) -> bool {
        // SAFETY: the caller passes a valid struct mutex; mutex_is_locked
        // reads the owner word with READ_ONCE.
        unsafe { bindings::mutex_is_locked(ptr) }
    }
}

impl<T: ?Sized> Guard<'_, T, MutexBackend> {
    /// The C mutex this guard holds.
    pub(crate) fn raw_mutex(&self) -> *mut bindings::mutex {
        self.lock_ref().raw()
    }
}
