// twin of 04_guard_ref_after_unlock.rs: copy, then unlock.
//! Passing twin: the count is copied before the guard is dropped.
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
    let rx = stats.rx;
    drop(stats);
    rx
}
