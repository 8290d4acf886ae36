// SPDX-License-Identifier: MIT
//! rust_sync: locks and shared ownership without kernel threads.
//!
//! 1. An interrupt handler and process context share a counter in an
//!    `Arc<SpinLock<_>>`; process context takes the lock with interrupts
//!    off (`lock_irqsave`), as it must for data an IRQ handler touches.
//! 2. A `Mutex` protects a registry of names that grows with fallible
//!    allocation.
#![no_std]
#![forbid(unsafe_code)]

use kernel::irq::{Handler, IrqReturn, Registration};
use kernel::prelude::*;
use kernel::sync::{Arc, Mutex, SpinLock};

module! {
    type: RustSync,
    name: "rust_sync",
    author: "keel developers",
    description: "SpinLock, Mutex and Arc shared with an IRQ handler",
    license: "MIT",
}

/// Counts interrupts; shares the count with process context.
struct Ticks(Arc<SpinLock<u64>>);

impl Handler for Ticks {
    fn handle_irq(&self) -> IrqReturn {
        *self.0.lock() += 1;
        IrqReturn::Handled
    }
}

/// Installs a counting handler on `irq`; returns it with the shared count.
fn count_irqs(irq: u32) -> Result<(Registration<Ticks>, Arc<SpinLock<u64>>)> {
    let count = Arc::new(SpinLock::new(0), GFP_KERNEL)?;
    let reg = Registration::new(irq, Ticks(count.clone()), c"rust_sync", GFP_KERNEL)?;
    Ok((reg, count))
}

/// Names registered so far; a mutex because adding may allocate.
static NAMES: Mutex<KVec<&'static str>> = Mutex::new(KVec::new());

/// Adds a name; `EEXIST` if it is already there.
fn register(name: &'static str) -> Result {
    let mut names = NAMES.lock();
    if names.contains(&name) {
        return Err(EEXIST);
    }
    names.push(name, GFP_KERNEL)
}

/// Removes a name; `ENOENT` if absent.
fn unregister(name: &str) -> Result {
    let mut names = NAMES.lock();
    let at = names.iter().position(|n| *n == name).ok_or(ENOENT)?;
    let last = names.len() - 1;
    names.swap(at, last);
    names.pop();
    Ok(())
}

struct RustSync;

impl Module for RustSync {
    fn init() -> Result<Self> {
        register("rust_sync")?;
        pr_info!("rust_sync: {} name(s) registered\n", NAMES.lock().len());
        Ok(RustSync)
    }
}

impl Drop for RustSync {
    fn drop(&mut self) {
        let _ = unregister("rust_sync");
        // Free the registry's memory too.
        *NAMES.lock() = KVec::new();
    }
}

#[kernel::ktest(rust_sync_sample)]
mod tests {
    use super::*;
    use kernel::ktest::{Test, TestIrq};

    #[test]
    fn irq_and_process_context_share_a_counter(t: &mut Test) {
        let line = TestIrq::get();
        let Ok((reg, count)) = count_irqs(line.irq()) else {
            kernel::kt_fail!(t, "could not register the handler");
            return;
        };
        for _ in 0..3 {
            kernel::kt_expect_eq!(t, line.raise(), Ok(()));
        }
        kernel::kt_expect_eq!(t, *count.lock_irqsave(), 3);
        kernel::kt_expect_eq!(t, Arc::count(&count), 2);
        drop(reg);
        kernel::kt_expect_eq!(t, Arc::count(&count), 1);
    }

    #[test]
    fn mutex_registry(t: &mut Test) {
        kernel::kt_expect_eq!(t, register("a"), Ok(()));
        kernel::kt_expect_eq!(t, register("a"), Err(EEXIST));
        kernel::kt_expect_eq!(t, unregister("a"), Ok(()));
        kernel::kt_expect_eq!(t, unregister("a"), Err(ENOENT));
        kernel::kt_expect!(t, NAMES.lock().contains(&"rust_sync"));
    }
}
