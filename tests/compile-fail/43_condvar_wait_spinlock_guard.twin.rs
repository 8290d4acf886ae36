// twin of 43_condvar_wait_spinlock_guard.rs: the state is behind a Mutex.
//! Passing twin: waiting with a mutex, which the wait releases.
#![no_std]
#![forbid(unsafe_code)]

use kernel::sync::{CondVar, Mutex};

/// Whether the device has answered, and the wait for it.
pub static READY: Mutex<bool> = Mutex::new(false);
/// Notified when READY changes.
pub static READY_CV: CondVar = CondVar::new();

/// Waits for the device.
pub fn wait_ready() {
    let mut g = READY.lock();
    while !*g {
        READY_CV.wait(&mut g);
    }
}
