// SPDX-License-Identifier: MIT
/*
 * fcntl.c - fcntl, dup, dup2, dup3 (the fd-table work is fs/file.c).
 * F_SETFL changes only O_APPEND and O_NONBLOCK (and keeps the access
 * mode), as Linux; the other status flags are accepted and ignored.
 * TODO: record locks (F_GETLK/F_SETLK), F_SETOWN, leases: -EINVAL.
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/pipe_fs_i.h>
#include <keel/syscalls.h>

#define SETFL_MASK (O_APPEND | O_NONBLOCK)

static long setfl(struct file *f, unsigned long arg)
{
	mutex_lock(&f->f_pos_lock);
	f->f_flags = (f->f_flags & ~SETFL_MASK) | (arg & SETFL_MASK);
	mutex_unlock(&f->f_pos_lock);
	return 0;
}

static long do_fcntl(unsigned int fd, unsigned int cmd, unsigned long arg,
		     struct file *f)
{
	switch (cmd) {
	case F_DUPFD: return f_dupfd(arg, f, 0);
	case F_DUPFD_CLOEXEC: return f_dupfd(arg, f, O_CLOEXEC);
	case F_GETFD: return get_close_on_exec(fd) ? FD_CLOEXEC : 0;
	case F_SETFD: set_close_on_exec(fd, arg & FD_CLOEXEC); return 0;
	case F_GETFL: return f->f_flags;
	case F_SETFL: return setfl(f, arg);
	case F_GETPIPE_SZ:
	case F_SETPIPE_SZ: return pipe_fcntl(f, cmd, arg);
	default: return -EINVAL;
	}
}

SYSCALL_DEFINE3(fcntl, unsigned int, fd, unsigned int, cmd, unsigned long, arg)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	ret = do_fcntl(fd, cmd, arg, f);
	fput(f);
	return ret;
}

SYSCALL_DEFINE1(dup, unsigned int, fildes)
{
	return ksys_dup(fildes);
}

SYSCALL_DEFINE2(dup2, unsigned int, oldfd, unsigned int, newfd)
{
	return ksys_dup2(oldfd, newfd);
}

SYSCALL_DEFINE3(dup3, unsigned int, oldfd, unsigned int, newfd, int, flags)
{
	return ksys_dup3(oldfd, newfd, flags);
}
