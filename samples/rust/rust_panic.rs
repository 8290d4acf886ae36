// SPDX-License-Identifier: MIT
//! rust_panic: a module with a bug, to see a Rust panic end the kernel.
//!
//! It does not start at boot (`load: on_demand`); the monitor command
//! `modprobe rust_panic` starts it, and its init indexes past the end of
//! an array. The bounds check turns that into a Rust panic, which keel
//! makes a kernel panic with the message and source location, and the
//! panic screen shows (tests/screen.py checks it).
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;

module! {
    type: RustPanic,
    name: "rust_panic",
    author: "keel developers",
    description: "panics on purpose when started",
    license: "MIT",
    load: on_demand,
}

struct RustPanic;

/// The reading at `slot`: out of range panics, as safe Rust must.
fn reading(slot: usize) -> u32 {
    let readings = [17u32, 42, 99];
    readings[slot]
}

impl Module for RustPanic {
    fn init() -> Result<Self> {
        // the compiler cannot see the index, so it cannot reject it
        let slot = core::hint::black_box(7);
        pr_info!("rust_panic: reading slot {} of 3\n", slot);
        pr_info!("rust_panic: got {}\n", reading(slot));
        Ok(RustPanic)
    }
}
