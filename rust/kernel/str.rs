// SPDX-License-Identifier: MIT
//! C strings: [`CStr`] (core's, re-exported). Write literals as `c"eth0"`
//! (Rust 1.77's C string literals: a `&'static CStr`, an interior NUL is
//! a compile error).

/// ```
/// use kernel::str::CStr;
///
/// let name: &'static CStr = c"eth0";
/// assert_eq!(name.to_bytes(), b"eth0");
/// assert_eq!(name.to_bytes_with_nul().len(), 5);
/// assert_eq!(name.to_str(), Ok("eth0"));
/// ```
pub use core::ffi::CStr;
