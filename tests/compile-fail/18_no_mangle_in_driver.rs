// expect: lint unsafe_code
// class: exporting an unmangled symbol from a driver
// c-bug: a driver defining a global symbol that silently replaces (or clashes with) a core one, e.g. kfree
// rule: `#[no_mangle]` is unsafe (it can override any symbol), so `forbid(unsafe_code)` rejects it
//! Compile-fail case: a driver "helper" that takes over the C `kfree` symbol.
#![no_std]
#![forbid(unsafe_code)]

/// Frees a receive buffer.
#[no_mangle]
pub extern "C" fn kfree(_buf: *mut core::ffi::c_void) {}
