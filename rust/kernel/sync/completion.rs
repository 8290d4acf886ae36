// SPDX-License-Identifier: MIT
//! [`Completion`]: "this has happened".

use crate::types::Opaque;

/// "This has happened": one side calls [`Completion::complete`], the
/// other [`Completion::wait`]s for it (C `struct completion`). Each
/// `complete` lets one wait through; `complete_all` lets every wait
/// through until [`Completion::reinit`].
///
/// ```
/// use kernel::kthread::Thread;
/// use kernel::prelude::*;
/// use kernel::sync::{Arc, Completion};
///
/// let done = Arc::new(Completion::new(), GFP_KERNEL)?;
/// assert!(!done.try_wait());
/// let theirs = done.clone();
/// let worker = Thread::run(c"doctest_completion", move || {
///     theirs.complete();
///     0
/// })?;
/// assert!(done.wait_timeout_ms(5000), "the worker never completed");
/// assert_eq!(worker.stop(), 0);
/// # Ok::<(), Error>(())
/// ```
pub struct Completion {
    c: Opaque<bindings::completion>,
}

// SAFETY: the completion is protected by its wait queue's spinlock.
unsafe impl Sync for Completion {}
// SAFETY: an idle completion holds no pointer to itself, and a waiter
// borrows it, so it cannot move while anyone waits.
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
        // SAFETY: the completion is valid for our lifetime.
        unsafe { bindings::complete_all(self.c.get()) };
    }

    /// Sleeps until completed. Process context: in atomic context it
    /// panics (might_sleep).
    pub fn wait(&self) {
        // SAFETY: the completion is valid for our lifetime; the wait
        // entry lives on the C function's frame until it dequeues it.
        unsafe { bindings::wait_for_completion(self.c.get()) };
    }

    /// Sleeps at most `ms` milliseconds; true if completed in time.
    pub fn wait_timeout_ms(&self, ms: u32) -> bool {
        // SAFETY: msecs_to_jiffies is a pure conversion.
        let j = unsafe { bindings::msecs_to_jiffies(ms) } as core::ffi::c_long;
        // SAFETY: the completion is valid for our lifetime; the wait
        // entry lives on the C function's frame until it dequeues it.
        unsafe { bindings::wait_for_completion_timeout(self.c.get(), j.max(1)) != 0 }
    }

    /// Takes a completion without sleeping; false if there is none.
    pub fn try_wait(&self) -> bool {
        // SAFETY: the completion is valid for our lifetime.
        unsafe { bindings::try_wait_for_completion(self.c.get()) }
    }

    /// Forgets earlier completions. `&mut self`: nobody else can hold a
    /// reference, so nobody is waiting or completing.
    pub fn reinit(&mut self) {
        // SAFETY: `&mut self` makes this the only access to the valid
        // completion: no waiter is queued (a waiter borrows the
        // Completion) and no complete() runs concurrently, so a plain
        // write of the count races with nothing.
        unsafe { (*self.c.get()).done = 0 };
    }
}

impl Default for Completion {
    fn default() -> Self {
        Self::new()
    }
}
