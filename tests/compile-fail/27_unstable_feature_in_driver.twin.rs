// twin of 27_unstable_feature_in_driver.rs: stable Rust only.
//! Passing twin: the same trait without specialization.
#![no_std]
#![forbid(unsafe_code)]

/// Describes a value.
pub trait Describe {
    /// A one-word description.
    fn describe(&self) -> &'static str {
        "value"
    }
}

impl Describe for u32 {}
