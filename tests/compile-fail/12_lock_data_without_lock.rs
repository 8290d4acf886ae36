// expect: E0609
// class: touching lock-protected data without taking the lock
// c-bug: dev->stats.rx++ without spin_lock(&dev->lock): races with the IRQ handler
// rule: `SpinLock<T>` has no `Deref` to `T` and no public fields: the data is reachable only through `lock()`'s guard
//! Compile-fail case: the statistics updated as if the lock were the data.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::SpinLock;

/// Receive statistics, shared with the interrupt handler.
pub struct Stats {
    /// Frames received.
    pub rx: u64,
}

/// The statistics, behind their lock.
pub static STATS: SpinLock<Stats> = SpinLock::new(Stats { rx: 0 });

/// Counts one received frame.
pub fn count_rx() {
    STATS.rx += 1;
}
