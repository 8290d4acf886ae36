/* SPDX-License-Identifier: MIT */
/*
 * keel/cmdline.h - the kernel command line.
 *
 * Options are "name=value" or a bare "name", separated by spaces; a value
 * may be double-quoted to hold spaces. Each subsystem declares the options
 * it owns with cmdline_param(); the handler gets the value (NULL for a bare
 * name) and returns 0 or -Exxx. Unknown options and values a handler
 * rejects are reported with pr_warn and otherwise ignored: a typo never
 * stops the boot.
 */
#ifndef _KEEL_CMDLINE_H
#define _KEEL_CMDLINE_H

#include <keel/compiler.h>
#include <keel/errno.h>

struct cmdline_param {
	const char *name;
	int (*set)(const char *val);
};

#define cmdline_param(pname, fn)                               \
	static const struct cmdline_param __UNIQUE(__cmdline_) \
		__used __section(".cmdline_params") __aligned( \
			__alignof__(struct cmdline_param)) = { pname, fn }

#define CMDLINE_MAX 1024

/* The raw command line as the loader gave it (empty string if none). */
extern char boot_cmdline[CMDLINE_MAX];

/*
 * Apply every option in line to the handlers in params[0..n). Returns the
 * number of options ignored (unknown, malformed or rejected).
 */
int cmdline_apply(const char *line, const struct cmdline_param *params,
		  size_t n);
/* Apply boot_cmdline to the handlers registered with cmdline_param(). */
void cmdline_init(void);
/*
 * Look an option up in boot_cmdline: copies its value into buf and
 * returns 0, or -ENOENT. A bare name yields "".
 */
int cmdline_get(const char *name, char *buf, size_t len);

#endif
