/* SPDX-License-Identifier: MIT */
/*
 * keel/power.h - leaving the machine: power off, reboot, and the QEMU
 * isa-debug-exit port that hands the test runner an exit status.
 */
#ifndef _KEEL_POWER_H
#define _KEEL_POWER_H

#include <keel/compiler.h>

/*
 * Values written to isa-debug-exit; QEMU exits with (value << 1) | 1.
 * tests/check.py knows these.
 */
#define QEMU_EXIT_PASS	0x10 /* exit status 33 */
#define QEMU_EXIT_FAIL	0x11 /* exit status 35 */
#define QEMU_EXIT_PANIC 0x20 /* exit status 65 */

/* Orderly: run module exits (do_exitcalls), then the machine call. */
void kernel_power_off(void) __noreturn;
void kernel_restart(void) __noreturn;

void machine_power_off(void) __noreturn;
void machine_restart(void) __noreturn;
void machine_halt(void) __noreturn;
/* Exit QEMU with the given code if isa-debug-exit exists; else return. */
void qemu_exit(u8 code);

#endif
