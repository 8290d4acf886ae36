// SPDX-License-Identifier: MIT
//! Errors: one errno space shared with C.
//!
//! C functions return `0` or `-Exxx`; Rust functions return
//! [`Result<T>`], whose error is an [`Error`] holding a valid negative
//! errno. [`to_result`] converts at the boundary, [`Error::to_errno`] goes
//! back.

use core::fmt;
use core::num::NonZeroI32;

/// A kernel error: always a negative errno in `-MAX_ERRNO..=-1`.
///
/// ```
/// use kernel::prelude::*;
///
/// fn parse_mtu(mtu: u32) -> Result<u16> {
///     let mtu = u16::try_from(mtu).map_err(|_| ERANGE)?;
///     if mtu < 68 {
///         return Err(EINVAL);
///     }
///     Ok(mtu)
/// }
///
/// assert_eq!(parse_mtu(1500), Ok(1500));
/// assert_eq!(parse_mtu(20), Err(EINVAL));
/// assert_eq!(parse_mtu(70000).unwrap_err().name(), "-ERANGE");
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Error(NonZeroI32);

/// The kernel's result type.
pub type Result<T = (), E = Error> = core::result::Result<T, E>;

const MAX_ERRNO: i32 = bindings::MAX_ERRNO as i32;

impl Error {
    /// Wraps a C return value. A value that is not a valid negative errno
    /// is a bug in the caller; it becomes `EINVAL` (and is logged) rather
    /// than a silently wrong error.
    pub fn from_errno(errno: core::ffi::c_int) -> Error {
        if !(-MAX_ERRNO..0).contains(&errno) {
            crate::pr_warn!("Error::from_errno: invalid errno {}\n", errno);
            return code::EINVAL;
        }
        Error(NonZeroI32::new(errno).unwrap_or(code::EINVAL.0))
    }

    /// The negative errno, for returning to C.
    ///
    /// ```
    /// use kernel::error::{code::ENOMEM, Error};
    ///
    /// assert_eq!(ENOMEM.to_errno(), -12);
    /// assert_eq!(Error::from_errno(-12), ENOMEM);
    /// # Ok::<(), Error>(())
    /// ```
    pub fn to_errno(self) -> core::ffi::c_int {
        self.0.get()
    }

    /// The errno's name, e.g. `"-ENOMEM"`.
    pub fn name(self) -> &'static str {
        // SAFETY: errname() returns a pointer to a static NUL-terminated
        // string for every input.
        let s = unsafe { core::ffi::CStr::from_ptr(bindings::errname(self.0.get())) };
        s.to_str().unwrap_or("-E?")
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A C pointer that may be an `ERR_PTR(-errno)`, as Linux's
/// `from_err_ptr`: the pointer, or the error it encodes.
pub fn from_err_ptr<T>(ptr: *mut T) -> Result<*mut T> {
    let v = ptr as isize;
    if (-(MAX_ERRNO as isize)..0).contains(&v) {
        Err(Error::from_errno(v as core::ffi::c_int))
    } else {
        Ok(ptr)
    }
}

/// Converts a C return value (`0`/positive for success, `-Exxx` for
/// failure) into a [`Result`].
///
/// ```
/// use kernel::error::{code::EBUSY, from_result, to_result};
///
/// assert_eq!(to_result(0), Ok(()));
/// assert_eq!(to_result(-16), Err(EBUSY));
/// assert_eq!(from_result(Err(EBUSY)), -16); // and back, for C
/// ```
pub fn to_result(ret: core::ffi::c_int) -> Result {
    if ret < 0 {
        Err(Error::from_errno(ret))
    } else {
        Ok(())
    }
}

/// Converts a [`Result`] into a C return value: `0` or `-Exxx`.
pub fn from_result(r: Result) -> core::ffi::c_int {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// The errno constants, as [`Error`] values.
pub mod code {
    use super::Error;
    use core::num::NonZeroI32;

    macro_rules! declare_err {
        ($($name:ident),* $(,)?) => {$(
            #[doc = concat!("`-", stringify!($name), "`")]
            pub const $name: Error = match NonZeroI32::new(-(bindings::$name as i32)) {
                Some(v) => Error(v),
                None => panic!("errno 0"),
            };
        )*};
    }

    declare_err!(
        EPERM,
        ENOENT,
        EINTR,
        EIO,
        ENXIO,
        E2BIG,
        ENOEXEC,
        EAGAIN,
        ENOMEM,
        EFAULT,
        EBUSY,
        EEXIST,
        ENODEV,
        EINVAL,
        ENOSPC,
        ERANGE,
        EDEADLK,
        ENAMETOOLONG,
        ENOSYS,
        ENODATA,
        ETIME,
        EOVERFLOW,
        EMSGSIZE,
        EPROTO,
        EOPNOTSUPP,
        EADDRINUSE,
        ENETDOWN,
        ETIMEDOUT,
        EALREADY,
        EADDRNOTAVAIL,
        ENETUNREACH,
        ENOBUFS,
        EHOSTUNREACH,
    );
}

#[crate::ktest(rust_error)]
mod tests {
    use super::*;
    use crate::ktest::Test;

    #[test]
    fn round_trip(t: &mut Test) {
        let e = Error::from_errno(-12);
        crate::kt_expect_eq!(t, e, code::ENOMEM);
        crate::kt_expect_eq!(t, e.to_errno(), -12);
        crate::kt_expect_eq!(t, e.name(), "-ENOMEM");
    }

    #[test]
    fn invalid_errno_becomes_einval(t: &mut Test) {
        crate::kt_expect_eq!(t, Error::from_errno(5), code::EINVAL);
        crate::kt_expect_eq!(t, Error::from_errno(0), code::EINVAL);
        crate::kt_expect_eq!(t, Error::from_errno(-100000), code::EINVAL);
    }

    #[test]
    fn to_result_maps_c_returns(t: &mut Test) {
        crate::kt_expect!(t, to_result(0).is_ok());
        crate::kt_expect!(t, to_result(7).is_ok());
        crate::kt_expect_eq!(t, to_result(-22), Err(code::EINVAL));
        crate::kt_expect_eq!(t, from_result(Err(code::EBUSY)), -16);
        crate::kt_expect_eq!(t, from_result(Ok(())), 0);
    }
}
