// SPDX-License-Identifier: MIT
//! Rust test cases in the kernel's KTAP run.
//!
//! `#[ktest(suite)]` on a module turns each `#[test] fn name(t: &mut
//! Test)` inside it into a case of a ktest suite registered next to the
//! C suites, so C and Rust results appear in one KTAP stream. Check with
//! [`kt_expect!`]/[`kt_expect_eq!`] (record and go on) and
//! [`kt_assert!`]/[`kt_assert_eq!`] (record and return from the case).
//!
//! ```
//! // An example cannot be a case itself, but it can register a suite:
//! // this one runs with the others (ktest=1) and reports one case.
//! #[kernel::ktest(ktest_doc_example)]
//! mod tests {
//!     use kernel::ktest::Test;
//!
//!     #[test]
//!     fn checks(t: &mut Test) {
//!         let v = [3, 1, 2];
//!         kernel::kt_assert!(t, !v.is_empty()); // ends the case if false
//!         kernel::kt_expect_eq!(t, v.iter().max(), Some(&3)); // goes on
//!     }
//! }
//! ```
//!
//! [`kt_expect!`]: crate::kt_expect
//! [`kt_expect_eq!`]: crate::kt_expect_eq
//! [`kt_assert!`]: crate::kt_assert
//! [`kt_assert_eq!`]: crate::kt_assert_eq

// The module example's `#[test]` is keel's, not libtest's: #[ktest]
// makes it a case, and the example runs in the kernel (docs/rust.md,
// "Examples are tests"), so clippy's "not executed" does not hold.
#![allow(clippy::test_attr_in_doctest)]

use crate::print::MsgBuf;
use crate::types::Opaque;
use core::ffi::CStr;
use core::fmt::{self, Write};

/// The running test case (C `struct ktest`).
#[repr(transparent)]
pub struct Test(Opaque<bindings::ktest>);

impl Test {
    /// Records a failure at `file:line` with a message.
    pub fn fail(&mut self, file: &str, line: u32, args: fmt::Arguments<'_>) {
        let mut path = MsgBuf::<128>::new();
        let _ = path.write_str(file);
        let mut msg = MsgBuf::<400>::new();
        let _ = msg.write_fmt(args);
        // SAFETY: the C runner passed us a valid ktest; both strings are
        // NUL-terminated and live across the call, and "%s" takes one.
        unsafe {
            bindings::ktest_fail(
                self.0.get(),
                path.terminate().as_ptr(),
                line as core::ffi::c_int,
                c"%s".as_ptr(),
                msg.terminate().as_ptr(),
            )
        };
    }

    /// Marks the case skipped with a reason.
    pub fn skip(&mut self, reason: &CStr) {
        // SAFETY: valid ktest (from the runner), NUL-terminated reason.
        unsafe { bindings::ktest_skip(self.0.get(), reason.as_ptr()) };
    }

    /// From here on the case passes only if it panics (in its own task)
    /// with a message containing `substr` (C `ktest_expect_panic`): for
    /// cases that check a refusal that takes the form of a panic, such as
    /// lock recursion. The panic abandons the frames between the case and
    /// `panic()` without running their destructors, so whatever they own
    /// is leaked, never used again.
    pub fn expect_panic(&mut self, substr: &'static CStr) {
        // SAFETY: the runner's ktest is valid for the whole case, and
        // `substr` is 'static, so the pointer outlives the case.
        unsafe { (*self.0.get()).panic_expected = substr.as_ptr() };
    }

    /// Declares that the case leaves `slab_objects` objects holding
    /// `pages` pages allocated on purpose (C `ktest_leak_allow`), e.g.
    /// what an expected panic abandoned; the final leak check expects
    /// exactly that.
    pub fn leak_allow(&mut self, slab_objects: i64, pages: i64, why: &'static CStr) {
        // SAFETY: the runner's ktest is valid for the whole case, and
        // `why` is 'static, so the pointer outlives the run.
        unsafe {
            bindings::ktest_leak_allow(
                self.0.get(),
                slab_objects as core::ffi::c_long,
                pages as core::ffi::c_long,
                why.as_ptr(),
            )
        };
    }

    /// Under `ktest.failslab=` (make check-failslab), switches fault
    /// injection off for the rest of the case (C `ktest_failslab_exempt`):
    /// for a case that can run only once per boot, so that a failed
    /// attempt cannot be retried. No effect otherwise.
    pub fn failslab_exempt(&mut self, why: &'static CStr) {
        // SAFETY: the runner's ktest is valid for the whole case, and
        // `why` is a NUL-terminated string for the call.
        unsafe { bindings::ktest_failslab_exempt(self.0.get(), why.as_ptr()) };
    }

    /// Whether a failure was recorded.
    pub fn failed(&self) -> bool {
        // SAFETY: the runner's ktest is valid for the whole case.
        unsafe { (*self.0.get()).failed }
    }
}

/// One test case (C `struct ktest_case`).
#[repr(transparent)]
pub struct Case(bindings::ktest_case);

// SAFETY: immutable after link time; points at static data and code.
unsafe impl Sync for Case {}

type RawRun = unsafe extern "C" fn(*mut bindings::ktest);

impl Case {
    /// A case named `name` running `run`.
    pub const fn new(name: &'static CStr, run: extern "C" fn(&mut Test)) -> Case {
        // SAFETY: `&mut Test` and `*mut ktest` have the same ABI (Test is
        // repr(transparent) over the ktest), and the C runner always
        // passes a valid, exclusive pointer to the running case.
        let run = unsafe { core::mem::transmute::<extern "C" fn(&mut Test), RawRun>(run) };
        Case(bindings::ktest_case { name: name.as_ptr(), run: Some(run) })
    }

    /// The terminating entry of a case array.
    pub const END: Case = Case(bindings::ktest_case { name: core::ptr::null(), run: None });
}

/// A suite (C `struct ktest_suite`).
#[repr(transparent)]
pub struct Suite(bindings::ktest_suite);

// SAFETY: immutable after link time; points at static data and code.
unsafe impl Sync for Suite {}

impl Suite {
    /// A suite of `cases`, which must end with [`Case::END`].
    pub const fn new(name: &'static CStr, cases: &'static [Case]) -> Suite {
        assert!(!cases.is_empty() && cases[cases.len() - 1].0.run.is_none());
        Suite(bindings::ktest_suite {
            name: name.as_ptr(),
            // C only reads the array.
            cases: cases.as_ptr().cast_mut().cast(),
            init: None,
            exit: None,
            explicit_only: false,
        })
    }
}

/// Places a suite in the ktest table (used by `#[ktest]`).
#[doc(hidden)]
#[macro_export]
#[allow_internal_unsafe]
macro_rules! __ktest_register {
    ($suite:ident) => {
        #[link_section = ".ktest_suites"]
        #[used]
        static __KTEST_SUITE_PTR: &$crate::ktest::Suite = &$suite;
    };
}

/// Records a failure if the condition is false.
#[macro_export]
macro_rules! kt_expect {
    ($t:expr, $cond:expr) => {
        if !$cond {
            $t.fail(file!(), line!(), format_args!("Expected {} to be true", stringify!($cond)));
        }
    };
}

/// Records a failure if the two values differ, printing both.
#[macro_export]
macro_rules! kt_expect_eq {
    ($t:expr, $a:expr, $b:expr) => {
        match (&$a, &$b) {
            (a, b) => {
                if a != b {
                    $t.fail(
                        file!(),
                        line!(),
                        format_args!(
                            "Expected {} == {}, but\n    {} == {:?}\n    {} == {:?}",
                            stringify!($a),
                            stringify!($b),
                            stringify!($a),
                            a,
                            stringify!($b),
                            b
                        ),
                    );
                }
            }
        }
    };
}

/// Records a failure and returns from the case if the condition is false.
#[macro_export]
macro_rules! kt_assert {
    ($t:expr, $cond:expr) => {
        if !$cond {
            $t.fail(file!(), line!(), format_args!("Assertion {} failed", stringify!($cond)));
            return;
        }
    };
}

/// Records a failure and returns from the case if the values differ.
#[macro_export]
macro_rules! kt_assert_eq {
    ($t:expr, $a:expr, $b:expr) => {
        if $a != $b {
            $crate::kt_expect_eq!($t, $a, $b);
            return;
        }
    };
}

/// Records a failure with a formatted message.
#[macro_export]
macro_rules! kt_fail {
    ($t:expr, $($arg:tt)*) => {
        $t.fail(file!(), line!(), format_args!($($arg)*))
    };
}

/// Live slab objects (kmalloc and caches): compare before and after to
/// prove a test freed what it allocated.
pub fn slab_objects() -> u64 {
    let mut u = bindings::mm_usage { free_pages: 0, slab_objects: 0, slab_bytes: 0 };
    // SAFETY: `u` is a valid mm_usage to fill in.
    unsafe { bindings::mm_usage_get(&mut u) };
    u.slab_objects
}

/// Fault injection for a test: while this guard lives, the `n`th next
/// allocation fails (the C failslab knob). Dropping it switches
/// injection off again.
pub struct FailSlab(bindings::failslab_config);

impl FailSlab {
    /// Fails the `n`th allocation from now (1 = the next one).
    pub fn next(n: u64) -> FailSlab {
        let mut old = bindings::failslab_config { fail_nth: 0, probability: 0, times: 0, seed: 0 };
        let cfg = bindings::failslab_config { fail_nth: n as _, probability: 0, times: 1, seed: 0 };
        // SAFETY: both configs are valid, initialized structs.
        unsafe {
            bindings::failslab_get(&mut old);
            bindings::failslab_set(&cfg);
        }
        FailSlab(old)
    }
}

impl Drop for FailSlab {
    fn drop(&mut self) {
        // SAFETY: restores the configuration read in next().
        unsafe { bindings::failslab_set(&self.0) };
    }
}

/// The software-triggered IRQ line, for tests of interrupt handlers.
pub struct TestIrq(u32);

impl TestIrq {
    /// Attaches the line's controller; released on drop.
    pub fn get() -> TestIrq {
        // SAFETY: no preconditions.
        TestIrq(unsafe { bindings::irq_test_line_get() })
    }

    /// The IRQ number to register handlers on.
    pub fn irq(&self) -> u32 {
        self.0
    }

    /// Delivers one interrupt and waits until handlers ran.
    pub fn raise(&self) -> crate::error::Result {
        // SAFETY: no preconditions (it checks the interrupt state).
        crate::error::to_result(unsafe { bindings::irq_test_line_raise() })
    }
}

impl Drop for TestIrq {
    fn drop(&mut self) {
        // SAFETY: pairs with irq_test_line_get().
        unsafe { bindings::irq_test_line_put() };
    }
}

/// A network interface brought up with its carrier on, as `ifconfig
/// ethN up` and a link would make it, for tests of a
/// [`DeviceOps`](crate::net::DeviceOps) without hardware; brought down
/// again (its `stop` runs) when dropped. It borrows the registration,
/// so the interface stays registered while it is up.
pub struct NetUp<'a, T: crate::net::DeviceOps>(&'a crate::net::Registration<T>);

impl<'a, T: crate::net::DeviceOps> NetUp<'a, T> {
    /// Opens the interface (the IRQ line is requested, then `open`
    /// runs and polling starts) and turns its carrier on. Sleeps:
    /// process context only.
    pub fn new(reg: &'a crate::net::Registration<T>) -> crate::error::Result<Self> {
        let p = reg.device().ptr();
        // SAFETY: the borrowed registration keeps the device registered
        // and allocated; dev_open holds a reference for the call, takes
        // the rtnl mutex and runs ndo_open only if the device is down.
        crate::error::to_result(unsafe { bindings::dev_open(p) })?;
        // SAFETY: the device is registered (above); netif_carrier_on
        // only sets its carrier flag and wakes those waiting for it.
        unsafe { bindings::netif_carrier_on(p) };
        Ok(NetUp(reg))
    }

    /// Sends `skb` (a whole Ethernet frame) out of the interface as the
    /// stack would, through its `start_xmit` under the transmit lock:
    /// `ENETDOWN` or `ENOBUFS` (counted as a drop) as `dev_queue_xmit`.
    pub fn xmit(&self, skb: crate::net::SkBuff) -> crate::error::Result {
        let p = skb.into_raw();
        // SAFETY: `p` is a valid skb that we own and hand to
        // dev_queue_xmit, which always consumes it; its `dev` is set to
        // the interface, kept registered by the borrowed registration.
        unsafe {
            (*p).dev = self.0.device().ptr();
            crate::error::to_result(bindings::dev_queue_xmit(p))
        }
    }
}

impl<T: crate::net::DeviceOps> Drop for NetUp<'_, T> {
    fn drop(&mut self) {
        // SAFETY: the borrowed registration keeps the device registered;
        // dev_close holds a reference for the call and does nothing if
        // the device is down already.
        unsafe { bindings::dev_close(self.0.device().ptr()) };
    }
}
