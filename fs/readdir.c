// SPDX-License-Identifier: MIT
/*
 * readdir.c - directory iteration. The directory's i_mutex is held
 * across iterate_shared, so entries do not move under it; the file's
 * f_pos is the cursor (an entry index for dcache_readdir).
 */
#include <keel/fs.h>

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
