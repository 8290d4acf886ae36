// twin of 18_no_mangle_in_driver.rs: an ordinary (mangled) function.
//! Passing twin: the helper keeps its Rust-mangled name.
#![no_std]
#![forbid(unsafe_code)]

/// Frees a receive buffer.
pub extern "C" fn rx_buf_free(_buf: *mut core::ffi::c_void) {}
