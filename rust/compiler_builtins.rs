// SPDX-License-Identifier: MIT
//! keel's `compiler_builtins`: an empty crate that satisfies `alloc`'s
//! dependency. It deliberately provides no intrinsics. The kernel links
//! with `--gc-sections`, so an intrinsic only becomes a problem if kept
//! code calls it, and then the final link fails with an undefined
//! symbol: a build-time error, never a wrong answer at run time.
//! 128-bit integer division is provided, correctly, by C in
//! lib/int128.c; floating point has no implementation on purpose
//! (the kernel target is soft-float and keel uses none).

#![feature(compiler_builtins)]
#![compiler_builtins]
#![no_builtins]
#![no_std]
#![allow(internal_features)]
