// SPDX-License-Identifier: MIT
//! The host back end of the kernel crate (`--cfg keel_host`): what the
//! modules of the host build (`alloc`, `error`, `print`, `module`, ...)
//! call in C in the kernel, provided on the host.
//!
//! `kmalloc`/`krealloc`/`kfree` are the C library's allocator,
//! `errname` names the error codes the host build uses, `pr_*!` goes to
//! stderr through [`log`], and [`HostLock`] stands in for the kernel's
//! `SpinLock` in `module!`'s state. The scheduler's part of the back end
//! (the policy registry, `cpu_online_mask`, `cpu_data` and the replay
//! engine) is [`crate::sched::host`].

use crate::error::code::{EEXIST, EINVAL, ENOMEM};
use core::ffi::{c_char, c_int, c_void, CStr};
use std::string::String;
use std::sync::{Mutex, MutexGuard};

// --- the C library's allocator as kmalloc/krealloc/kfree ---

// SAFETY: the C library's allocator, with its documented signatures; the
// host program links the C library.
unsafe extern "C" {
    fn malloc(size: usize) -> *mut c_void;
    fn realloc(p: *mut c_void, size: usize) -> *mut c_void;
    fn free(p: *mut c_void);
}

/// `kmalloc`: the C library's malloc (16-aligned, more than
/// `KMALLOC_ALIGN`). Flags are ignored: the host never sleeps anyway.
// SAFETY: the symbol is kmalloc with C's signature (include/keel/slab.h),
// which the bindings declare; nothing else on the host defines it.
#[unsafe(no_mangle)]
extern "C" fn kmalloc(size: usize, _gfp: bindings::gfp_t) -> *mut c_void {
    // SAFETY: malloc accepts any size and returns NULL or a fresh block.
    unsafe { malloc(size.max(1)) }
}

/// `krealloc`: the C library's realloc.
///
/// # Safety
///
/// `p` is NULL or a live block from [`kmalloc`]/[`krealloc`].
// SAFETY: krealloc's C signature, declared by the bindings.
#[unsafe(no_mangle)]
unsafe extern "C" fn krealloc(p: *mut c_void, size: usize, _gfp: bindings::gfp_t) -> *mut c_void {
    // SAFETY: p is NULL or from malloc/realloc (the caller's contract).
    unsafe { realloc(p, size.max(1)) }
}

/// `kfree`: the C library's free.
///
/// # Safety
///
/// `p` is NULL or a live block from [`kmalloc`]/[`krealloc`], not used
/// afterwards.
// SAFETY: kfree's C signature, declared by the bindings.
#[unsafe(no_mangle)]
unsafe extern "C" fn kfree(p: *const c_void) {
    // SAFETY: per the caller's contract.
    unsafe { free(p.cast_mut()) }
}

/// `errname`: the names [`crate::error::Error`]'s `Display` prints.
// SAFETY: errname's C signature, declared by the bindings.
#[unsafe(no_mangle)]
extern "C" fn errname(err: c_int) -> *const c_char {
    let name: &'static CStr = match -err {
        e if e == -ENOMEM.to_errno() => c"ENOMEM",
        e if e == -EINVAL.to_errno() => c"EINVAL",
        e if e == -EEXIST.to_errno() => c"EEXIST",
        _ => c"E?",
    };
    name.as_ptr()
}

/// Locks `m` (a panic in another holder does not poison it here).
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

// --- pr_*! and module state ---

static LOG_LINES: Mutex<usize> = Mutex::new(0);

/// Where `pr_*!` goes on the host: stderr, with the level digit.
pub fn log(level: u8, msg: &[u8]) {
    *lock(&LOG_LINES) += 1;
    std::eprint!("<{}>{}", level as char, String::from_utf8_lossy(msg));
}

/// How many messages the host build logged so far.
pub fn log_lines() -> usize {
    *lock(&LOG_LINES)
}

/// The lock behind `module!`'s state on the host (a std mutex with the
/// kernel SpinLock's `lock`).
pub struct HostLock<T>(Mutex<T>);

impl<T> HostLock<T> {
    /// An unlocked lock holding `v`.
    pub const fn new(v: T) -> Self {
        HostLock(Mutex::new(v))
    }

    /// Locks it (a panic in another holder does not poison it here).
    pub fn lock(&self) -> MutexGuard<'_, T> {
        lock(&self.0)
    }
}
