// SPDX-License-Identifier: MIT
//! [`SpinLock`]: a [`Lock`] on the C `spinlock_t`.
//!
//! `spin_lock()` records the holder's CPU in every build and panics
//! ("spinlock recursion") when this CPU already holds the lock — taken
//! by this context, or by the context an interrupt handler interrupted
//! (a holder is never preempted and cannot sleep, so "this CPU" means
//! exactly those). That is what [`Backend::lock`] requires.

use super::{Backend, Guard, Lock};

/// A spinlock protecting a `T` (C `spinlock_t`). Disables preemption
/// while held; [`SpinLock::lock_irqsave`] also disables interrupts.
///
/// ```
/// use kernel::sync::SpinLock;
///
/// static HITS: SpinLock<u32> = SpinLock::new(0);
///
/// *HITS.lock() += 1;
/// {
///     // the form to use when an interrupt handler takes the lock too
///     let mut hits = HITS.lock_irqsave();
///     *hits += 1;
///     assert!(HITS.is_locked());
/// }
/// assert!(!HITS.is_locked());
/// let hits = HITS.try_lock().map(|g| *g);
/// assert_eq!(hits, Some(2));
/// ```
pub type SpinLock<T> = Lock<T, SpinLockBackend>;

/// Access to a [`SpinLock`]'s data; unlocks on drop.
pub type SpinLockGuard<'a, T> = Guard<'a, T, SpinLockBackend>;

/// The guard of [`SpinLock::lock_irqsave`] (the same type as
/// [`SpinLockGuard`]: it remembers that it disabled interrupts).
pub type SpinLockIrqGuard<'a, T> = Guard<'a, T, SpinLockBackend>;

/// How a spinlock guard took its lock.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub enum IrqMode {
    /// Interrupts left as they were.
    #[default]
    Plain,
    /// Interrupts disabled first, with the C nesting count
    /// (`local_interrupt_disable`): they come back on only when the last
    /// such guard on this CPU is dropped, whatever the order of drops.
    Disabled,
}

/// The C `spinlock_t` as a [`Backend`].
pub struct SpinLockBackend;

// SAFETY: an all-zero spinlock_t is a valid unlocked lock holding no
// pointer (include/keel/spinlock.h). spin_lock() returns only holding
// the lock, and panics instead of returning when this CPU already holds
// it: with preemption disabled by every holder and sleeping under a
// spinlock refused by a panic, a lock held by this CPU is held by this
// context or one it interrupted. spin_trylock() returns true only when
// it took the lock. Unlock releases and restores preemption and, for
// IrqMode::Disabled, the nested interrupt-disable count.
unsafe impl Backend for SpinLockBackend {
    type State = bindings::spinlock_t;
    type Mode = IrqMode;

    #[inline]
    unsafe fn lock(ptr: *mut Self::State, mode: IrqMode) {
        match mode {
            // SAFETY: the caller passes a valid spinlock_t.
            IrqMode::Plain => unsafe { bindings::rust_helper_spin_lock(ptr) },
            // SAFETY: the caller passes a valid spinlock_t.
            IrqMode::Disabled => unsafe { bindings::rust_helper_spin_lock_irq_nested(ptr) },
        }
    }

    #[inline]
    unsafe fn try_lock(ptr: *mut Self::State, mode: IrqMode) -> bool {
        match mode {
            // SAFETY: the caller passes a valid spinlock_t.
            IrqMode::Plain => unsafe { bindings::rust_helper_spin_trylock(ptr) },
            // Not offered: Lock::try_lock always uses the default mode.
            IrqMode::Disabled => false,
        }
    }

    #[inline]
    unsafe fn unlock(ptr: *mut Self::State, mode: IrqMode) {
        match mode {
            // SAFETY: the caller took this valid lock in this mode.
            IrqMode::Plain => unsafe { bindings::rust_helper_spin_unlock(ptr) },
            // SAFETY: the caller took this valid lock in this mode, so
            // it did local_interrupt_disable() once, undone here.
            IrqMode::Disabled => unsafe { bindings::rust_helper_spin_unlock_irq_nested(ptr) },
        }
    }

    #[inline]
    unsafe fn is_locked(ptr: *mut Self::State) -> bool {
        // SAFETY: the caller passes a valid spinlock_t, whose `locked`
        // word is a u32 that C only changes with atomic operations, so an
        // atomic load of it is not a data race.
        let word = unsafe {
            core::sync::atomic::AtomicU32::from_ptr(core::ptr::addr_of_mut!((*ptr).locked))
        };
        word.load(core::sync::atomic::Ordering::Relaxed) != 0
    }
}

impl<T: ?Sized> Lock<T, SpinLockBackend> {
    /// Disables local interrupts, then takes the lock; the guard restores
    /// the interrupt state when dropped. Required for data an IRQ handler
    /// uses. Guards taken this way may be dropped in any order: the
    /// interrupt flag comes back when the last one on this CPU goes.
    pub fn lock_irqsave(&self) -> SpinLockIrqGuard<'_, T> {
        self.lock_mode(IrqMode::Disabled)
    }
}
