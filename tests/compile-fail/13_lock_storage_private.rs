// expect: E0616
// class: reaching around the guard to the lock's storage
// c-bug: reading a field of a locked structure directly "because it is only a read" (torn or stale value)
// rule: `SpinLock`'s `data` field is private to the kernel crate; only the guard's `Deref` reaches it
//! Compile-fail case: peeking at the lock's storage instead of taking the lock.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::SpinLock;

/// The number of open files, shared between CPUs.
pub static OPEN: SpinLock<u32> = SpinLock::new(0);

/// Whether anything is open (a "quick check" without the lock).
pub fn busy() -> bool {
    OPEN.data != 0
}
