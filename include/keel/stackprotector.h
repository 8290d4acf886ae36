/* SPDX-License-Identifier: MIT */
/*
 * keel/stackprotector.h - the stack canary (kernel/stackprotector.c).
 *
 * C is built with -fstack-protector-strong and reads its canary at
 * %gs:0x28 (struct cpu's stack_canary, one value on every CPU); Rust is
 * built with -Zstack-protector=strong, and rustc for x86_64-unknown-none
 * reads the global __stack_chk_guard instead (LLVM uses a TLS slot only
 * for Linux-like targets). Both hold the same value, and a mismatch in
 * either language ends in __stack_chk_fail(), a panic that names the
 * function whose frame was corrupted.
 */
#ifndef _KEEL_STACKPROTECTOR_H
#define _KEEL_STACKPROTECTOR_H

#include <keel/types.h>

/* Built with the canary (make STACKPROTECTOR=1, the default)? */
extern const bool stackprotector_enabled;

#ifndef __BINDGEN__ /* rustc's own code refers to these two */
/* Rust's canary (and a copy of C's). */
extern unsigned long __stack_chk_guard;
/* What the compiler calls on a mismatch: panics. */
void __stack_chk_fail(void) __attribute__((noreturn));
#endif

/*
 * Pick the canary and give it to the boot CPU and to Rust. Called first
 * thing in start_kernel() (itself built without a canary): no function
 * with a canary may be on the stack while the value changes. APs copy
 * the boot CPU's value in smpboot.c before they start.
 */
void boot_init_stack_canary(void);

/*
 * Test only (kernel/stackprotector_test.c, rust/kernel/stackprotector.rs):
 * overwrite memory from buf up to and including the first canary-valued
 * word within len + 64 bytes of it, as a buffer overflow would. Returns
 * the bytes written, 0 if no canary was found (nothing written).
 */
size_t stackprotector_smash(void *buf, size_t len);

#endif
