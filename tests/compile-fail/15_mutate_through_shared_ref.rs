// expect: E0594
// class: mutating through a shared reference
// c-bug: writing through a const pointer (or a pointer every reader holds) after casting the const away
// rule: `&T` is shared and read-only; writing needs `&mut T` (exclusive) or a lock/atomic inside `T`
//! Compile-fail case: statistics lent for reading get cleared.
#![no_std]
#![forbid(unsafe_code)]

/// Receive statistics.
pub struct Stats {
    /// Frames received.
    pub rx: u64,
}

/// Clears the statistics (the caller lent them for reading only).
pub fn reset(stats: &Stats) {
    stats.rx = 0;
}
