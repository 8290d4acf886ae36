// expect: E0133
// class: data race on a global without a lock (`static mut`)
// c-bug: a global counter incremented from several CPUs without a lock or atomic: lost updates
// rule: every access to a `static mut` is `unsafe` (and drivers cannot write `unsafe`)
//! Compile-fail case: a global interrupt counter as a `static mut`.
#![no_std]
#![forbid(unsafe_code)]

/// Interrupts seen on all CPUs.
static mut IRQS: u64 = 0;

/// Counts one interrupt (called from the handler, on any CPU).
pub fn count_irq() {
    IRQS += 1;
}
