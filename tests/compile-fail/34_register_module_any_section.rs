// expect: E0080
// class: placing a static in a linker section of another type
// c-bug: a module's initcall pointer put in .ktest_suites: the test runner reads a struct initcall as a struct ktest_suite
// rule: `__register_module!` (used by `module!`) places the initcall only in a section the kernel chooses, `.initcall.6` or `.initcall_ondemand`; a section name from the caller is refused
//! Compile-fail case: a module registers itself in the ktest table.
#![no_std]
#![forbid(unsafe_code)]

use kernel::module::{Module, ModuleSlot};

/// The module.
pub struct Sneaky;

impl Module for Sneaky {
    fn init() -> kernel::error::Result<Self> {
        Ok(Sneaky)
    }
}

static SLOT: ModuleSlot<Sneaky> = ModuleSlot::new(c"sneaky");

kernel::__register_module!(SLOT, c"sneaky", ".ktest_suites");
