// SPDX-License-Identifier: MIT
//! C strings: [`CStr`] (core's, re-exported) and [`c_str!`] for literals.
//!
//! [`c_str!`]: crate::c_str

pub use core::ffi::CStr;

/// A `&'static CStr` from a string literal, checked at compile time:
/// `c_str!("eth0")`. (Rust's `c"..."` literals work too.)
#[macro_export]
macro_rules! c_str {
    ($s:literal) => {{
        const S: &$crate::str::CStr =
            match $crate::str::CStr::from_bytes_with_nul(concat!($s, "\0").as_bytes()) {
                Ok(s) => s,
                Err(_) => panic!("c_str! literal contains a NUL byte"),
            };
        S
    }};
}

#[crate::ktest(rust_str)]
mod tests {
    use crate::ktest::Test;

    #[test]
    fn c_str_literal(t: &mut Test) {
        let s = crate::c_str!("keel");
        crate::kt_expect_eq!(t, s.to_bytes(), b"keel");
        crate::kt_expect_eq!(t, s.to_bytes_with_nul().len(), 5);
    }
}
