// SPDX-License-Identifier: MIT
//! The `kernel` crate: keel's safe Rust API over the C core.
//!
//! This is the only crate (besides the generated `bindings`) allowed to
//! contain `unsafe`. Every `unsafe` block carries a safety comment (the
//! argument why it is sound), and every `unsafe fn` a `# Safety` section
//! (what the caller must uphold); tools/check-unsafe.py and clippy check
//! both. Drivers and policies build on the safe types here and carry
//! `#![forbid(unsafe_code)]`.
//!
//! The shape follows Linux's `rust/kernel`: errno-based [`error::Result`],
//! explicit fallible allocation ([`alloc::KBox`], [`alloc::KVec`] with
//! [`alloc::Flags`]), lock-protected data reachable only through guards
//! ([`sync`]), and `module!`/`#[vtable]`/`#[ktest]` from the `macros` crate.
//!
//! With `--cfg keel_host` the crate builds for the host instead, with only
//! what scheduling policies use (see [`sched`] and docs/scheduler.md,
//! "Record and replay").

#![no_std]
#![cfg_attr(not(keel_host), feature(allow_internal_unsafe))]
#![allow(internal_features)]

// The host build (`--cfg keel_host`, for tools/sched-replay) has the
// modules a scheduling policy uses, over a host backend of the C
// functions they call (sched::host); it may use std there.
#[cfg(keel_host)]
extern crate std;

// Lets macro output say `::kernel::...` inside this crate too.
extern crate self as kernel;

pub mod alloc;
#[cfg(not(keel_host))]
pub mod devres;
#[cfg(not(keel_host))]
pub mod dma;
pub mod error;
#[cfg(not(keel_host))]
pub mod fb;
mod fmt_buf;
#[cfg(not(keel_host))]
pub mod io;
#[cfg(not(keel_host))]
pub mod irq;
#[cfg(not(keel_host))]
pub mod ktest;
#[cfg(not(keel_host))]
pub mod kthread;
pub mod module;
#[cfg(not(keel_host))]
pub mod net;
#[cfg(not(keel_host))]
pub mod panic;
#[cfg(not(keel_host))]
pub mod pci;
pub mod print;
pub mod sched;
pub mod str;
#[cfg(not(keel_host))]
pub mod sync;
#[cfg(not(keel_host))]
pub mod time;
pub mod types;

#[cfg(test)]
compile_error!("the kernel crate's tests run in the kernel: see kernel::ktest");

pub use macros::{ktest, module, vtable};

/// The commonly used items, for `use kernel::prelude::*;`.
pub mod prelude {
    pub use crate::alloc::{Flags, KBox, KVec, GFP_ATOMIC, GFP_KERNEL};
    pub use crate::error::{code::*, Error, Result};
    pub use crate::module::Module;
    pub use crate::str::CStr;
    pub use crate::{c_str, module, pr_alert, pr_cont, pr_crit, pr_debug, pr_emerg, pr_err};
    pub use crate::{pr_info, pr_notice, pr_warn, vtable};
}

#[doc(hidden)]
pub use bindings;
