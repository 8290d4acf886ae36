// expect: E0451
// class: making a lock guard without taking the lock
// c-bug: touching dev->stats "as if locked" on a path that never called spin_lock(), e.g. an error path that jumps past it
// rule: `Guard`'s fields are private to the kernel crate: a guard comes only from `lock()`, `try_lock()` or `lock_irqsave()`, which hold the lock
//! Compile-fail case: a guard built by hand, to reach the data unlocked.
#![no_std]
#![forbid(unsafe_code)]

use core::marker::PhantomData;
use kernel::sync::{IrqMode, SpinLock, SpinLockGuard};

/// Packets counted by the device.
pub static PACKETS: SpinLock<u64> = SpinLock::new(0);

/// Counts one packet without the lock.
pub fn count() {
    let mut g: SpinLockGuard<'_, u64> =
        SpinLockGuard { lock: &PACKETS, mode: IrqMode::Plain, _not_send: PhantomData };
    *g += 1;
}
