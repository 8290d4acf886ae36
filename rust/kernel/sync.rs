// SPDX-License-Identifier: MIT
//! Synchronization: [`SpinLock`], [`Mutex`], [`CondVar`], [`Completion`]
//! and [`Arc`] over the C core's primitives.
//!
//! Both locks are one generic [`Lock<T, B>`](Lock) with one [`Guard`]
//! (sync/lock.rs), over a [`Backend`] per C lock (sync/lock/spinlock.rs,
//! sync/lock/mutex.rs): the argument that a guard means "this context
//! alone holds the lock" is made once, in lock.rs, from the backend's
//! contract. Data behind a lock is reachable only through the guard that
//! `lock()` returns; the guard unlocks when dropped and is `!Send`, so it
//! cannot leave the context that took the lock. A reference obtained
//! through a guard cannot outlive it (the borrow checker ties them).
//!
//! A lock never returns without being held: taking a lock this context
//! already holds (a spin lock on this CPU, including from an interrupt
//! handler that interrupted its holder; a mutex by its owner) panics
//! with a deadlock report, on every build. Sleeping in atomic context
//! (locking a [`Mutex`], waiting on a [`CondVar`] or [`Completion`],
//! `msleep`, a `GFP_KERNEL` allocation — with a spin lock held, with
//! preemption or interrupts off, or in an interrupt handler) panics with
//! "sleeping function called from invalid context".
//!
//! The C objects behind these types are valid when all-zero and hold no
//! pointer to themselves while idle (include/keel/wait.h), so they can
//! be built in `const` context and moved while nobody uses them; while a
//! task waits on one, the waiter's borrow keeps it in place.

mod arc;
mod completion;
mod condvar;
pub mod lock;

pub use arc::Arc;
pub use completion::Completion;
pub use condvar::CondVar;
pub use lock::mutex::{Mutex, MutexBackend, MutexGuard};
pub use lock::spinlock::{IrqMode, SpinLock, SpinLockBackend, SpinLockGuard, SpinLockIrqGuard};
pub use lock::{Backend, Guard, Lock};

#[crate::ktest(rust_sync)]
mod tests {
    use super::*;
    use crate::alloc::{KBox, GFP_ATOMIC, GFP_KERNEL};
    use crate::ktest::{Test, TestIrq};
    use core::ffi::{c_uint, c_void};
    use core::sync::atomic::{AtomicPtr, Ordering};

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
        let was_off = irqs_disabled();
        {
            let _g = COUNTER.lock_irqsave();
            crate::kt_expect!(t, irqs_disabled());
        }
        crate::kt_expect_eq!(t, irqs_disabled(), was_off);
    }

    fn irqs_disabled() -> bool {
        // SAFETY: reading the interrupt flag has no side effects.
        unsafe { bindings::rust_helper_irqs_disabled() }
    }

    static A: SpinLock<u32> = SpinLock::new(0);
    static B: SpinLock<u32> = SpinLock::new(0);

    /// U1: `lock_irqsave` guards dropped out of order. The interrupt
    /// flag comes back only with the last guard (it used to come back
    /// with the first one dropped, while B was still held).
    #[test]
    fn irqsave_guards_dropped_out_of_order(t: &mut Test) {
        let was_off = irqs_disabled();
        crate::kt_assert!(t, !was_off);
        let a = A.lock_irqsave();
        let b = B.lock_irqsave();
        drop(a);
        crate::kt_expect!(t, irqs_disabled());
        crate::kt_expect!(t, B.is_locked() && !A.is_locked());
        drop(b);
        crate::kt_expect!(t, !irqs_disabled());
        // and the usual order still works
        let a = A.lock_irqsave();
        let b = B.lock_irqsave();
        drop(b);
        crate::kt_expect!(t, irqs_disabled());
        drop(a);
        crate::kt_expect!(t, !irqs_disabled());
    }

    /// U1: a second `lock()` of a spin lock this CPU holds used to warn
    /// and return a second guard (two `&mut u32`) with DEBUG=1, and
    /// deadlock with DEBUG=0; now it panics in every build.
    #[test]
    fn recursive_spin_lock_panics(t: &mut Test) {
        let l = SpinLock::new(0u32);
        let mut a = l.lock();
        *a += 1;
        t.expect_panic(c"spinlock recursion");
        let mut b = l.lock();
        *b += 1; // not reached
        crate::kt_fail!(t, "second guard: {} {}", *b, *a);
    }

    /// U2: a second `lock()` of a mutex the task owns used to warn and
    /// return a second guard; now it panics.
    #[test]
    fn recursive_mutex_lock_panics(t: &mut Test) {
        let m = Mutex::new(0u32);
        let mut a = m.lock();
        *a += 1;
        t.expect_panic(c"recursive locking");
        let mut b = m.lock();
        *b += 1; // not reached
        crate::kt_fail!(t, "second guard: {} {}", *b, *a);
    }

    /// The lock the IRQ handler of the two cases below takes: a lock on
    /// the case's frame, which lives until the case ends (it waits in
    /// `raise()` while the handler runs).
    static IRQ_TARGET: AtomicPtr<c_void> = AtomicPtr::new(core::ptr::null_mut());

    extern "C" fn spin_in_irq(irq: c_uint, cookie: *mut c_void) -> bindings::irqreturn {
        // SAFETY: unregistering our own (irq, cookie) from inside the
        // handler is allowed (free_irq does not wait for this call), so
        // the handler runs once even though it does not return.
        unsafe { bindings::free_irq(irq, cookie) };
        let l = IRQ_TARGET.load(Ordering::Acquire).cast::<SpinLock<u32>>();
        // SAFETY: the case stored a SpinLock on its frame, which lives
        // while the case waits for this handler in raise().
        let l = unsafe { &*l };
        *l.lock() += 1;
        bindings::irqreturn::IRQ_HANDLED
    }

    extern "C" fn mutex_in_irq(irq: c_uint, cookie: *mut c_void) -> bindings::irqreturn {
        // SAFETY: (irq, cookie) is the registration this handler runs
        // for, and free_irq from inside the handler is allowed: it does
        // not wait for this call, so the handler runs once.
        unsafe { bindings::free_irq(irq, cookie) };
        let m = IRQ_TARGET.load(Ordering::Acquire).cast::<Mutex<u32>>();
        // SAFETY: the case stored a Mutex on its frame, which lives
        // while the case waits for this handler in raise().
        let m = unsafe { &*m };
        *m.lock() += 1;
        bindings::irqreturn::IRQ_HANDLED
    }

    /// Runs `handler` once in hard-IRQ context on the test line.
    fn raise_with(
        t: &mut Test,
        target: *mut c_void,
        handler: extern "C" fn(c_uint, *mut c_void) -> bindings::irqreturn,
    ) {
        let line = TestIrq::get();
        IRQ_TARGET.store(target, Ordering::Release);
        // SAFETY: the handler matches irq_handler_t and the name is
        // static; the cookie (the target) is only compared by free_irq.
        let ret = unsafe {
            bindings::request_irq(line.irq(), Some(handler), c"rust_sync_test".as_ptr(), target)
        };
        crate::kt_assert!(t, ret == 0);
        let r = line.raise();
        crate::kt_fail!(t, "the handler returned ({:?})", r);
    }

    /// U1: an interrupt handler locking the spin lock the task it
    /// interrupted holds used to get a second guard (DEBUG=1); now it
    /// panics (in the handler; the ktest runner ends the handler).
    #[test]
    fn spin_lock_held_by_interrupted_task_panics_in_irq(t: &mut Test) {
        let l = SpinLock::new(0u32);
        let g = l.lock();
        t.expect_panic(c"spinlock recursion");
        raise_with(t, core::ptr::from_ref(&l).cast_mut().cast(), spin_in_irq);
        drop(g);
    }

    /// U2: a mutex locked from an interrupt handler (which runs as the
    /// task it interrupted) used to warn and take it in that task's name;
    /// now it panics.
    #[test]
    fn mutex_lock_in_irq_panics(t: &mut Test) {
        let m = Mutex::new(0u32);
        t.expect_panic(c"from interrupt context");
        raise_with(t, core::ptr::from_ref(&m).cast_mut().cast(), mutex_in_irq);
    }

    /// K4: sleeping under a spin lock used to warn and go on.
    #[test]
    fn msleep_under_spin_lock_panics(t: &mut Test) {
        let l = SpinLock::new(0u32);
        let _g = l.lock();
        t.expect_panic(c"sleeping function called from invalid context");
        crate::time::msleep(1);
    }

    /// K4: a mutex locked under a spin lock.
    #[test]
    fn mutex_under_spin_lock_panics(t: &mut Test) {
        let l = SpinLock::new(0u32);
        let m = Mutex::new(0u32);
        let _g = l.lock();
        t.expect_panic(c"sleeping function called from invalid context");
        let _h = m.lock();
    }

    /// K4: a CondVar wait (with its mutex) while holding a spin lock
    /// panics before the task queues itself.
    #[test]
    fn condvar_wait_under_spin_lock_panics(t: &mut Test) {
        let m = Mutex::new(0u32);
        let cv = CondVar::new();
        let mut g = m.lock();
        let l = SpinLock::new(0u32);
        let _s = l.lock();
        t.expect_panic(c"sleeping function called from invalid context");
        cv.wait_timeout_ms(&mut g, 1);
    }

    /// K4: GFP_KERNEL may sleep: refused under a spin lock (before it
    /// allocates); GFP_ATOMIC is the way.
    #[test]
    fn gfp_kernel_under_spin_lock_panics(t: &mut Test) {
        let l = SpinLock::new(0u32);
        let _g = l.lock_irqsave();
        let ok = KBox::new(1u32, GFP_ATOMIC);
        crate::kt_expect!(t, ok.is_ok());
        drop(ok);
        t.expect_panic(c"sleeping function called from invalid context");
        let b = KBox::new(2u32, GFP_KERNEL);
        crate::kt_fail!(t, "allocated: {}", b.is_ok());
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
