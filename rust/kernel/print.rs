// SPDX-License-Identifier: MIT
//! Printing to the kernel log: `pr_info!` and friends.
//!
//! A message is formatted with Rust's `core::fmt` into a stack buffer and
//! handed to C's `printk` in one call, so it is one log record with one
//! level. Messages longer than [`MSG_MAX`] bytes are cut and end in "...".

use core::fmt::{self, Write};

pub use crate::fmt_buf::MsgBuf;

/// Longest message formatted in one call (bytes, without the level).
pub const MSG_MAX: usize = 512;

/// Log levels, as the C `KERN_*` prefixes.
#[doc(hidden)]
pub mod level {
    pub const EMERG: &[u8; 2] = b"\x010";
    pub const ALERT: &[u8; 2] = b"\x011";
    pub const CRIT: &[u8; 2] = b"\x012";
    pub const ERR: &[u8; 2] = b"\x013";
    pub const WARNING: &[u8; 2] = b"\x014";
    pub const NOTICE: &[u8; 2] = b"\x015";
    pub const INFO: &[u8; 2] = b"\x016";
    pub const DEBUG: &[u8; 2] = b"\x017";
    pub const CONT: &[u8; 2] = b"\x01c";
}

/// Formats `args` and logs it at `level` in one printk call.
#[doc(hidden)]
#[cfg(not(keel_host))]
pub fn call_printk(level: &[u8; 2], args: fmt::Arguments<'_>) {
    let mut msg = MsgBuf::<MSG_MAX>::new();
    let _ = msg.write_fmt(args);
    msg.end_truncated_with("...\n");
    let text = msg.as_bytes();
    // SAFETY: the format string is a NUL-terminated literal taking a
    // two-byte level string, an int and a pointer to `len` bytes, which
    // `level` and `text` provide; printk copies before returning.
    unsafe {
        bindings::printk(
            c"%.2s%.*s".as_ptr(),
            level.as_ptr(),
            text.len() as core::ffi::c_int,
            text.as_ptr(),
        );
    }
}

/// The host build: the message goes to the host backend's log
/// ([`crate::host::log`]), which prints it on stderr.
#[doc(hidden)]
#[cfg(keel_host)]
pub fn call_printk(level: &[u8; 2], args: fmt::Arguments<'_>) {
    let mut msg = MsgBuf::<MSG_MAX>::new();
    let _ = msg.write_fmt(args);
    msg.end_truncated_with("...\n");
    crate::host::log(level[1], msg.as_bytes());
}

/// Logs at a level with `core::fmt` syntax (used by the `pr_*!` macros).
#[doc(hidden)]
#[macro_export]
macro_rules! print_macro {
    ($level:ident, $($arg:tt)*) => {
        $crate::print::call_printk($crate::print::level::$level, format_args!($($arg)*))
    };
}

/// Logs an emergency message (`KERN_EMERG`).
#[macro_export]
macro_rules! pr_emerg { ($($arg:tt)*) => { $crate::print_macro!(EMERG, $($arg)*) }; }
/// Logs an alert (`KERN_ALERT`).
#[macro_export]
macro_rules! pr_alert { ($($arg:tt)*) => { $crate::print_macro!(ALERT, $($arg)*) }; }
/// Logs a critical message (`KERN_CRIT`).
#[macro_export]
macro_rules! pr_crit { ($($arg:tt)*) => { $crate::print_macro!(CRIT, $($arg)*) }; }
/// Logs an error (`KERN_ERR`).
#[macro_export]
macro_rules! pr_err { ($($arg:tt)*) => { $crate::print_macro!(ERR, $($arg)*) }; }
/// Logs a warning (`KERN_WARNING`).
#[macro_export]
macro_rules! pr_warn { ($($arg:tt)*) => { $crate::print_macro!(WARNING, $($arg)*) }; }
/// Logs a notice (`KERN_NOTICE`).
#[macro_export]
macro_rules! pr_notice { ($($arg:tt)*) => { $crate::print_macro!(NOTICE, $($arg)*) }; }
/// Logs information (`KERN_INFO`).
#[macro_export]
macro_rules! pr_info { ($($arg:tt)*) => { $crate::print_macro!(INFO, $($arg)*) }; }
/// Logs a debug message (`KERN_DEBUG`, hidden unless `loglevel=8`).
#[macro_export]
macro_rules! pr_debug { ($($arg:tt)*) => { $crate::print_macro!(DEBUG, $($arg)*) }; }
/// Continues the previous line (`KERN_CONT`).
#[macro_export]
macro_rules! pr_cont { ($($arg:tt)*) => { $crate::print_macro!(CONT, $($arg)*) }; }

/// Logs information prefixed with a device or subsystem name:
/// `dev_info!("eth0", "link up\n")` prints `eth0: link up`.
#[macro_export]
macro_rules! dev_info {
    ($dev:expr, $fmt:literal $($arg:tt)*) => {
        $crate::print_macro!(INFO, concat!("{}: ", $fmt), $dev $($arg)*)
    };
}

/// Logs a warning prefixed with a device or subsystem name.
#[macro_export]
macro_rules! dev_warn {
    ($dev:expr, $fmt:literal $($arg:tt)*) => {
        $crate::print_macro!(WARNING, concat!("{}: ", $fmt), $dev $($arg)*)
    };
}

/// Logs an error prefixed with a device or subsystem name.
#[macro_export]
macro_rules! dev_err {
    ($dev:expr, $fmt:literal $($arg:tt)*) => {
        $crate::print_macro!(ERR, concat!("{}: ", $fmt), $dev $($arg)*)
    };
}

#[crate::ktest(rust_print)]
mod tests {
    use super::*;
    use crate::ktest::Test;

    #[test]
    fn msgbuf_formats(t: &mut Test) {
        let mut b = MsgBuf::<32>::new();
        let _ = write!(b, "{}-{:04x}-{:>3}", 42, 0xbeef_u32, "x");
        crate::kt_expect_eq!(t, b.as_bytes(), b"42-beef-  x");
        crate::kt_expect!(t, !b.truncated());
    }

    #[test]
    fn msgbuf_truncates(t: &mut Test) {
        let mut b = MsgBuf::<8>::new();
        let _ = write!(b, "{}", 123_456_789);
        crate::kt_expect_eq!(t, b.as_bytes(), b"1234567");
        crate::kt_expect!(t, b.truncated());
        crate::kt_expect_eq!(t, b.terminate().to_bytes(), b"1234567");
    }

    #[test]
    fn message_reaches_log(t: &mut Test) {
        crate::pr_info!("rust_print test: {} + {} = {}\n", 2, 2, 2 + 2);
        let mut tail = [0u8; 64];
        let n = crate::print::log_tail(&mut tail);
        let got = &tail[..n];
        crate::kt_expect!(t, got.ends_with(b"rust_print test: 2 + 2 = 4\n"));
    }

    #[test]
    fn long_message_is_cut_with_marker(t: &mut Test) {
        let long = [b'y'; 700];
        let s = core::str::from_utf8(&long).unwrap_or("");
        crate::pr_debug!("{}\n", s);
        let mut tail = [0u8; 8];
        let n = crate::print::log_tail(&mut tail);
        crate::kt_expect_eq!(t, &tail[..n], b"yyyy...\n");
    }
}

/// Copies the newest bytes of the kernel log into `buf`; returns the
/// count. For tests and the panic screen.
///
/// ```
/// use kernel::print::log_tail;
///
/// kernel::pr_info!("doctest: the answer is {}\n", 6 * 7);
/// let mut buf = [0u8; 64];
/// let n = log_tail(&mut buf);
/// let tail = core::str::from_utf8(&buf[..n]).unwrap_or("");
/// assert!(tail.ends_with("] doctest: the answer is 42\n"), "log ends {:?}", tail);
/// ```
#[cfg(not(keel_host))]
pub fn log_tail(buf: &mut [u8]) -> usize {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the
    // duration of the call.
    unsafe { bindings::log_buf_tail(buf.as_mut_ptr().cast(), buf.len()) }
}
