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
#include <keel/fcntl.h>
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

/*
 * fds 0, 1 and 2 of PID 1 on /dev/console, as Linux's console_on_rootfs;
 * its children inherit them.
 */
static void console_on_rootfs(void)
{
	struct file *f;

	current->files = files_struct_alloc();
	if (!current->files)
		goto warn;
	f = filp_open("/dev/console", O_RDWR, 0);
	if (IS_ERR(f))
		goto warn;
	for (int fd = 0; fd < 3; fd++) {
		int got = get_unused_fd_flags(0);

		if (got >= 0)
			fd_install(got, get_file(f));
	}
	fput(f);
	return;
warn:
	pr_warn("Warning: unable to open an initial console.\n");
}

void run_init_process(void)
{
	const char *path = init_path[0] ? init_path : "/init";
	const char *argv[] = { path, NULL };
	const char *envp[] = { "HOME=/", "TERM=linux", NULL };
	int err;

	if (!init_path[0] && !boot_info.nr_modules)
		return; /* no initramfs: the monitor */
	if (!current->files)
		console_on_rootfs();
	err = kernel_execve(path, argv, envp);
	if (err) {
		pr_err("Failed to execute %s (error %s); staying in the monitor\n",
		       path, errname(err));
		return;
	}
	pr_info("Run %s as init process\n", path);
	child_reaper = current;
	enter_user_mode();
}
