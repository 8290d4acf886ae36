// expect: E0308
// class: sleeping on a condition while holding a spin lock (its guard given to the wait)
// c-bug: spin_lock(&dev->lock); wait_event(dev->wq, dev->ready); sleeping with the spinlock held (deadlock, or schedule() in atomic context)
// rule: `CondVar::wait` takes a `&mut MutexGuard` only: a sleeping wait releases a mutex, never a spin lock
//! Compile-fail case: waiting for a condition under a spin lock.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::{CondVar, SpinLock};

/// Whether the device has answered, and the wait for it.
pub static READY: SpinLock<bool> = SpinLock::new(false);
/// Notified when READY changes.
pub static READY_CV: CondVar = CondVar::new();

/// Waits for the device.
pub fn wait_ready() {
    let mut g = READY.lock();
    while !*g {
        READY_CV.wait(&mut g);
    }
}
