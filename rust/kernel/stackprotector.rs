// SPDX-License-Identifier: MIT
//! Rust's half of the stack protector (kernel/stackprotector.c).
//!
//! Every kernel crate is built with `-Zstack-protector=strong`; rustc
//! for `x86_64-unknown-none` keeps the canary in the global
//! `__stack_chk_guard` (not at `%gs:0x28` as C does), which the C side
//! sets to the same value at boot, and calls the same
//! `__stack_chk_fail`. This module holds only the test that a Rust
//! frame's canary is checked.

#[crate::ktest(rust_stackprotector)]
mod tests {
    use crate::ktest::Test;

    /// Overflows its own buffer up to and over its canary (through C:
    /// safe Rust cannot), so its return panics.
    #[no_mangle]
    #[inline(never)]
    extern "C" fn rust_stackprotector_victim() -> usize {
        let mut buf = [0u8; 40];
        // SAFETY: not sound, on purpose: the C helper writes past `buf`
        // over this frame's canary. Nothing reads the overwritten bytes
        // before the canary check in this function's epilogue, which
        // panics, and the panic abandons the frame (the case expects
        // it), so the corrupted return address is never used.
        let n = unsafe { bindings::stackprotector_smash(buf.as_mut_ptr().cast(), buf.len()) };
        core::hint::black_box(&mut buf);
        n + usize::from(buf[0])
    }

    #[test]
    fn canary_overflow_panics(t: &mut Test) {
        // SAFETY: a constant the C side defines and never writes.
        if !unsafe { bindings::stackprotector_enabled } {
            t.skip(c"built with STACKPROTECTOR=0");
            return;
        }
        t.expect_panic(c"stack-protector: kernel stack corrupted in rust_stackprotector_victim");
        let n = rust_stackprotector_victim();
        crate::kt_fail!(t, "rust_stackprotector_victim returned ({n})");
    }
}
