// expect: E0597
// class: a reference to lock-protected data kept after the guard's scope ends
// c-bug: a pointer into shared data used after spin_unlock(): the read races with writers
// rule: `lock()` returns a guard; references to the data borrow the guard and cannot outlive it
//! Compile-fail case: a reference taken under the lock and read after the unlock.
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
    let rx: &u64;
    {
        let stats = STATS.lock();
        rx = &stats.rx;
    }
    *rx
}
