// expect: E0596
// class: unlocked "fast path" write to a shared lock's data
// c-bug: skipping the lock on a hot path because "nobody else can be using it now"
// rule: `SpinLock::get_mut` needs `&mut SpinLock`, which proves exclusive access; a shared static gives only `&`
//! Compile-fail case: a lockless write to a static spinlock's data.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::SpinLock;

/// Frames dropped, shared with the interrupt handler.
pub static DROPS: SpinLock<u64> = SpinLock::new(0);

/// Counts a dropped frame without the lock.
pub fn count_drop() {
    *DROPS.get_mut() += 1;
}
