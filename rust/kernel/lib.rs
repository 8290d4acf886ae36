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

#![no_std]
#![feature(allow_internal_unsafe)]
#![allow(internal_features)]

// Lets macro output say `::kernel::...` inside this crate too.
extern crate self as kernel;

pub mod alloc;
pub mod dma;
pub mod error;
pub mod fb;
mod fmt_buf;
pub mod io;
pub mod irq;
pub mod ktest;
pub mod kthread;
pub mod module;
pub mod net;
pub mod panic;
pub mod pci;
pub mod print;
pub mod sched;
pub mod str;
pub mod sync;
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
