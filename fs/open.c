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
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/fs_struct.h>
#include <keel/syscalls.h>

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

/* ---- the system calls ---- */

long do_sys_open(int dfd, const char __user *uname, int flags, umode_t mode)
{
	char *name = getname(uname);
	struct file *f;
	int fd;

	if (IS_ERR(name))
		return PTR_ERR(name);
	flags &= VALID_OPEN_FLAGS; /* open(2) ignores unknown flags */
	fd = get_unused_fd_flags(flags);
	if (fd >= 0) {
		f = do_filp_open(dfd, name, flags, mode);
		if (IS_ERR(f)) {
			put_unused_fd(fd);
			fd = PTR_ERR(f);
		} else {
			fd_install(fd, f);
		}
	}
	putname(name);
	return fd;
}

SYSCALL_DEFINE3(open, const char __user *, filename, int, flags, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, filename, flags, mode);
}

SYSCALL_DEFINE4(openat, int, dfd, const char __user *, filename, int, flags,
		umode_t, mode)
{
	return do_sys_open(dfd, filename, flags, mode);
}

SYSCALL_DEFINE2(creat, const char __user *, pathname, umode_t, mode)
{
	return do_sys_open(AT_FDCWD, pathname, O_CREAT | O_WRONLY | O_TRUNC,
			   mode);
}

SYSCALL_DEFINE1(close, unsigned int, fd)
{
	return close_fd(fd);
}

/* A path from user memory, resolved (referenced) into *p. */
int user_path_at(int dfd, const char __user *uname, unsigned int flags,
		 struct path *p)
{
	char *name = getname(uname);
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = vfs_path_lookup_at(dfd, name, flags, p);
	putname(name);
	return err;
}

SYSCALL_DEFINE2(truncate, const char __user *, path, long, length)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, path, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = vfs_truncate(&p, length);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(ftruncate, unsigned int, fd, long, length)
{
	struct file *f = fget(fd);
	int err = -EINVAL;

	if (!f)
		return -EBADF;
	if (S_ISREG(file_inode(f)->i_mode) && (f->f_mode & FMODE_WRITE))
		err = do_truncate(f->f_path.dentry, length);
	fput(f);
	return err;
}

static int set_pwd(struct path *p)
{
	int err = S_ISDIR(p->dentry->d_inode->i_mode) ? 0 : -ENOTDIR;

	if (!err)
		set_fs_pwd(current_fs(), p);
	path_put(p);
	return err;
}

SYSCALL_DEFINE1(chdir, const char __user *, filename)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, filename,
			       LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &p);

	return err ? err : set_pwd(&p);
}

SYSCALL_DEFINE1(fchdir, unsigned int, fd)
{
	struct file *f = fget(fd);
	struct path p;

	if (!f)
		return -EBADF;
	p = f->f_path;
	path_get(&p);
	fput(f);
	return set_pwd(&p);
}

static long fchmodat(int dfd, const char __user *filename, umode_t mode)
{
	struct path p;
	int err = user_path_at(dfd, filename, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = chmod_common(&p, mode);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(chmod, const char __user *, filename, umode_t, mode)
{
	return fchmodat(AT_FDCWD, filename, mode);
}

SYSCALL_DEFINE3(fchmodat, int, dfd, const char __user *, filename, umode_t,
		mode)
{
	return fchmodat(dfd, filename, mode);
}

SYSCALL_DEFINE2(fchmod, unsigned int, fd, umode_t, mode)
{
	struct file *f = fget(fd);
	int err;

	if (!f)
		return -EBADF;
	err = chmod_common(&f->f_path, mode);
	fput(f);
	return err;
}

#define F_OK 0
#define X_OK 1
#define W_OK 2
#define R_OK 4

/*
 * access/faccessat: everyone is root, so only existence and, for
 * X_OK, an execute bit somewhere (or a directory) are checked, as
 * Linux does for root. TODO: real permission checks with users.
 */
static long do_faccessat(int dfd, const char __user *filename, int mode,
			 int flags)
{
	unsigned int lf = flags & AT_SYMLINK_NOFOLLOW ? 0 : LOOKUP_FOLLOW;
	struct path p;
	umode_t m;
	int err;

	if (mode & ~(F_OK | X_OK | W_OK | R_OK))
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH))
		return -EINVAL;
	err = user_path_at(dfd, filename, lf, &p);
	if (err)
		return err;
	m = p.dentry->d_inode->i_mode;
	if ((mode & X_OK) && !S_ISDIR(m) && !(m & 0111))
		err = -EACCES;
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(access, const char __user *, filename, int, mode)
{
	return do_faccessat(AT_FDCWD, filename, mode, 0);
}

SYSCALL_DEFINE3(faccessat, int, dfd, const char __user *, filename, int, mode)
{
	return do_faccessat(dfd, filename, mode, 0);
}

SYSCALL_DEFINE4(faccessat2, int, dfd, const char __user *, filename, int, mode,
		int, flags)
{
	return do_faccessat(dfd, filename, mode, flags);
}
