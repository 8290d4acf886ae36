// SPDX-License-Identifier: MIT
//! The Rust panic handler: a Rust panic is a kernel panic, with the
//! message and the source location, through C's `panic()` (so a panic in
//! a test case is caught by ktest like a C one, and a panic inside a
//! scheduling-policy callback is caught by the policy guard, which ejects
//! the policy: kernel/sched/watchdog.c).

use crate::print::MsgBuf;
use core::fmt::Write;

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let mut msg = MsgBuf::<256>::new();
    let _ = match info.location() {
        Some(loc) => write!(msg, "Rust panic at {}:{}: {}", loc.file(), loc.line(), info.message()),
        None => write!(msg, "Rust panic: {}", info.message()),
    };
    // SAFETY: `terminate` yields a NUL-terminated string that lives until
    // panic() copies it.
    unsafe { bindings::rust_helper_panic(msg.terminate().as_ptr()) };
    // panic() does not return (bindgen cannot express that in the type).
    loop {
        core::hint::spin_loop();
    }
}
