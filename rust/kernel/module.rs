// SPDX-License-Identifier: MIT
//! Built-in Rust modules.
//!
//! A module is a type implementing [`Module`]; the `module!` macro
//! registers it as an initcall (keel/init.h), so Rust modules start in
//! the same ordered table as C ones. `init` returns the module's state;
//! dropping that state is the module's exit, which runs at power off.

use crate::error::{from_result, Result};
#[cfg(keel_host)]
use crate::host::HostLock as SpinLock;
#[cfg(not(keel_host))]
use crate::sync::SpinLock;
#[cfg(not(keel_host))]
use crate::types::Opaque;
use core::ffi::{c_int, CStr};

/// A kernel module.
///
/// ```
/// use kernel::prelude::*;
///
/// struct Squares {
///     table: KVec<u64>,
/// }
///
/// impl Module for Squares {
///     fn init() -> Result<Self> {
///         let mut table = KVec::new();
///         for i in 0..8u64 {
///             table.push(i * i, GFP_KERNEL)?;
///         }
///         Ok(Squares { table })
///     }
/// }
///
/// kernel::module! {
///     type: Squares,
///     name: "doc_squares",
///     author: "keel developers",
///     description: "a table of squares",
///     license: "MIT",
///     load: on_demand, // `modprobe doc_squares`; the default is at boot
/// }
///
/// assert!(!this_module().is_running());
/// assert_eq!(this_module().init(), 0); // what modprobe runs
/// assert!(this_module().is_running());
/// this_module().exit(); // what power off runs: drops the state
/// assert!(!this_module().is_running());
/// ```
pub trait Module: Sized + Send {
    /// Starts the module; an error is logged and the module stays off.
    fn init() -> Result<Self>;
}

/// Where a module's state lives between init and exit.
pub struct ModuleSlot<T: Module> {
    name: &'static CStr,
    state: SpinLock<Option<T>>,
}

impl<T: Module> ModuleSlot<T> {
    /// An empty slot for module `name`.
    pub const fn new(name: &'static CStr) -> Self {
        ModuleSlot { name, state: SpinLock::new(None) }
    }

    /// Runs `T::init` and keeps the state: the initcall body.
    pub fn init(&self) -> c_int {
        let r = T::init().map(|m| {
            *self.state.lock() = Some(m);
        });
        if let Err(e) = r {
            crate::pr_err!("{}: init failed: {}\n", self.name.to_str().unwrap_or("?"), e);
        }
        from_result(r)
    }

    /// Drops the state (the module's exit), if init succeeded.
    pub fn exit(&self) {
        let state = self.state.lock().take();
        drop(state);
    }

    /// Whether the module is running.
    pub fn is_running(&self) -> bool {
        self.state.lock().is_some()
    }
}

#[cfg(not(keel_host))]
/// The `started` flag C's initcall runner keeps for each initcall.
#[repr(transparent)]
pub struct StartedFlag(Opaque<bool>);

#[cfg(not(keel_host))]
// SAFETY: only the C initcall runner touches the flag (written once at
// boot and once at power off, on one CPU); Rust never reads it.
unsafe impl Sync for StartedFlag {}

#[cfg(not(keel_host))]
impl StartedFlag {
    /// A cleared flag.
    pub const fn new() -> Self {
        StartedFlag(Opaque::new(false))
    }
}

#[cfg(not(keel_host))]
impl Default for StartedFlag {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(not(keel_host))]
/// A C `struct initcall`, placed in the initcall table by `module!`.
#[repr(transparent)]
pub struct InitCall(bindings::initcall);

#[cfg(not(keel_host))]
// SAFETY: the struct is immutable after link time; its raw pointers point
// to static functions, a static string and a static flag that only the
// initcall runner (one CPU, at boot/power off) writes.
unsafe impl Sync for InitCall {}

#[cfg(not(keel_host))]
impl InitCall {
    /// Describes a module's init and exit functions.
    pub const fn new(
        init: extern "C" fn() -> c_int,
        exit: extern "C" fn(),
        name: &'static CStr,
        started: &'static StartedFlag,
    ) -> Self {
        InitCall(bindings::initcall {
            init: Some(init),
            exit: Some(exit),
            name: name.as_ptr(),
            started: started.0.get(),
        })
    }
}

/// Registers a module slot as an initcall (used by `module!`):
/// `__register_module!(SLOT, c"name")` starts it at boot (`.initcall.6`),
/// `__register_module!(SLOT, c"name", on_demand)` when asked
/// (`.initcall_ondemand`).
///
/// The `#[link_section]` it emits (allowed here by
/// `allow_internal_unsafe`) names one of those two sections, chosen by
/// [`__initcall_section!`](crate::__initcall_section), never by the
/// caller, and the static placed there is always a `&InitCall` built by
/// [`InitCall::new`]: whatever a caller passes, C's initcall runner
/// reads a valid `struct initcall`. A section name of the caller's is
/// refused (error E0080).
#[doc(hidden)]
#[cfg(not(keel_host))]
#[macro_export]
#[allow_internal_unsafe]
macro_rules! __register_module {
    ($slot:ident, $name:expr) => {
        $crate::__register_module!(@emit $slot, $name, boot);
    };
    ($slot:ident, $name:expr, boot) => {
        $crate::__register_module!(@emit $slot, $name, boot);
    };
    ($slot:ident, $name:expr, on_demand) => {
        $crate::__register_module!(@emit $slot, $name, on_demand);
    };
    (@emit $slot:ident, $name:expr, $load:ident) => {
        const _: () = {
            extern "C" fn __module_init() -> ::core::ffi::c_int {
                $slot.init()
            }
            extern "C" fn __module_exit() {
                $slot.exit()
            }
            static __STARTED: $crate::module::StartedFlag = $crate::module::StartedFlag::new();
            static __INITCALL: $crate::module::InitCall =
                $crate::module::InitCall::new(__module_init, __module_exit, $name, &__STARTED);
            #[link_section = $crate::__initcall_section!($load)]
            #[used]
            static __INITCALL_PTR: &$crate::module::InitCall = &__INITCALL;
        };
    };
    ($($other:tt)*) => {
        const _: () = ::core::panic!(
            "__register_module!: a module starts at boot or on_demand; \
             the initcall section is the kernel's choice, not the caller's"
        );
    };
}

/// The initcall section for a load mode: `boot` or `on_demand` (the
/// only two; anything else does not match).
#[doc(hidden)]
#[cfg(not(keel_host))]
#[macro_export]
macro_rules! __initcall_section {
    (boot) => {
        ".initcall.6"
    };
    (on_demand) => {
        ".initcall_ondemand"
    };
}

/// The host build has no initcalls: a program that links a module crate
/// starts it itself, with `this_module().init()` (tools/sched-replay).
#[doc(hidden)]
#[cfg(keel_host)]
#[macro_export]
macro_rules! __register_module {
    ($($t:tt)*) => {};
}
