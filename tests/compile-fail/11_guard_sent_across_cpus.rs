// expect: E0277
// class: a lock guard moved to another CPU/context (kept in module state)
// c-bug: mutex_lock() in module init and mutex_unlock() in exit, which may run in another task on another CPU
// rule: `MutexGuard` is `!Send`, and `Module: Send` (a module's state may be dropped on any CPU)
//! Compile-fail case: a module keeps its configuration locked from init to exit.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sync::{Mutex, MutexGuard};

module! {
    type: Locked,
    name: "cf_locked",
    license: "MIT",
}

/// The configuration, shared with other modules.
static CONFIG: Mutex<u32> = Mutex::new(0);

/// The module's state: the configuration, locked while the module runs.
struct Locked {
    cfg: MutexGuard<'static, u32>,
}

impl Module for Locked {
    fn init() -> Result<Self> {
        let mut cfg = CONFIG.lock();
        *cfg = 1;
        Ok(Locked { cfg })
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        *self.cfg = 0;
    }
}
