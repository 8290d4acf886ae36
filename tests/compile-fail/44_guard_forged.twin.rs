// twin of 44_guard_forged.rs: the guard comes from lock().
//! Passing twin: the guard is the lock's.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::{SpinLock, SpinLockGuard};

/// Packets counted by the device.
pub static PACKETS: SpinLock<u64> = SpinLock::new(0);

/// Counts one packet under the lock.
pub fn count() {
    let mut g: SpinLockGuard<'_, u64> = PACKETS.lock();
    *g += 1;
}
