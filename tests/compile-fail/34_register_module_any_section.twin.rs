// twin of 34_register_module_any_section.rs: module! puts the initcall
// where the kernel says.
//! Passing twin: an ordinary module.
#![no_std]
#![forbid(unsafe_code)]

use kernel::module::Module;

/// The module.
pub struct Sneaky;

impl Module for Sneaky {
    fn init() -> kernel::error::Result<Self> {
        Ok(Sneaky)
    }
}

kernel::module! {
    type: Sneaky,
    name: "sneaky",
    license: "MIT",
}
