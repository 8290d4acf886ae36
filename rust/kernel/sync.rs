// SPDX-License-Identifier: MIT
//! Synchronization: [`SpinLock`], [`Mutex`], [`CondVar`], [`Completion`]
//! and [`Arc`] over the C core's primitives.
//!
//! Data behind a lock is reachable only through the guard that
//! `lock()` returns; the guard unlocks when dropped and is `!Send`, so it
//! cannot leave the CPU context that took the lock. A reference obtained
//! through a guard cannot outlive it (the borrow checker ties them).
//!
//! The C objects behind these types are valid when all-zero and hold no
//! pointer to themselves while idle (include/keel/wait.h), so they can
//! be built in `const` context and moved while nobody uses them; while a
//! task waits on one, the waiter's borrow keeps it in place.

use crate::alloc::{Flags, KBox};
use crate::error::Result;
use crate::types::Opaque;
use core::cell::UnsafeCell;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

/// Makes a type `!Send` (and `!Sync`) without other cost.
type NotSend = PhantomData<*mut ()>;

/// A spinlock protecting a `T` (C `spinlock_t`).
pub struct SpinLock<T: ?Sized> {
    lock: Opaque<bindings::spinlock_t>,
    data: UnsafeCell<T>,
}

// SAFETY: the lock makes access to `data` exclusive, so sharing a
// SpinLock between CPUs is safe whenever T may move between them.
unsafe impl<T: ?Sized + Send> Sync for SpinLock<T> {}
// SAFETY: moving the lock moves the T with it.
unsafe impl<T: ?Sized + Send> Send for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// An unlocked spinlock around `data`; usable in statics.
    pub const fn new(data: T) -> Self {
        SpinLock {
            // SAFETY: an all-zero spinlock_t is a valid unlocked lock
            // (include/keel/spinlock.h).
            lock: Opaque::new(unsafe { core::mem::zeroed() }),
            data: UnsafeCell::new(data),
        }
    }

    /// Consumes the lock, returning the data (no locking needed: we own it).
    pub fn into_inner(self) -> T {
        self.data.into_inner()
    }
}

impl<T: ?Sized> SpinLock<T> {
    /// Takes the lock, spinning until it is free. Interrupts stay as they
    /// are: use [`SpinLock::lock_irqsave`] for data an IRQ handler uses.
    pub fn lock(&self) -> SpinLockGuard<'_, T> {
        // SAFETY: `lock` is an initialized spinlock_t for our lifetime.
        unsafe { bindings::rust_helper_spin_lock(self.lock.get()) };
        SpinLockGuard { lock: self, _not_send: PhantomData }
    }

    /// Takes the lock if it is free.
    pub fn try_lock(&self) -> Option<SpinLockGuard<'_, T>> {
        // SAFETY: as in lock().
        let ok = unsafe { bindings::rust_helper_spin_trylock(self.lock.get()) };
        ok.then(|| SpinLockGuard { lock: self, _not_send: PhantomData })
    }

    /// Disables local interrupts, then takes the lock; the guard restores
    /// the interrupt state when dropped.
    pub fn lock_irqsave(&self) -> SpinLockIrqGuard<'_, T> {
        // SAFETY: as in lock().
        let flags = unsafe { bindings::rust_helper_spin_lock_irqsave(self.lock.get()) };
        SpinLockIrqGuard { lock: self, flags, _not_send: PhantomData }
    }

    /// Whether someone holds the lock (for assertions only: racy).
    pub fn is_locked(&self) -> bool {
        // SAFETY: reading the lock word races benignly with its owner.
        unsafe { core::ptr::read_volatile(self.lock.get()).locked != 0 }
    }

    /// Mutable access without locking: `&mut self` proves exclusivity.
    pub fn get_mut(&mut self) -> &mut T {
        self.data.get_mut()
    }
}

/// Access to a [`SpinLock`]'s data; unlocks on drop. `!Send`.
pub struct SpinLockGuard<'a, T: ?Sized> {
    lock: &'a SpinLock<T>,
    _not_send: NotSend,
}

impl<T: ?Sized> Deref for SpinLockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves we hold the lock.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for SpinLockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves we hold the lock, exclusively.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for SpinLockGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this guard took the lock and releases it once.
        unsafe { bindings::rust_helper_spin_unlock(self.lock.lock.get()) };
    }
}

/// Like [`SpinLockGuard`], and also restores interrupts on drop.
pub struct SpinLockIrqGuard<'a, T: ?Sized> {
    lock: &'a SpinLock<T>,
    flags: core::ffi::c_ulong,
    _not_send: NotSend,
}

impl<T: ?Sized> Deref for SpinLockIrqGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves we hold the lock.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for SpinLockIrqGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves we hold the lock, exclusively.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for SpinLockIrqGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this guard took the lock with these flags.
        unsafe { bindings::rust_helper_spin_unlock_irqrestore(self.lock.lock.get(), self.flags) };
    }
}

/// A mutex protecting a `T` (C `struct mutex`): for process context
/// only, may sleep while waiting.
pub struct Mutex<T: ?Sized> {
    mutex: Opaque<bindings::mutex>,
    data: UnsafeCell<T>,
}

// SAFETY: the mutex makes access to `data` exclusive.
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}
// SAFETY: moving the mutex moves the T with it (an unlocked C mutex holds
// no pointers to itself).
unsafe impl<T: ?Sized + Send> Send for Mutex<T> {}

impl<T> Mutex<T> {
    /// An unlocked mutex around `data`; usable in statics.
    pub const fn new(data: T) -> Self {
        Mutex {
            // SAFETY: an all-zero struct mutex is a valid unlocked mutex,
            // and an unlocked one holds no pointer to itself, so it may
            // be moved (include/keel/mutex.h); the name may be NULL.
            mutex: Opaque::new(unsafe { core::mem::zeroed() }),
            data: UnsafeCell::new(data),
        }
    }
}

impl<T: ?Sized> Mutex<T> {
    /// Takes the mutex, waiting while another context holds it.
    pub fn lock(&self) -> MutexGuard<'_, T> {
        // SAFETY: `mutex` is an initialized C mutex for our lifetime.
        unsafe { bindings::mutex_lock(self.mutex.get()) };
        MutexGuard { lock: self, _not_send: PhantomData }
    }

    /// Takes the mutex if it is free.
    pub fn try_lock(&self) -> Option<MutexGuard<'_, T>> {
        // SAFETY: as in lock().
        let ok = unsafe { bindings::mutex_trylock(self.mutex.get()) };
        ok.then(|| MutexGuard { lock: self, _not_send: PhantomData })
    }
}

/// Access to a [`Mutex`]'s data; unlocks on drop. `!Send`.
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
    _not_send: NotSend,
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves we hold the mutex.
        unsafe { &*self.lock.data.get() }
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves we hold the mutex, exclusively.
        unsafe { &mut *self.lock.data.get() }
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // SAFETY: this guard took the mutex and releases it once.
        unsafe { bindings::mutex_unlock(self.lock.mutex.get()) };
    }
}

/// A condition variable (a C wait queue): sleep with a [`Mutex`] released
/// until another task notifies.
///
/// As everywhere, wake-ups may be spurious: wait in a loop that tests the
/// condition under the mutex.
///
/// ```ignore
/// let mut g = state.lock();
/// while !g.ready {
///     cv.wait(&mut g);
/// }
/// ```
pub struct CondVar {
    wq: Opaque<bindings::wait_queue_head>,
}

// SAFETY: the wait queue is protected by its own spinlock; any CPU may
// wait on or notify it.
unsafe impl Sync for CondVar {}
// SAFETY: an idle wait queue holds no pointer to itself, and a waiter
// borrows the CondVar, so it cannot move while anyone waits.
unsafe impl Send for CondVar {}

impl CondVar {
    /// An empty condition variable; usable in statics.
    pub const fn new() -> Self {
        // SAFETY: an all-zero wait_queue_head is a valid, empty queue.
        CondVar { wq: Opaque::new(unsafe { core::mem::zeroed() }) }
    }

    /// Releases the guard's mutex, sleeps until notified, retakes it.
    pub fn wait<T: ?Sized>(&self, guard: &mut MutexGuard<'_, T>) {
        self.wait_jiffies(guard, None);
    }

    /// Like [`CondVar::wait`], at most `ms` milliseconds. Returns false
    /// if the time ran out (the mutex is held again either way).
    pub fn wait_timeout_ms<T: ?Sized>(&self, guard: &mut MutexGuard<'_, T>, ms: u32) -> bool {
        // SAFETY: a pure conversion.
        let jiffies = unsafe { bindings::msecs_to_jiffies(ms) } as core::ffi::c_long;
        self.wait_jiffies(guard, Some(jiffies.max(1)))
    }

    fn wait_jiffies<T: ?Sized>(
        &self,
        guard: &mut MutexGuard<'_, T>,
        jiffies: Option<core::ffi::c_long>,
    ) -> bool {
        // SAFETY: `current` is always valid in process context.
        let me = unsafe { bindings::rust_helper_current() };
        let mut entry = bindings::wait_queue_entry {
            node: bindings::list_head { next: core::ptr::null_mut(), prev: core::ptr::null_mut() },
            task: me,
        };
        let node = core::ptr::addr_of_mut!(entry.node);
        entry.node = bindings::list_head { next: node, prev: node };
        let mutex = guard.lock.mutex.get();
        // A notifier that takes the mutex after us finds us queued: we
        // queue ourselves (marked blocked) before dropping the mutex.
        // SAFETY: `entry` stays on this frame, unmoved, until finish_wait
        // dequeues it below; the guard proves we hold `mutex`, and we
        // hold it again on return.
        let left = unsafe {
            bindings::prepare_to_wait(self.wq.get(), &mut entry, bindings::TASK_BLOCKED as i32);
            bindings::mutex_unlock(mutex);
            let left = match jiffies {
                Some(j) => bindings::schedule_timeout(j),
                None => {
                    bindings::schedule();
                    1
                }
            };
            bindings::finish_wait(self.wq.get(), &mut entry);
            bindings::mutex_lock(mutex);
            left
        };
        left != 0
    }

    /// Wakes every waiting task.
    pub fn notify_all(&self) {
        // SAFETY: the wait queue is valid for our lifetime.
        unsafe { bindings::wake_up(self.wq.get()) };
    }
}

impl Default for CondVar {
    fn default() -> Self {
        Self::new()
    }
}

/// "This has happened": one side calls [`Completion::complete`], the
/// other [`Completion::wait`]s for it (C `struct completion`). Each
/// `complete` lets one wait through; `complete_all` lets every wait
/// through until [`Completion::reinit`].
pub struct Completion {
    c: Opaque<bindings::completion>,
}

// SAFETY: the completion is protected by its wait queue's spinlock.
unsafe impl Sync for Completion {}
// SAFETY: as for CondVar: idle, it holds no pointer to itself.
unsafe impl Send for Completion {}

impl Completion {
    /// A completion not yet done; usable in statics.
    pub const fn new() -> Self {
        // SAFETY: an all-zero struct completion is valid and not done.
        Completion { c: Opaque::new(unsafe { core::mem::zeroed() }) }
    }

    /// Lets one waiter (present or future) through. Any context.
    pub fn complete(&self) {
        // SAFETY: the completion is valid for our lifetime.
        unsafe { bindings::complete(self.c.get()) };
    }

    /// Lets every waiter through, until [`Completion::reinit`].
    pub fn complete_all(&self) {
        // SAFETY: as above.
        unsafe { bindings::complete_all(self.c.get()) };
    }

    /// Sleeps until completed. Process context.
    pub fn wait(&self) {
        // SAFETY: as above.
        unsafe { bindings::wait_for_completion(self.c.get()) };
    }

    /// Sleeps at most `ms` milliseconds; true if completed in time.
    pub fn wait_timeout_ms(&self, ms: u32) -> bool {
        // SAFETY: as above; msecs_to_jiffies is a pure conversion.
        unsafe {
            let j = bindings::msecs_to_jiffies(ms) as core::ffi::c_long;
            bindings::wait_for_completion_timeout(self.c.get(), j.max(1)) != 0
        }
    }

    /// Takes a completion without sleeping; false if there is none.
    pub fn try_wait(&self) -> bool {
        // SAFETY: as above.
        unsafe { bindings::try_wait_for_completion(self.c.get()) }
    }

    /// Forgets earlier completions. `&mut self`: nobody can be waiting.
    pub fn reinit(&mut self) {
        // SAFETY: exclusive access; the completion is valid.
        unsafe { (*self.c.get()).done = 0 };
    }
}

impl Default for Completion {
    fn default() -> Self {
        Self::new()
    }
}

struct ArcInner<T> {
    refcount: Opaque<bindings::refcount_t>,
    data: T,
}

/// A reference-counted pointer on the C `refcount_t` (saturating: an
/// overflow leaks the object instead of freeing it early).
pub struct Arc<T> {
    ptr: NonNull<ArcInner<T>>,
    _owns: PhantomData<ArcInner<T>>,
}

// SAFETY: an Arc gives shared access to T from any CPU and may drop it
// on any CPU, so T must be Send + Sync.
unsafe impl<T: Send + Sync> Send for Arc<T> {}
// SAFETY: as above.
unsafe impl<T: Send + Sync> Sync for Arc<T> {}

impl<T> Arc<T> {
    /// Allocates `data` with a count of one.
    pub fn new(data: T, flags: Flags) -> Result<Self> {
        let inner = ArcInner { refcount: Opaque::new(bindings::refcount_t { refs: 1 }), data };
        let raw = KBox::into_raw(KBox::new(inner, flags)?);
        // SAFETY: into_raw never returns NULL.
        Ok(Arc { ptr: unsafe { NonNull::new_unchecked(raw) }, _owns: PhantomData })
    }

    fn inner(&self) -> &ArcInner<T> {
        // SAFETY: the allocation lives while any Arc to it exists.
        unsafe { self.ptr.as_ref() }
    }

    /// The current count (racy; for tests and diagnostics).
    pub fn count(this: &Self) -> i32 {
        // SAFETY: refcount is a valid refcount_t inside a live ArcInner.
        unsafe { bindings::rust_helper_refcount_read(this.inner().refcount.get()) }
    }

    /// Whether two Arcs point at the same object.
    pub fn ptr_eq(a: &Self, b: &Self) -> bool {
        a.ptr == b.ptr
    }
}

impl<T> Clone for Arc<T> {
    fn clone(&self) -> Self {
        // SAFETY: we hold a reference, so the count is at least one.
        unsafe { bindings::rust_helper_refcount_inc(self.inner().refcount.get()) };
        Arc { ptr: self.ptr, _owns: PhantomData }
    }
}

impl<T> Deref for Arc<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner().data
    }
}

impl<T> Drop for Arc<T> {
    fn drop(&mut self) {
        // SAFETY: we hold one reference, which this call gives up.
        let last =
            unsafe { bindings::rust_helper_refcount_dec_and_test(self.inner().refcount.get()) };
        if last {
            // SAFETY: the count reached zero, so no other Arc exists; the
            // pointer came from KBox::into_raw in Arc::new.
            drop(unsafe { KBox::from_raw(self.ptr.as_ptr()) });
        }
    }
}

#[crate::ktest(rust_sync)]
mod tests {
    use super::*;
    use crate::alloc::GFP_KERNEL;
    use crate::ktest::Test;

    static COUNTER: SpinLock<u32> = SpinLock::new(0);

    #[test]
    fn guard_drop_releases_lock(t: &mut Test) {
        {
            let mut g = COUNTER.lock();
            *g += 1;
            crate::kt_expect!(t, COUNTER.is_locked());
            crate::kt_expect!(t, COUNTER.try_lock().is_none());
        }
        crate::kt_expect!(t, !COUNTER.is_locked());
        crate::kt_expect!(t, COUNTER.try_lock().is_some());
    }

    #[test]
    fn irqsave_guard_restores_interrupts(t: &mut Test) {
        // SAFETY: reading the interrupt flag has no side effects.
        let was_off = unsafe { bindings::rust_helper_irqs_disabled() };
        {
            let _g = COUNTER.lock_irqsave();
            // SAFETY: as above.
            crate::kt_expect!(t, unsafe { bindings::rust_helper_irqs_disabled() });
        }
        // SAFETY: as above.
        crate::kt_expect_eq!(t, unsafe { bindings::rust_helper_irqs_disabled() }, was_off);
    }

    #[test]
    fn mutex_guards_data(t: &mut Test) {
        let m = Mutex::new([0u8; 4]);
        {
            let mut g = m.lock();
            g[2] = 7;
            crate::kt_expect!(t, m.try_lock().is_none());
        }
        crate::kt_expect_eq!(t, m.lock()[2], 7);
    }

    static READY: Mutex<bool> = Mutex::new(false);
    static READY_CV: CondVar = CondVar::new();

    #[test]
    fn condvar_wait_times_out_with_mutex_held(t: &mut Test) {
        let m = Mutex::new(0u32);
        let cv = CondVar::new();
        let mut g = m.lock();
        crate::kt_expect!(t, !cv.wait_timeout_ms(&mut g, 20));
        *g += 1; // still ours
        crate::kt_expect!(t, m.try_lock().is_none());
        drop(g);
        crate::kt_expect_eq!(t, *m.lock(), 1);
    }

    #[test]
    fn condvar_wakes_a_waiting_thread(t: &mut Test) {
        *READY.lock() = false;
        let th = crate::kthread::Thread::run(c"rust-cv", || {
            let mut g = READY.lock();
            while !*g {
                READY_CV.wait(&mut g);
            }
            7
        });
        crate::kt_assert!(t, th.is_ok());
        crate::time::msleep(10);
        *READY.lock() = true;
        READY_CV.notify_all();
        if let Ok(th) = th {
            crate::kt_expect_eq!(t, th.stop(), 7);
        }
    }

    #[test]
    fn completion_counts(t: &mut Test) {
        let mut c = Completion::new();
        crate::kt_expect!(t, !c.try_wait());
        c.complete();
        c.complete();
        c.wait();
        crate::kt_expect!(t, c.try_wait());
        crate::kt_expect!(t, !c.wait_timeout_ms(10));
        c.complete_all();
        crate::kt_expect!(t, c.try_wait() && c.try_wait());
        c.reinit();
        crate::kt_expect!(t, !c.try_wait());
    }

    #[test]
    fn arc_counts_and_frees(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        if let Ok(a) = Arc::new(99u64, GFP_KERNEL) {
            crate::kt_expect_eq!(t, Arc::count(&a), 1);
            let b = a.clone();
            crate::kt_expect_eq!(t, Arc::count(&a), 2);
            crate::kt_expect!(t, Arc::ptr_eq(&a, &b));
            crate::kt_expect_eq!(t, *b, 99);
            drop(a);
            crate::kt_expect_eq!(t, Arc::count(&b), 1);
            crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before + 1);
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }
}
