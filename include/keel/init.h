/* SPDX-License-Identifier: MIT */
/*
 * keel/init.h - initcalls: built-in code that starts itself.
 *
 * A subsystem or driver registers an init function (and optionally an
 * exit function) at a level; do_initcalls() runs them once, level by
 * level, in link order within a level, after the core is up. Rust modules
 * (module! in the kernel crate) register through the same table, so C and
 * Rust start in one order. do_exitcalls() runs the exit functions of the
 * calls whose init succeeded, in reverse, at power off.
 */
#ifndef _KEEL_INIT_H
#define _KEEL_INIT_H

#include <keel/compiler.h>

struct initcall {
	int (*init)(void);  /* 0 or -Exxx */
	void (*exit)(void); /* may be NULL */
	const char *name;
	bool *started; /* set when init returned 0 */
};

#define INITCALL_CORE	1
#define INITCALL_SUBSYS 4
#define INITCALL_DEVICE 6
#define INITCALL_LATE	7

#define __define_initcall(lvl, fn, exitfn)                             \
	static bool __initcall_started_##fn;                           \
	static const struct initcall __initcall_##fn = {               \
		fn, exitfn, #fn, &__initcall_started_##fn              \
	};                                                             \
	static const struct initcall *const __initcall_ptr_##fn __used \
		__section(".initcall." #lvl) __aligned(8) = &__initcall_##fn

#define core_initcall(fn)	     __define_initcall(1, fn, NULL)
#define subsys_initcall(fn)	     __define_initcall(4, fn, NULL)
#define device_initcall(fn)	     __define_initcall(6, fn, NULL)
#define module_init_exit(fn, exitfn) __define_initcall(6, fn, exitfn)
#define late_initcall(fn)	     __define_initcall(7, fn, NULL)

/*
 * On-demand initcalls live in their own table: do_initcalls() skips
 * them, initcall_run_on_demand(name) (monitor "modprobe") starts one.
 * Rust: module! { ..., load: on_demand }. Their exit runs at power off
 * like the others'.
 */
#define ondemand_initcall(fn, exitfn)                                  \
	static bool __initcall_started_##fn;                           \
	static const struct initcall __initcall_##fn = {               \
		fn, exitfn, #fn, &__initcall_started_##fn              \
	};                                                             \
	static const struct initcall *const __initcall_ptr_##fn __used \
		__section(".initcall_ondemand")                        \
			__aligned(8) = &__initcall_##fn

void do_initcalls(void);
void do_exitcalls(void);
/*
 * Start the on-demand initcall called name: its init's result, -ENOENT
 * (no such initcall) or -EALREADY (running).
 */
int initcall_run_on_demand(const char *name);

#endif
