// twin of 15_mutate_through_shared_ref.rs: ask for &mut.
//! Passing twin: clearing asks for exclusive access.
#![no_std]
#![forbid(unsafe_code)]

/// Receive statistics.
pub struct Stats {
    /// Frames received.
    pub rx: u64,
}

/// Clears the statistics.
pub fn reset(stats: &mut Stats) {
    stats.rx = 0;
}
