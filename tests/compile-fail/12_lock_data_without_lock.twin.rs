// twin of 12_lock_data_without_lock.rs: through the guard.
//! Passing twin: the statistics are updated through the guard.
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
    STATS.lock().rx += 1;
}
