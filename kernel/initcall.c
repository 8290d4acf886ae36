// SPDX-License-Identifier: MIT
/*
 * initcall.c - run the registered initcalls (keel/init.h) at boot and
 * their exit functions at power off. A failing init is logged with its
 * errno and the boot goes on without it. On-demand initcalls (their own
 * table) start only when initcall_run_on_demand() names them.
 */
#include <keel/errno.h>
#include <keel/init.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/string.h>

extern const struct initcall *const __initcall_start[];
extern const struct initcall *const __initcall_end[];
extern const struct initcall *const __initcall_ondemand_start[];
extern const struct initcall *const __initcall_ondemand_end[];

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

int initcall_run_on_demand(const char *name)
{
	const struct initcall *const *p;
	int err;

	for (p = __initcall_ondemand_start; p < __initcall_ondemand_end; p++) {
		if (strcmp((*p)->name, name))
			continue;
		if (*(*p)->started)
			return -EALREADY;
		err = (*p)->init();
		if (!err)
			*(*p)->started = true;
		return err;
	}
	return -ENOENT;
}

static void run_exits(const struct initcall *const *start,
		      const struct initcall *const *end)
{
	for (const struct initcall *const *p = end; p > start; p--) {
		const struct initcall *c = p[-1];

		if (!c->exit || !c->started || !*c->started)
			continue;
		*c->started = false;
		c->exit();
	}
}

void do_exitcalls(void)
{
	run_exits(__initcall_ondemand_start, __initcall_ondemand_end);
	run_exits(__initcall_start, __initcall_end);
}

/* Start a module that does not start at boot (keel/init.h). */
static int cmd_modprobe(int argc, char **argv)
{
	int err = initcall_run_on_demand(argv[1]);

	if (err)
		pr_err("monitor: modprobe %s: %s\n", argv[1], errname(err));
	return err;
}
MONITOR_CMD(modprobe, "NAME", "start an on-demand module", 1, 1, cmd_modprobe);
