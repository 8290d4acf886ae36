// SPDX-License-Identifier: MIT
//! Kernel threads running Rust closures (C `kthread_create`/`kthread_stop`).
//!
//! ```
//! use kernel::kthread::{self, Thread};
//! use kernel::prelude::*;
//! use kernel::sync::{Arc, SpinLock};
//! use kernel::time::msleep;
//!
//! let rounds = Arc::new(SpinLock::new(0u32), GFP_KERNEL)?;
//! let theirs = rounds.clone();
//! let worker = Thread::run(c"doctest_kthread", move || {
//!     while !kthread::should_stop() {
//!         *theirs.lock() += 1;
//!         msleep(1);
//!     }
//!     7
//! })?;
//! while *rounds.lock() < 3 {
//!     msleep(1);
//! }
//! assert_eq!(worker.stop(), 7); // asks, waits, frees; the closure's 7
//!
//! // a CPU that is not online is refused
//! let offline = kthread::num_online_cpus();
//! assert_eq!(Thread::run_on_cpu(c"nowhere", offline, || 0).err(), Some(EINVAL));
//! # Ok::<(), Error>(())
//! ```
//!
//! The closure is moved into a [`KBox`] that the new thread owns and
//! consumes; it must be `Send + 'static` because it runs on another task,
//! possibly on another CPU, for as long as it likes. A [`Thread`] is the
//! creator's reference: [`Thread::stop`] asks the thread to stop, waits
//! for it and frees it; dropping the handle instead lets the thread run
//! on and free itself when it ends.

use crate::alloc::{KBox, GFP_KERNEL};
use crate::error::{code::ENOMEM, from_err_ptr, Error, Result};
use crate::str::CStr;
use core::ffi::{c_int, c_void};
use core::ptr::NonNull;

/// A kernel thread started by [`Thread::run`].
pub struct Thread {
    task: NonNull<bindings::task>,
}

// SAFETY: the handle is a counted reference to a C task; stopping it or
// dropping the reference is allowed from any task.
unsafe impl Send for Thread {}

/// The new thread's body: take back the closure and run it.
///
/// # Safety
/// `data` is the pointer `KBox::into_raw` gave for a `KBox<F>`, handed
/// to exactly one thread.
unsafe extern "C" fn trampoline<F: FnOnce() -> i32 + Send + 'static>(data: *mut c_void) -> c_int {
    // SAFETY: by the function's contract we own this box now.
    let f = unsafe { KBox::from_raw(data.cast::<F>()) };
    KBox::into_inner(f)()
}

impl Thread {
    /// Starts a thread named `name` running `f`; its return value is
    /// what [`Thread::stop`] returns. `ENOMEM` if memory is short.
    pub fn run<F: FnOnce() -> i32 + Send + 'static>(name: &CStr, f: F) -> Result<Thread> {
        Self::create(name, f, None)
    }

    /// Like [`Thread::run`], pinned to `cpu` (`EINVAL` if it is offline).
    pub fn run_on_cpu<F: FnOnce() -> i32 + Send + 'static>(
        name: &CStr,
        cpu: u32,
        f: F,
    ) -> Result<Thread> {
        Self::create(name, f, Some(cpu))
    }

    fn create<F: FnOnce() -> i32 + Send + 'static>(
        name: &CStr,
        f: F,
        cpu: Option<u32>,
    ) -> Result<Thread> {
        let data = KBox::into_raw(KBox::new(f, GFP_KERNEL)?).cast::<c_void>();
        // SAFETY: trampoline::<F> matches the C thread function type and
        // `data` is the box it expects; "%s" takes the NUL-terminated name.
        let raw = unsafe {
            bindings::kthread_create(Some(trampoline::<F>), data, c"%s".as_ptr(), name.as_ptr())
        };
        let task = match from_err_ptr(raw).map(NonNull::new) {
            Ok(Some(task)) => task,
            Ok(None) | Err(_) => {
                // SAFETY: no thread took the box; it is still ours.
                drop(unsafe { KBox::from_raw(data.cast::<F>()) });
                return Err(from_err_ptr(raw).err().unwrap_or(ENOMEM));
            }
        };
        let thread = Thread { task };
        if let Some(cpu) = cpu {
            // SAFETY: the task is NEW; kthread_bind checks the CPU.
            let err = unsafe { bindings::kthread_bind(task.as_ptr(), cpu) };
            if err != 0 {
                // Never started: kthread_stop frees it without running
                // the closure, so the box is still ours to drop.
                let _ = thread.stop_raw();
                // SAFETY: the thread never ran, nobody took the box.
                drop(unsafe { KBox::from_raw(data.cast::<F>()) });
                return Err(Error::from_errno(err));
            }
        }
        // SAFETY: the task is valid; a started thread always runs its
        // function, which consumes the box.
        unsafe { bindings::wake_up_process(task.as_ptr()) };
        Ok(thread)
    }

    fn stop_raw(self) -> i32 {
        let task = self.task.as_ptr();
        core::mem::forget(self);
        // SAFETY: we own the creator's reference (the handle was forgotten
        // above, so its Drop cannot put it again), which kthread_stop
        // consumes: it waits for the thread to exit and frees it. Its
        // preconditions are checked by C itself: it panics in atomic
        // context (might_sleep) and when the thread would stop itself,
        // instead of waiting forever.
        unsafe { bindings::kthread_stop(task) }
    }

    /// Asks the thread to stop ([`should_stop`] turns true and the thread
    /// is woken), waits until it ended and frees it. Returns the
    /// closure's return value. Process context.
    pub fn stop(self) -> i32 {
        self.stop_raw()
    }

    /// The thread's pid.
    pub fn pid(&self) -> i32 {
        // SAFETY: our reference keeps the task alive.
        unsafe { (*self.task.as_ptr()).pid }
    }
}

impl Drop for Thread {
    fn drop(&mut self) {
        // SAFETY: we own one reference; the thread frees itself when it
        // ends if this was the last but its own.
        unsafe { bindings::put_task(self.task.as_ptr()) };
    }
}

/// True once [`Thread::stop`] was called on the current thread.
pub fn should_stop() -> bool {
    // SAFETY: reads the current task's flag; no preconditions.
    unsafe { bindings::kthread_should_stop() }
}

/// Lets other runnable tasks of this CPU run first.
pub fn yield_now() {
    // SAFETY: sched_yield may be called from any process context.
    unsafe { bindings::sched_yield() }
}

/// The number of CPUs running the scheduler.
pub fn num_online_cpus() -> u32 {
    // SAFETY: reads the online mask; no preconditions.
    unsafe { bindings::rust_helper_num_online_cpus() }
}

#[crate::ktest(rust_kthread)]
mod tests {
    use super::*;
    use crate::ktest::Test;
    use crate::sync::{Arc, Completion};

    #[test]
    fn stop_returns_closure_value(t: &mut Test) {
        let th = Thread::run(c"rust-ret", || 42);
        crate::kt_assert!(t, th.is_ok());
        if let Ok(th) = th {
            crate::kt_expect!(t, th.pid() > 1);
            crate::kt_expect_eq!(t, th.stop(), 42);
        }
    }

    #[test]
    fn thread_runs_until_asked_to_stop(t: &mut Test) {
        let before = crate::ktest::slab_objects();
        if let Ok(started) = Arc::new(Completion::new(), GFP_KERNEL) {
            let s2 = started.clone();
            let th = Thread::run(c"rust-loop", move || {
                let mut n = 0;
                while !should_stop() {
                    n += 1;
                    if n == 1 {
                        // only now: a stop asked right after `started`
                        // must find the loop already running
                        s2.complete();
                    }
                    yield_now();
                }
                if n > 0 {
                    1
                } else {
                    0
                }
            });
            crate::kt_assert!(t, th.is_ok());
            started.wait();
            if let Ok(th) = th {
                crate::kt_expect_eq!(t, th.stop(), 1);
            }
        }
        crate::kt_expect_eq!(t, crate::ktest::slab_objects(), before);
    }

    #[test]
    fn pinned_thread_runs_on_its_cpu(t: &mut Test) {
        let last = num_online_cpus() - 1;
        let th = Thread::run_on_cpu(c"rust-pin", last, move || {
            // SAFETY: a read of this CPU's number (preemption may move
            // us, but the thread is pinned, so it cannot).
            unsafe { bindings::rust_helper_smp_processor_id() as i32 }
        });
        crate::kt_assert!(t, th.is_ok());
        if let Ok(th) = th {
            crate::kt_expect_eq!(t, th.stop(), last as i32);
        }
        crate::kt_expect!(t, Thread::run_on_cpu(c"rust-nocpu", 999, || 0).is_err());
    }
}
