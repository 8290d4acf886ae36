// SPDX-License-Identifier: MIT
/* stat.c - a file's attributes as struct kstat. */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/string.h>

static void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	memset(stat, 0, sizeof(*stat));
	stat->dev = inode->i_sb->s_dev;
	stat->ino = inode->i_ino;
	stat->mode = inode->i_mode;
	stat->nlink = inode->i_nlink;
	stat->uid = inode->i_uid;
	stat->gid = inode->i_gid;
	stat->rdev = inode->i_rdev;
	stat->size = inode->i_size;
	stat->atime = inode->i_atime;
	stat->mtime = inode->i_mtime;
	stat->ctime = inode->i_ctime;
	stat->blksize = 4096;
	stat->blocks = inode->i_blocks;
}

int vfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = path->dentry->d_inode;

	mutex_lock(&inode->i_mutex);
	generic_fillattr(inode, stat);
	mutex_unlock(&inode->i_mutex);
	return 0;
}

/*
 * stat/lstat/fstatat: name at dfd; AT_SYMLINK_NOFOLLOW does not follow
 * a trailing link; AT_EMPTY_PATH with "" is fstat(dfd).
 */
int vfs_statx(int dfd, const char *name, int flags, struct kstat *stat)
{
	unsigned int lf = flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW;
	struct path p;
	int err;

	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT))
		return -EINVAL;
	if ((flags & AT_EMPTY_PATH) && !*name) {
		struct file *f = dfd == AT_FDCWD ? NULL : fget(dfd);

		if (dfd == AT_FDCWD)
			return vfs_statx(dfd, ".", 0, stat);
		if (!f)
			return -EBADF;
		err = vfs_getattr(&f->f_path, stat);
		fput(f);
		return err;
	}
	err = vfs_path_lookup_at(dfd, name, lf, &p);
	if (err)
		return err;
	err = vfs_getattr(&p, stat);
	path_put(&p);
	return err;
}
