// twin of 14_get_mut_on_shared_lock.rs: lock; get_mut only where ownership proves exclusivity.
//! Passing twin: shared data is written under the lock; `get_mut` is used
//! only on a lock this function owns.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::SpinLock;

/// Frames dropped, shared with the interrupt handler.
pub static DROPS: SpinLock<u64> = SpinLock::new(0);

/// Counts a dropped frame.
pub fn count_drop() {
    *DROPS.lock() += 1;
}

/// A fresh counter set to `n`: nobody else can see it yet.
pub fn counter_at(n: u64) -> SpinLock<u64> {
    let mut c = SpinLock::new(0);
    *c.get_mut() = n;
    c
}
