// twin of 21_static_mut_counter.rs: an atomic.
//! Passing twin: the global counter is an atomic.
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU64, Ordering};

/// Interrupts seen on all CPUs.
static IRQS: AtomicU64 = AtomicU64::new(0);

/// Counts one interrupt (called from the handler, on any CPU).
pub fn count_irq() {
    IRQS.fetch_add(1, Ordering::Relaxed);
}
