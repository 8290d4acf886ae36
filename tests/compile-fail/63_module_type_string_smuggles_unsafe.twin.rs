// twin of 63_module_type_string_smuggles_unsafe.rs: the type by name.
//! Passing twin: `module!` names the module type with an identifier.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

/// The module.
pub struct Smuggler;

impl kernel::module::Module for Smuggler {
    fn init() -> Result<Self> {
        Ok(Smuggler)
    }
}

module! {
    type: Smuggler,
    name: "smuggler",
    license: "MIT",
}
