/* SPDX-License-Identifier: MIT */
/*
 * uapi_helper.h - the hardware constants Rust drivers share with their C
 * twins. bindgen turns this into build/rust/uapi_generated.rs (the `uapi`
 * crate, re-exported as kernel::uapi, as Rust-for-Linux's uapi crate is):
 * only the #defines that rust/rust.mk's UAPI_ALLOWLIST names, no
 * functions and no types, so a driver reaches nothing it could misuse.
 */
#include <keel/phy.h>
#include "../../drivers/net/e1000_hw.h"
