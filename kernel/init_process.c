// SPDX-License-Identifier: MIT
/*
 * init_process.c - PID 1: the boot context ("init", pid 1) becomes the
 * first user process by exec'ing /init from the initramfs, or the
 * program init=PATH names, as Linux's kernel_init does, with fds 0-2 on
 * /dev/console. With neither an
 * initramfs nor init=, or when the exec fails, it stays the kernel's
 * monitor (the caller goes on).
 */
#include <keel/boot.h>
#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/string.h>

static char init_path[256];

static int parse_init(const char *val)
{
	if (!val || *val != '/')
		return -EINVAL;
	if (strlcpy(init_path, val, sizeof(init_path)) >= sizeof(init_path))
		return -ENAMETOOLONG;
	return 0;
}
cmdline_param("init", parse_init);

void run_init_process(void)
{
	const char *path = init_path[0] ? init_path : "/init";
	const char *argv[] = { path, NULL };
	const char *envp[] = { "HOME=/", "TERM=linux", NULL };
	int err;

	if (!init_path[0] && !boot_info.nr_modules)
		return;	     /* no initramfs: the monitor */
	console_on_rootfs(); /* fds 0, 1, 2 (the monitor works without) */
	err = kernel_execve(path, argv, envp);
	if (err) {
		pr_err("Failed to execute %s (error %s); staying in the monitor\n",
		       path, errname(err));
		/*
		 * Close fds 0-2: while /dev/console is open its tty takes
		 * the serial input, and the monitor would not see it.
		 */
		exit_files(current);
		return;
	}
	pr_info("Run %s as init process\n", path);
	child_reaper = current;
	signal_init_process(current);
	enter_user_mode();
}
