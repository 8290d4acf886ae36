// SPDX-License-Identifier: MIT
/*
 * open.c - opening files by name or path, and truncation.
 *
 * do_filp_open() walks to the last component; with O_CREAT it locks the
 * parent, creates the file if it is missing (mode less the umask) and
 * follows a symlink there itself, so that creating through a dangling
 * link works as in Linux. Then dentry_open() checks the flags against
 * the inode and calls the file's open.
 */
#include <keel/fs.h>
#include <keel/fs_struct.h>

#include "internal.h"

int notify_change(struct dentry *d, struct iattr *attr)
{
	struct inode *inode = d->d_inode;

	lockdep_assert_held(&inode->i_mutex);
	if (!inode->i_op || !inode->i_op->setattr)
		return -EPERM;
	return inode->i_op->setattr(d, attr);
}

int do_truncate(struct dentry *d, loff_t length)
{
	struct iattr attr = { .ia_valid = ATTR_SIZE | ATTR_MTIME };
	struct inode *inode = d->d_inode;
	int err;

	if (length < 0)
		return -EINVAL;
	attr.ia_size = length;
	attr.ia_mtime = current_time(inode);
	mutex_lock(&inode->i_mutex);
	err = notify_change(d, &attr);
	mutex_unlock(&inode->i_mutex);
	return err;
}

int vfs_truncate(const struct path *path, loff_t length)
{
	umode_t mode = path->dentry->d_inode->i_mode;

	if (S_ISDIR(mode))
		return -EISDIR;
	if (!S_ISREG(mode))
		return -EINVAL;
	return do_truncate(path->dentry, length);
}

/* chmod: the permission bits of path's inode become mode's. */
int chmod_common(const struct path *path, umode_t mode)
{
	struct inode *inode = path->dentry->d_inode;
	struct iattr attr = { .ia_valid = ATTR_MODE };
	int err;

	mutex_lock(&inode->i_mutex);
	attr.ia_mode = (mode & S_IALLUGO) | (inode->i_mode & S_IFMT);
	err = notify_change(path->dentry, &attr);
	mutex_unlock(&inode->i_mutex);
	return err;
}

int do_fchmodat(int dfd, const char *name, umode_t mode)
{
	struct path p;
	int err = vfs_path_lookup_at(dfd, name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = chmod_common(&p, mode);
	path_put(&p);
	return err;
}

static fmode_t open_fmode(int flags)
{
	switch (flags & O_ACCMODE) {
	case O_RDONLY: return FMODE_READ;
	case O_WRONLY: return FMODE_WRITE;
	default: return FMODE_READ | FMODE_WRITE;
	}
}

/* Is opening inode with flags allowed? */
static int may_open(struct inode *inode, int flags)
{
	umode_t mode = inode->i_mode;

	if ((flags & O_ACCMODE) == O_ACCMODE)
		return -EINVAL;
	if (S_ISLNK(mode))
		return -ELOOP;
	if (S_ISDIR(mode) &&
	    (open_fmode(flags) & FMODE_WRITE || flags & (O_CREAT | O_TRUNC)))
		return -EISDIR;
	if ((flags & O_DIRECTORY) && !S_ISDIR(mode))
		return -ENOTDIR;
	return 0;
}

struct file *dentry_open(const struct path *path, int flags)
{
	struct inode *inode = path->dentry->d_inode;
	struct file *f;
	int err = may_open(inode, flags);

	if (err)
		return ERR_PTR(err);
	f = alloc_empty_file(
		flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC));
	if (IS_ERR(f))
		return f;
	f->f_mode = open_fmode(flags) | FMODE_LSEEK;
	f->f_path = *path;
	path_get(path);
	f->f_inode = inode;
	f->f_op = inode->i_fop;
	if (f->f_op && f->f_op->open) {
		err = f->f_op->open(inode, f);
		if (err) {
			f->f_op = NULL; /* no release for a failed open */
			fput(f);
			return ERR_PTR(err);
		}
	}
	if ((flags & O_TRUNC) && S_ISREG(inode->i_mode)) {
		err = do_truncate(path->dentry, 0);
		if (err) {
			fput(f);
			return ERR_PTR(err);
		}
	}
	return f;
}

/*
 * The O_CREAT step: the last component, created if missing. Returns 0
 * with nd->path at the file, 1 if it was a symlink that was followed
 * (walk again), or -Exxx.
 */
static int open_last_create(struct nameidata *nd, int flags, umode_t mode,
			    bool *created)
{
	struct dentry *dir = nd->path.dentry, *d;
	struct path child;
	int err = 0;

	if (nd->last_type != LAST_NORM || (nd->flags & LOOKUP_DIRECTORY))
		return -EISDIR;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_locked(dir, &nd->last);
	if (IS_ERR(d)) {
		mutex_unlock(&dir->d_inode->i_mutex);
		return PTR_ERR(d);
	}
	if (!d->d_inode) {
		mode &= ~current_fs()->umask;
		err = vfs_create(dir->d_inode, d, mode, flags & O_EXCL);
		*created = !err;
	} else if (flags & O_EXCL) {
		err = -EEXIST;
	}
	mutex_unlock(&dir->d_inode->i_mutex);
	if (err) {
		dput(d);
		return err;
	}
	child = (struct path){ mntget(nd->path.mnt), d };
	path_put(&nd->path);
	nd->path = child;
	return 0;
}

/* Everything after the walk; returns 0, 1 (walk again) or -Exxx. */
static int open_last(struct nameidata *nd, int flags, umode_t mode,
		     bool *created)
{
	struct path saved;
	int err;

	if (!(flags & O_CREAT)) {
		nd->flags |= flags & O_NOFOLLOW ? 0 : LOOKUP_FOLLOW;
		if (flags & O_DIRECTORY)
			nd->flags |= LOOKUP_DIRECTORY;
		return lookup_last(nd);
	}
	saved = nd->path;
	path_get(&saved);
	err = open_last_create(nd, flags, mode, created);
	if (err || !S_ISLNK(nd->path.dentry->d_inode->i_mode) ||
	    (flags & O_NOFOLLOW)) {
		path_put(&saved);
		return err;
	}
	/* a symlink: resolve it from its directory, as lookup_last does */
	path_put(&nd->path);
	nd->path = saved;
	nd->flags |= LOOKUP_FOLLOW;
	return lookup_last(nd) ?: -ENOENT;
}

struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode)
{
	struct nameidata nd;
	bool created = false;
	struct file *f;
	int err;

	if (flags & ~VALID_OPEN_FLAGS || flags & (O_PATH | __O_TMPFILE))
		return ERR_PTR(-EINVAL); /* TODO: O_PATH, O_TMPFILE */
	err = nd_init(&nd, dfd, name, 0);
	while (!err) {
		err = link_path_walk(&nd);
		if (!err)
			err = open_last(&nd, flags, mode, &created);
		if (err != 1)
			break;
		err = 0;
	}
	f = ERR_PTR(err);
	if (!err)
		f = dentry_open(&nd.path, created ? flags & ~O_TRUNC : flags);
	nd_cleanup(&nd);
	return f;
}

struct file *filp_open(const char *name, int flags, umode_t mode)
{
	return do_filp_open(AT_FDCWD, name, flags, mode);
}
