// SPDX-License-Identifier: MIT
/*
 * initcall.c - run the registered initcalls (keel/init.h) at boot and
 * their exit functions at power off. A failing init is logged with its
 * errno and the boot goes on without it.
 */
#include <keel/errno.h>
#include <keel/init.h>
#include <keel/printk.h>

extern const struct initcall *const __initcall_start[];
extern const struct initcall *const __initcall_end[];

void do_initcalls(void)
{
	const struct initcall *const *p;
	int err;

	for (p = __initcall_start; p < __initcall_end; p++) {
		err = (*p)->init();
		if (err) {
			pr_err("initcall %s failed: %s\n", (*p)->name,
			       errname(err));
			continue;
		}
		if ((*p)->started)
			*(*p)->started = true;
	}
}

void do_exitcalls(void)
{
	const struct initcall *const *p;

	for (p = __initcall_end; p > __initcall_start; p--) {
		const struct initcall *c = p[-1];

		if (!c->exit || !c->started || !*c->started)
			continue;
		*c->started = false;
		c->exit();
	}
}
