/* SPDX-License-Identifier: MIT */
/*
 * keel/monitor.h - the built-in serial console monitor (kernel/monitor.c).
 *
 * A subsystem adds its own commands beside its code:
 *
 *	static int cmd_lspci(int argc, char **argv)
 *	{
 *		pci_show();
 *		return 0;
 *	}
 *	MONITOR_CMD(lspci, NULL, "PCI devices and their drivers", 0, 0,
 *		    cmd_lspci);
 *
 * The descriptor goes into the .monitor_cmds section; the monitor finds
 * commands there by name and "help" lists them sorted. A command gets
 * argc/argv (argv[0] is its name) only when it has between min_args and
 * max_args arguments (else the monitor prints the usage line), and
 * returns 0 or -Exxx. It says why it failed itself; when it returns
 * -EINVAL (arguments it cannot use) the monitor prints its usage after.
 */
#ifndef _KEEL_MONITOR_H
#define _KEEL_MONITOR_H

#include <keel/compiler.h>
#include <keel/types.h>

struct monitor_cmd {
	const char *name;
	const char *usage;	/* the arguments, e.g. "[GLOB]"; NULL: none */
	const char *help;	/* one line */
	int min_args, max_args; /* not counting the command */
	int (*fn)(int argc, char **argv);
};

#define MONITOR_CMD(cname, cusage, chelp, cmin, cmax, cfn)           \
	static const struct monitor_cmd __monitor_cmd_##cname __used \
		__section(".monitor_cmds") __aligned(8) = {          \
			.name = #cname,                              \
			.usage = cusage,                             \
			.help = chelp,                               \
			.min_args = cmin,                            \
			.max_args = cmax,                            \
			.fn = cfn,                                   \
		}

/* Read commands from the serial console forever. */
void monitor_run(void) __noreturn;
/* Run one command line; returns 0 or -Exxx (unknown command, bad args). */
int monitor_exec(const char *line);
/* The registered command called name, or NULL. */
const struct monitor_cmd *monitor_cmd_find(const char *name);

/*
 * Print part of a command's answer: to every console, as it is (no
 * timestamp), and not into the kernel log, which keeps the log. Errors
 * and events (a policy switched, a link came up) still go through
 * printk. A piece longer than MONITOR_PRINTF_MAX is cut there.
 */
#define MONITOR_PRINTF_MAX 512
void monitor_printf(const char *fmt, ...) __printf(1, 2);
/*
 * For tests: run one command line with what it monitor_printf()s copied
 * into buf (NUL-terminated, cut at size - 1) instead of printed.
 * Returns what the command returned.
 */
int monitor_exec_capture(const char *line, char *buf, size_t size);

#endif
