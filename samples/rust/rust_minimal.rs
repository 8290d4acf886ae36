// SPDX-License-Identifier: MIT
//! rust_minimal: the smallest Rust module. Prints on init and on exit.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

module! {
    type: RustMinimal,
    name: "rust_minimal",
    author: "keel developers",
    description: "the smallest Rust module",
    license: "MIT",
}

struct RustMinimal {
    numbers: KVec<i32>,
}

impl Module for RustMinimal {
    fn init() -> Result<Self> {
        pr_info!("rust_minimal: init\n");
        let mut numbers = KVec::new();
        for n in [72, 108, 200] {
            numbers.push(n, GFP_KERNEL)?;
        }
        Ok(RustMinimal { numbers })
    }
}

impl Drop for RustMinimal {
    fn drop(&mut self) {
        pr_info!("rust_minimal: exit, numbers {:?}\n", &self.numbers[..]);
    }
}
