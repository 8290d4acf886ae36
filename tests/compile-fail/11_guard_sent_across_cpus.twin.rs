// twin of 11_guard_sent_across_cpus.rs: lock briefly in init and in exit.
//! Passing twin: init and exit each take the lock for as long as they need it.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sync::Mutex;

module! {
    type: Locked,
    name: "cf_locked",
    license: "MIT",
}

/// The configuration, shared with other modules.
static CONFIG: Mutex<u32> = Mutex::new(0);

/// The module's state: nothing but the fact it runs.
struct Locked;

impl Module for Locked {
    fn init() -> Result<Self> {
        *CONFIG.lock() = 1;
        Ok(Locked)
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        *CONFIG.lock() = 0;
    }
}
