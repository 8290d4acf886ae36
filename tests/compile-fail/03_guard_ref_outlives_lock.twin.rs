// twin of 03_guard_ref_outlives_lock.rs: copy the value while the lock is held.
//! Passing twin: the count is copied out under the lock.
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
    let rx: u64;
    {
        let stats = STATS.lock();
        rx = stats.rx;
    }
    rx
}
