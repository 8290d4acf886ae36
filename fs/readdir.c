// SPDX-License-Identifier: MIT
/*
 * readdir.c - directory iteration. The directory's i_mutex is held
 * across iterate_shared, so entries do not move under it; the file's
 * f_pos is the position (for dcache_readdir an entry count; its place
 * in the list of children is a cursor dentry, fs/libfs.c).
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/syscalls.h>

int iterate_dir(struct file *f, struct dir_context *ctx)
{
	struct inode *inode = file_inode(f);
	int err;

	if (!f->f_op || !f->f_op->iterate_shared)
		return -ENOTDIR;
	mutex_lock(&inode->i_mutex);
	err = -ENOENT;
	if (inode->i_nlink) {
		ctx->pos = f->f_pos;
		err = f->f_op->iterate_shared(f, ctx);
		f->f_pos = ctx->pos;
	}
	mutex_unlock(&inode->i_mutex);
	return err;
}

/* ---- getdents64 ---- */

struct linux_dirent64 {
	u64 d_ino;
	s64 d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

struct getdents_callback64 {
	struct dir_context ctx;
	char __user *current_dir;
	int count;
	int error;
};

/* Copy one record out; false (stop) when it does not fit or faults. */
static bool filldir64(struct dir_context *ctx, const char *name, int namlen,
		      loff_t offset, u64 ino, unsigned int d_type)
{
	struct getdents_callback64 *buf =
		container_of(ctx, struct getdents_callback64, ctx);
	size_t hdr = offsetof(struct linux_dirent64, d_name);
	size_t reclen = ALIGN_UP(hdr + namlen + 1, sizeof(u64));
	struct linux_dirent64 d = { .d_ino = ino, .d_type = d_type };

	if ((int)reclen > buf->count) {
		buf->error = -EINVAL; /* only if nothing fit at all */
		return false;
	}
	d.d_off = offset + 1; /* where the next entry starts */
	d.d_reclen = reclen;
	/* the name starts at byte 19, inside the struct's tail padding */
	if (copy_to_user(buf->current_dir, &d, hdr) ||
	    copy_to_user(buf->current_dir + hdr, name, namlen) ||
	    clear_user(buf->current_dir + hdr + namlen,
		       reclen - hdr - namlen)) {
		buf->error = -EFAULT;
		return false;
	}
	buf->current_dir += reclen;
	buf->count -= reclen;
	return true;
}

SYSCALL_DEFINE3(getdents64, unsigned int, fd, void __user *, dirent,
		unsigned int, count)
{
	struct getdents_callback64 buf = {
		.ctx.actor = filldir64,
		.current_dir = dirent,
		.count = (int)min(count, (unsigned int)INT_MAX),
	};
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	mutex_lock(&f->f_pos_lock);
	err = iterate_dir(f, &buf.ctx);
	mutex_unlock(&f->f_pos_lock);
	fput(f);
	if ((char __user *)dirent != buf.current_dir)
		return buf.current_dir - (char __user *)dirent;
	return err ? err : buf.error;
}
