// SPDX-License-Identifier: MIT
/*
 * read_write.c - reading, writing and seeking an open file.
 *
 * vfs_iter_read/vfs_iter_write check the file's mode and hand a kiocb
 * (the position to work at) and an iov_iter (the buffer) to the file's
 * read_iter/write_iter; the position comes back through *pos, so the
 * same code serves kernel_read() (its own position) and read(2) (the
 * file's f_pos, under f_pos_lock). A count above MAX_RW_COUNT is cut,
 * as in Linux, so that a byte count always fits in an ssize_t result.
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/syscalls.h>

#define MAX_RW_COUNT (INT_MAX & ~(4096 - 1))
#define SEEK_MAX     SEEK_HOLE

static void iter_clamp(struct iov_iter *iter)
{
	if (iter->count > MAX_RW_COUNT)
		iter->count = MAX_RW_COUNT;
}

ssize_t vfs_iter_read(struct file *f, struct iov_iter *iter, loff_t *pos)
{
	struct kiocb kiocb = { .ki_filp = f, .ki_pos = *pos };
	ssize_t ret;

	if (!(f->f_mode & FMODE_READ))
		return -EBADF;
	if (S_ISDIR(file_inode(f)->i_mode))
		return -EISDIR;
	if (!f->f_op || !f->f_op->read_iter)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	iter_clamp(iter);
	if (!iov_iter_count(iter))
		return 0;
	if (f->f_flags & O_NONBLOCK)
		kiocb.ki_flags |= IOCB_NOWAIT;
	ret = f->f_op->read_iter(&kiocb, iter);
	if (ret > 0)
		*pos = kiocb.ki_pos;
	return ret;
}

ssize_t vfs_iter_write(struct file *f, struct iov_iter *iter, loff_t *pos)
{
	struct kiocb kiocb = { .ki_filp = f, .ki_pos = *pos };
	ssize_t ret;

	if (!(f->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!f->f_op || !f->f_op->write_iter)
		return -EINVAL;
	if (*pos < 0)
		return -EINVAL;
	iter_clamp(iter);
	if (!iov_iter_count(iter))
		return 0;
	if (f->f_flags & O_APPEND)
		kiocb.ki_flags |= IOCB_APPEND;
	if (f->f_flags & O_NONBLOCK)
		kiocb.ki_flags |= IOCB_NOWAIT;
	ret = f->f_op->write_iter(&kiocb, iter);
	if (ret > 0)
		*pos = kiocb.ki_pos;
	return ret;
}

ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;

	iov_iter_kvec_one(&iter, ITER_DEST, buf, count);
	return vfs_iter_read(f, &iter, pos);
}

ssize_t kernel_write(struct file *f, const void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;

	iov_iter_kvec_one(&iter, ITER_SOURCE, (void *)buf, count);
	return vfs_iter_write(f, &iter, pos);
}

/* The new position for offset/whence given the current one and size. */
static loff_t llseek_target(loff_t cur, loff_t size, loff_t offset, int whence)
{
	loff_t base;

	switch (whence) {
	case SEEK_SET: base = 0; break;
	case SEEK_CUR: base = cur; break;
	case SEEK_END: base = size; break;
	case SEEK_DATA: /* no holes: data is everywhere below size */
		return offset >= size || offset < 0 ? -ENXIO : offset;
	case SEEK_HOLE: return offset >= size || offset < 0 ? -ENXIO : size;
	default: return -EINVAL;
	}
	if ((offset > 0 && base > MAX_LFS_FILESIZE - offset) ||
	    base + offset < 0)
		return -EINVAL;
	return base + offset;
}

/* Seek on a file whose size is i_size; sets and returns f_pos. */
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence)
{
	loff_t pos =
		llseek_target(f->f_pos, file_inode(f)->i_size, offset, whence);

	if (pos >= 0)
		f->f_pos = pos;
	return pos;
}

loff_t no_llseek(struct file *f, loff_t offset, int whence)
{
	return -ESPIPE;
}

/* The caller holds f->f_pos_lock if the file is shared. */
loff_t vfs_llseek(struct file *f, loff_t offset, int whence)
{
	if (!f->f_op || !f->f_op->llseek)
		return -ESPIPE;
	return f->f_op->llseek(f, offset, whence);
}

/* ---- the system calls ---- */

/* -EINVAL for a count that cannot be a byte count (negative ssize_t). */
static bool bad_count(size_t count)
{
	return (ssize_t)count < 0;
}

/*
 * A file with a position is read and written under f_pos_lock; a stream
 * (a pipe) has none, and a reader that blocks there must not hold up the
 * file's other users (fcntl, a second reader or writer).
 */
static void f_pos_lock(struct file *f)
{
	if (!(f->f_mode & FMODE_STREAM))
		mutex_lock(&f->f_pos_lock);
}

static void f_pos_unlock(struct file *f)
{
	if (!(f->f_mode & FMODE_STREAM))
		mutex_unlock(&f->f_pos_lock);
}

/* read/write at the file's position, which moves, under f_pos_lock. */
static ssize_t rw_at_fpos(unsigned int fd, char __user *buf, size_t count,
			  unsigned int dir)
{
	struct file *f = fget(fd);
	struct iov_iter iter;
	ssize_t ret;

	if (!f)
		return -EBADF;
	iov_iter_ubuf(&iter, dir, buf, count);
	f_pos_lock(f);
	ret = dir == ITER_DEST ? vfs_iter_read(f, &iter, &f->f_pos) :
				 vfs_iter_write(f, &iter, &f->f_pos);
	f_pos_unlock(f);
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(read, unsigned int, fd, char __user *, buf, size_t, count)
{
	return bad_count(count) ? -EINVAL :
				  rw_at_fpos(fd, buf, count, ITER_DEST);
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t,
		count)
{
	return bad_count(count) ?
		       -EINVAL :
		       rw_at_fpos(fd, (char *)buf, count, ITER_SOURCE);
}

/* pread/pwrite: at pos; the file must be seekable (-ESPIPE). */
static ssize_t rw_at(unsigned int fd, char __user *buf, size_t count,
		     loff_t pos, unsigned int dir)
{
	struct file *f;
	struct iov_iter iter;
	ssize_t ret;

	if (pos < 0 || bad_count(count))
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	ret = -ESPIPE;
	if (f->f_op && f->f_op->llseek && f->f_op->llseek != no_llseek) {
		iov_iter_ubuf(&iter, dir, buf, count);
		ret = dir == ITER_DEST ? vfs_iter_read(f, &iter, &pos) :
					 vfs_iter_write(f, &iter, &pos);
	}
	fput(f);
	return ret;
}

SYSCALL_DEFINE4(pread64, unsigned int, fd, char __user *, buf, size_t, count,
		loff_t, pos)
{
	return rw_at(fd, buf, count, pos, ITER_DEST);
}

SYSCALL_DEFINE4(pwrite64, unsigned int, fd, const char __user *, buf, size_t,
		count, loff_t, pos)
{
	return rw_at(fd, (char *)buf, count, pos, ITER_SOURCE);
}

#define UIO_MAXIOV 1024

struct iovec_user {
	void __user *iov_base;
	size_t iov_len;
};

/* One segment after another; stops at the first short transfer. */
static ssize_t do_iovec(struct file *f, const struct iovec_user __user *vec,
			unsigned long vlen, unsigned int dir)
{
	ssize_t total = 0, n = 0;

	for (unsigned long i = 0; i < vlen; i++) {
		struct iovec_user v;
		struct iov_iter iter;

		if (copy_from_user(&v, vec + i, sizeof(v)))
			return total ? total : -EFAULT;
		if (bad_count(v.iov_len) ||
		    v.iov_len > (size_t)(MAX_RW_COUNT - total))
			return total ? total : -EINVAL;
		if (!v.iov_len)
			continue;
		iov_iter_ubuf(&iter, dir, v.iov_base, v.iov_len);
		n = dir == ITER_DEST ? vfs_iter_read(f, &iter, &f->f_pos) :
				       vfs_iter_write(f, &iter, &f->f_pos);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < v.iov_len)
			break;
	}
	return total;
}

static ssize_t rw_iovec(unsigned int fd, const struct iovec_user __user *vec,
			unsigned long vlen, unsigned int dir)
{
	struct file *f;
	ssize_t ret;

	if (vlen > UIO_MAXIOV)
		return -EINVAL;
	f = fget(fd);
	if (!f)
		return -EBADF;
	f_pos_lock(f);
	ret = do_iovec(f, vec, vlen, dir);
	f_pos_unlock(f);
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(readv, unsigned long, fd, const struct iovec_user __user *, vec,
		unsigned long, vlen)
{
	return rw_iovec(fd, vec, vlen, ITER_DEST);
}

SYSCALL_DEFINE3(writev, unsigned long, fd, const struct iovec_user __user *,
		vec, unsigned long, vlen)
{
	return rw_iovec(fd, vec, vlen, ITER_SOURCE);
}

SYSCALL_DEFINE3(lseek, unsigned int, fd, loff_t, offset, unsigned int, whence)
{
	struct file *f = fget(fd);
	loff_t ret;

	if (!f)
		return -EBADF;
	mutex_lock(&f->f_pos_lock);
	ret = whence > SEEK_MAX ? -EINVAL : vfs_llseek(f, offset, whence);
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	return ret;
}
