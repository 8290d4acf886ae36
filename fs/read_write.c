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
#include <keel/fs.h>

#define MAX_RW_COUNT (INT_MAX & ~(4096 - 1))

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
