// SPDX-License-Identifier: MIT
/*
 * init.c - the files of the first process (Linux's console_on_rootfs):
 * its own root/cwd (a copy of init_fs) and an fd table with
 * /dev/console on fds 0, 1 and 2.
 */
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/printk.h>
#include <keel/sched.h>

int console_on_rootfs(void)
{
	struct file *f;
	int err = -ENOMEM, fd;

	if (!current->fs)
		current->fs = copy_fs_struct(&init_fs);
	if (!current->files)
		current->files = files_struct_alloc();
	if (!current->fs || !current->files)
		goto fail;
	f = filp_open("/dev/console", O_RDWR, 0);
	err = PTR_ERR(f);
	if (IS_ERR(f))
		goto fail;
	fd = get_unused_fd_flags(0);
	if (fd != 0) {
		fput(f);
		err = fd < 0 ? fd : -EBUSY;
		goto fail;
	}
	fd_install(0, f);
	err = -EMFILE;
	if (ksys_dup2(0, 1) == 1 && ksys_dup2(0, 2) == 2)
		return 0;
fail:
	pr_err("init: cannot open an initial console (%s)\n", errname(err));
	return err;
}
