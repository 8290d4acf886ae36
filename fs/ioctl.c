// SPDX-License-Identifier: MIT
/*
 * ioctl.c - ioctl(2): the file's unlocked_ioctl, or -ENOTTY.
 * TODO: the generic commands (FIONBIO, FIOCLEX, FIONCLEX, FIONREAD).
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/syscalls.h>

SYSCALL_DEFINE3(ioctl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);
	long ret = -ENOTTY;

	if (!f)
		return -EBADF;
	if (f->f_op && f->f_op->unlocked_ioctl)
		ret = f->f_op->unlocked_ioctl(f, cmd, arg);
	fput(f);
	return ret;
}
