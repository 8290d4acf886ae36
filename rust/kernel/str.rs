// SPDX-License-Identifier: MIT
//! C strings: [`CStr`] (core's, re-exported). Write literals as `c"eth0"`
//! (Rust 1.77's C string literals: a `&'static CStr`, an interior NUL is
//! a compile error).

pub use core::ffi::CStr;
