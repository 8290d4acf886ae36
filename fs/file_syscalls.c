// SPDX-License-Identifier: MIT
/*
 * file_syscalls.c - the system calls on file descriptors: open, openat,
 * close, read, write, readv, writev, lseek, dup, dup2, dup3.
 *
 * The VFS moves data through kernel buffers (keel/uio.h has ITER_KVEC
 * only), so read and write go through a one-page bounce buffer,
 * copy_to_user/copy_from_user on the user side (TODO: a user iov_iter
 * to copy once). A fault part-way returns what was moved, or -EFAULT if
 * nothing. The file position is taken under f_pos_lock, as Linux's
 * fdget_pos does.
 */
#include <keel/errno.h>
#include <keel/fcntl.h>
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/slab.h>
#include <keel/syscalls.h>

#define PATH_MAX     4096
#define IOV_MAX	     1024
#define MAX_RW_COUNT (0x7ffff000UL) /* INT_MAX & PAGE_MASK, as Linux */

struct iovec {
	void __user *iov_base;
	size_t iov_len;
};

/* Move up to count bytes between file and user memory at buf. */
static long rw_user(struct file *f, char __user *buf, size_t count, bool write)
{
	char *kbuf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	size_t done = 0;
	long ret = 0;

	if (!kbuf)
		return -ENOMEM;
	mutex_lock(&f->f_pos_lock);
	while (done < count) {
		size_t n = min(count - done, (size_t)PAGE_SIZE);

		if (write && copy_from_user(kbuf, buf + done, n)) {
			ret = -EFAULT;
			break;
		}
		ret = write ? kernel_write(f, kbuf, n, &f->f_pos) :
			      kernel_read(f, kbuf, n, &f->f_pos);
		if (ret <= 0)
			break;
		if (!write && copy_to_user(buf + done, kbuf, ret)) {
			ret = -EFAULT;
			break;
		}
		done += ret;
		if ((size_t)ret < n)
			break;
	}
	mutex_unlock(&f->f_pos_lock);
	kfree(kbuf);
	return done ? (long)done : ret;
}

static long ksys_rw(unsigned int fd, char __user *buf, size_t count, bool write)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	if (!(f->f_mode & (write ? FMODE_WRITE : FMODE_READ)))
		ret = -EBADF;
	else if (!access_ok(buf, count))
		ret = -EFAULT;
	else
		ret = rw_user(f, buf, min(count, MAX_RW_COUNT), write);
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return ksys_rw(fd, buf, count, false);
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t,
		count)
{
	return ksys_rw(fd, (char __user *)buf, count, true);
}

static long do_rwv(unsigned int fd, const struct iovec __user *vec,
		   unsigned long vlen, bool write)
{
	long total = 0;

	struct file *f = fget(fd);

	if (!f)
		return -EBADF;
	fput(f);
	if (vlen > IOV_MAX)
		return -EINVAL;
	for (unsigned long i = 0; i < vlen; i++) {
		struct iovec iov;
		long n;

		if (copy_from_user(&iov, vec + i, sizeof(iov)))
			return total ? total : -EFAULT;
		if ((long)iov.iov_len < 0)
			return total ? total : -EINVAL;
		if (!iov.iov_len)
			continue;
		n = ksys_rw(fd, iov.iov_base, iov.iov_len, write);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov.iov_len)
			break;
	}
	return total;
}

SYSCALL_DEFINE3(readv, unsigned int, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return do_rwv(fd, vec, vlen, false);
}

SYSCALL_DEFINE3(writev, unsigned int, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	return do_rwv(fd, vec, vlen, true);
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, long, offset, unsigned int, whence)
{
	struct file *f = fget(fd);
	long ret;

	if (!f)
		return -EBADF;
	mutex_lock(&f->f_pos_lock);
	ret = vfs_llseek(f, offset, whence);
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	return ret;
}

static long do_sys_open(int dfd, const char __user *filename, int flags,
			umode_t mode)
{
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	struct file *f;
	long ret;
	int fd;

	if (!path)
		return -ENOMEM;
	ret = strncpy_from_user(path, filename, PATH_MAX);
	if (ret == PATH_MAX)
		ret = -ENAMETOOLONG;
	if (ret < 0)
		goto out;
	fd = get_unused_fd_flags(flags);
	ret = fd;
	if (fd < 0)
		goto out;
	f = do_filp_open(dfd, path, flags, mode);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		ret = PTR_ERR(f);
		goto out;
	}
	fd_install(fd, f);
out:
	kfree(path);
	return ret;
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags | O_LARGEFILE, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags,
		umode_t, mode)
{
	return do_sys_open(dfd, filename, flags | O_LARGEFILE, mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(fd);
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
