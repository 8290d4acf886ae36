// expect: E0505
// class: reading lock-protected data through a reference after an explicit unlock
// c-bug: p = &dev->stats; spin_unlock(&dev->lock); return p->rx; (unprotected read)
// rule: unlocking is dropping the guard, which cannot happen while a borrow of it is alive
//! Compile-fail case: the guard is dropped (unlock) while a reference into it lives.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::SpinLock;

/// Receive statistics, updated from the interrupt handler.
pub struct Stats {
    /// Frames received.
    pub rx: u64,
}

/// The statistics, behind their lock.
pub static STATS: SpinLock<Stats> = SpinLock::new(Stats { rx: 0 });

/// The number of frames received.
pub fn rx_frames() -> u64 {
    let stats = STATS.lock();
    let rx = &stats.rx;
    drop(stats);
    *rx
}
