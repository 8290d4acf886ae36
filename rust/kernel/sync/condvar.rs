// SPDX-License-Identifier: MIT
//! [`CondVar`]: sleep with a [`Mutex`] released until notified.

use super::lock::mutex::MutexGuard;
use crate::types::Opaque;

/// A condition variable (a C wait queue): sleep with a
/// [`Mutex`](super::Mutex) released until another task notifies.
///
/// As everywhere, wake-ups may be spurious: wait in a loop that tests the
/// condition under the mutex.
///
/// ```
/// use kernel::kthread::Thread;
/// use kernel::prelude::*;
/// use kernel::sync::{Arc, CondVar, Mutex};
///
/// struct Shared {
///     ready: Mutex<bool>,
///     changed: CondVar,
/// }
///
/// let shared = Shared { ready: Mutex::new(false), changed: CondVar::new() };
/// let shared = Arc::new(shared, GFP_KERNEL)?;
/// let theirs = shared.clone();
/// let worker = Thread::run(c"doctest_condvar", move || {
///     *theirs.ready.lock() = true;
///     theirs.changed.notify_all();
///     0
/// })?;
///
/// let mut ready = shared.ready.lock();
/// while !*ready {
///     shared.changed.wait(&mut ready);
/// }
/// drop(ready);
/// assert_eq!(worker.stop(), 0);
/// # Ok::<(), Error>(())
/// ```
///
/// Waiting takes a [`MutexGuard`] only: a spin lock's guard cannot be
/// passed (a type error). Waiting while holding some other spin lock, or
/// in any atomic context, panics ("sleeping function called from
/// invalid context") before the task queues itself. A guard of any
/// mutex works: the condition must be the one that mutex protects.
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
        // SAFETY: msecs_to_jiffies is a pure conversion.
        let jiffies = unsafe { bindings::msecs_to_jiffies(ms) } as core::ffi::c_long;
        self.wait_jiffies(guard, Some(jiffies.max(1)))
    }

    fn wait_jiffies<T: ?Sized>(
        &self,
        guard: &mut MutexGuard<'_, T>,
        jiffies: Option<core::ffi::c_long>,
    ) -> bool {
        // Refuse (panic) in atomic context before anything points at
        // this frame. Holding the mutex proves process context already.
        // SAFETY: might_sleep has no preconditions.
        unsafe { bindings::might_sleep() };
        // SAFETY: `current` is always valid in process context.
        let me = unsafe { bindings::rust_helper_current() };
        let mut entry = bindings::wait_queue_entry {
            node: bindings::list_head { next: core::ptr::null_mut(), prev: core::ptr::null_mut() },
            task: me,
        };
        let node = core::ptr::addr_of_mut!(entry.node);
        entry.node = bindings::list_head { next: node, prev: node };
        let mutex = guard.raw_mutex();
        // A notifier that takes the mutex after us finds us queued: we
        // queue ourselves (marked blocked) before dropping the mutex.
        // SAFETY: `entry` stays on this frame, unmoved, until finish_wait
        // dequeues it below. The guard proves the current task owns
        // `mutex`; while we sleep without it, the guard is mutably
        // borrowed by this call, so nothing reaches the data through it,
        // and mutex_lock() makes this task the owner again before we
        // return, restoring the guard's invariant.
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
