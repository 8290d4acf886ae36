// SPDX-License-Identifier: MIT
//! Time: the monotonic clock, sleeps and busy-wait delays.

/// Nanoseconds since boot (monotonic; 0 before the clock is calibrated).
pub fn ktime_get_ns() -> u64 {
    // SAFETY: ktime_get_ns has no preconditions.
    unsafe { bindings::ktime_get_ns() }
}

/// Timer ticks since boot (at `HZ`).
pub fn jiffies() -> u64 {
    // SAFETY: `jiffies` is an 8-aligned u64 that lives for the whole run;
    // the C tick writes it with single aligned stores (the Linux memory
    // model's WRITE_ONCE), so an atomic load of it is not a data race.
    let j = unsafe {
        core::sync::atomic::AtomicU64::from_ptr(core::ptr::addr_of_mut!(bindings::jiffies))
    };
    j.load(core::sync::atomic::Ordering::Relaxed)
}

/// A point on the monotonic clock.
///
/// ```
/// use kernel::time::{jiffies, msleep, udelay, Instant};
///
/// let start = Instant::now();
/// let j = jiffies();
/// udelay(100); // busy-waits
/// assert!(start.elapsed_ns() >= 100_000);
/// msleep(20); // sleeps, at least two ticks at HZ=100
/// assert!(start.elapsed_ns() >= 20_100_000);
/// assert!(jiffies() > j);
/// assert!(Instant::now() > start);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct Instant(u64);

impl Instant {
    /// Now.
    pub fn now() -> Self {
        Instant(ktime_get_ns())
    }

    /// Nanoseconds since `self`.
    pub fn elapsed_ns(self) -> u64 {
        ktime_get_ns().saturating_sub(self.0)
    }

    /// The raw nanosecond value.
    pub fn as_ns(self) -> u64 {
        self.0
    }
}

/// Busy-waits at least `us` microseconds.
pub fn udelay(us: u64) {
    // SAFETY: udelay has no preconditions.
    unsafe { bindings::udelay(us as core::ffi::c_ulong) }
}

/// Sleeps at least `ms` milliseconds (process context; other tasks run).
/// In atomic context it panics ("sleeping function called from invalid
/// context").
pub fn msleep(ms: u32) {
    // SAFETY: msleep has no memory-safety preconditions: in atomic
    // context it panics (might_sleep) before it sleeps or arms a timer.
    unsafe { bindings::msleep(ms) }
}

/// Busy-waits at least `ms` milliseconds.
pub fn mdelay(ms: u64) {
    // SAFETY: mdelay has no preconditions.
    unsafe { bindings::mdelay(ms as core::ffi::c_ulong) }
}

#[crate::ktest(rust_time)]
mod tests {
    use super::*;
    use crate::ktest::Test;

    #[test]
    fn clock_is_monotonic(t: &mut Test) {
        let mut last = Instant::now();
        for _ in 0..1000 {
            let now = Instant::now();
            crate::kt_assert!(t, now >= last);
            last = now;
        }
    }

    #[test]
    fn udelay_waits_at_least(t: &mut Test) {
        let start = Instant::now();
        udelay(2000);
        crate::kt_expect!(t, start.elapsed_ns() >= 2_000_000);
    }
}
