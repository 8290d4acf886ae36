// SPDX-License-Identifier: MIT
/*
 * namei_ops.c - operations that change a directory, by inode (vfs_*:
 * the parent's i_mutex held, as Linux's) and by name (do_*at: walk to
 * the parent with fs/namei.c, lock it, act, unlock).
 */
#include <keel/fs.h>
#include <keel/fs_struct.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>

#include "internal.h"

/* A directory that was removed takes no new entries. */
static int may_create(struct inode *dir, struct dentry *d)
{
	lockdep_assert_held(&dir->i_mutex);
	if (d->d_inode)
		return -EEXIST;
	if (!dir->i_nlink)
		return -ENOENT;
	return 0;
}

int vfs_create(struct inode *dir, struct dentry *d, umode_t mode, bool excl)
{
	int err = may_create(dir, d);

	if (err)
		return err;
	if (!dir->i_op->create)
		return -EACCES;
	return dir->i_op->create(dir, d, (mode & S_IALLUGO) | S_IFREG, excl);
}

int vfs_mkdir(struct inode *dir, struct dentry *d, umode_t mode)
{
	int err = may_create(dir, d);

	if (err)
		return err;
	if (!dir->i_op->mkdir)
		return -EPERM;
	return dir->i_op->mkdir(dir, d, (mode & S_IALLUGO) | S_IFDIR);
}

int vfs_mknod(struct inode *dir, struct dentry *d, umode_t mode, dev_t dev)
{
	int err = may_create(dir, d);

	if (err)
		return err;
	if (!dir->i_op->mknod)
		return -EPERM;
	return dir->i_op->mknod(dir, d, mode, dev);
}

int vfs_symlink(struct inode *dir, struct dentry *d, const char *target)
{
	int err = may_create(dir, d);

	if (err)
		return err;
	if (!dir->i_op->symlink)
		return -EPERM;
	return dir->i_op->symlink(dir, d, target);
}

int vfs_link(struct dentry *old, struct inode *dir, struct dentry *new)
{
	struct inode *inode = old->d_inode;
	int err = may_create(dir, new);

	if (err)
		return err;
	if (!inode)
		return -ENOENT;
	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (inode->i_sb != dir->i_sb)
		return -EXDEV;
	if (!dir->i_op->link)
		return -EPERM;
	mutex_lock(&inode->i_mutex);
	err = inode->i_nlink ? dir->i_op->link(old, dir, new) : -ENOENT;
	mutex_unlock(&inode->i_mutex);
	return err;
}

/* Remove d (positive) from dir with op, the victim locked. */
static int vfs_remove(struct inode *dir, struct dentry *d,
		      int (*op)(struct inode *dir, struct dentry *d))
{
	struct inode *inode = d->d_inode;
	int err;

	lockdep_assert_held(&dir->i_mutex);
	if (!op)
		return -EPERM;
	if (__atomic_load_n(&d->d_mounted, __ATOMIC_ACQUIRE))
		return -EBUSY;
	mutex_lock(&inode->i_mutex);
	err = op(dir, d);
	mutex_unlock(&inode->i_mutex);
	if (!err)
		d_drop(d);
	return err;
}

int vfs_rmdir(struct inode *dir, struct dentry *d)
{
	if (!d->d_inode)
		return -ENOENT;
	if (!S_ISDIR(d->d_inode->i_mode))
		return -ENOTDIR;
	return vfs_remove(dir, d, dir->i_op->rmdir);
}

int vfs_unlink(struct inode *dir, struct dentry *d)
{
	if (!d->d_inode)
		return -ENOENT;
	if (S_ISDIR(d->d_inode->i_mode))
		return -EISDIR;
	return vfs_remove(dir, d, dir->i_op->unlink);
}

static umode_t apply_umask(umode_t mode)
{
	return mode & ~current_fs()->umask;
}

int do_mkdirat(int dfd, const char *name, umode_t mode)
{
	struct nameidata nd;
	struct dentry *d = filename_create(&nd, dfd, name, true);
	int err = PTR_ERR(d);

	if (!IS_ERR(d)) {
		err = vfs_mkdir(nd.path.dentry->d_inode, d, apply_umask(mode));
		done_path_create(&nd, d);
	}
	nd_cleanup(&nd);
	return err;
}

int do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev)
{
	struct nameidata nd;
	struct dentry *d;
	struct inode *dir;
	int err;

	if (!(mode & S_IFMT))
		mode |= S_IFREG;
	if (!S_ISREG(mode) && !S_ISCHR(mode) && !S_ISBLK(mode) &&
	    !S_ISFIFO(mode) && !S_ISSOCK(mode))
		return -EINVAL;
	d = filename_create(&nd, dfd, name, false);
	err = PTR_ERR(d);
	if (IS_ERR(d))
		goto out;
	dir = nd.path.dentry->d_inode;
	mode = (mode & S_IFMT) | apply_umask(mode & S_IALLUGO);
	if (S_ISREG(mode))
		err = vfs_create(dir, d, mode, true);
	else
		err = vfs_mknod(dir, d, mode, dev);
	done_path_create(&nd, d);
out:
	nd_cleanup(&nd);
	return err;
}

int do_symlinkat(const char *target, int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d;
	int err;

	if (!*target)
		return -ENOENT;
	if (strnlen(target, PATH_MAX) == PATH_MAX)
		return -ENAMETOOLONG;
	d = filename_create(&nd, dfd, name, false);
	err = PTR_ERR(d);
	if (!IS_ERR(d)) {
		err = vfs_symlink(nd.path.dentry->d_inode, d, target);
		done_path_create(&nd, d);
	}
	nd_cleanup(&nd);
	return err;
}

int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname,
	      int flags)
{
	unsigned int lf = flags & AT_SYMLINK_FOLLOW ? LOOKUP_FOLLOW : 0;
	struct nameidata nd;
	struct dentry *d;
	struct path old;
	int err;

	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	err = vfs_path_lookup_at(olddfd, oldname, lf, &old);
	if (err)
		return err;
	d = filename_create(&nd, newdfd, newname, false);
	err = PTR_ERR(d);
	if (IS_ERR(d))
		goto out;
	err = -EXDEV;
	if (nd.path.mnt == old.mnt)
		err = vfs_link(old.dentry, nd.path.dentry->d_inode, d);
	done_path_create(&nd, d);
out:
	nd_cleanup(&nd);
	path_put(&old);
	return err;
}

/*
 * Walk to name's parent, lock it and look the last component up:
 * rmdir and unlink. Returns the positive dentry (referenced) with the
 * parent locked, or ERR_PTR with nothing locked.
 */
static struct dentry *lookup_for_remove(struct nameidata *nd, int dfd,
					const char *name, int dot_err)
{
	struct dentry *dir, *d;
	int err = path_parentat(nd, dfd, name);

	if (err)
		return ERR_PTR(err);
	if (nd->last_type == LAST_DOT)
		return ERR_PTR(dot_err);
	if (nd->last_type == LAST_DOTDOT)
		return ERR_PTR(dot_err == -EINVAL ? -ENOTEMPTY : dot_err);
	if (nd->last_type == LAST_ROOT)
		return ERR_PTR(-EBUSY);
	dir = nd->path.dentry;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_locked(dir, &nd->last);
	if (!IS_ERR(d) && !d->d_inode) {
		dput(d);
		d = ERR_PTR(-ENOENT);
	}
	if (IS_ERR(d))
		mutex_unlock(&dir->d_inode->i_mutex);
	return d;
}

int do_rmdir(int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d = lookup_for_remove(&nd, dfd, name, -EINVAL);
	int err = PTR_ERR(d);

	if (!IS_ERR(d)) {
		err = vfs_rmdir(nd.path.dentry->d_inode, d);
		done_path_create(&nd, d);
	}
	nd_cleanup(&nd);
	return err;
}

int do_unlinkat(int dfd, const char *name)
{
	struct nameidata nd;
	struct dentry *d = lookup_for_remove(&nd, dfd, name, -EISDIR);
	int err = PTR_ERR(d);

	if (IS_ERR(d))
		goto out;
	err = -ENOTDIR; /* "file/" */
	if (!(nd.flags & LOOKUP_DIRECTORY) || S_ISDIR(d->d_inode->i_mode))
		err = vfs_unlink(nd.path.dentry->d_inode, d);
	done_path_create(&nd, d);
out:
	nd_cleanup(&nd);
	return err;
}

int vfs_readlink(struct dentry *d, char *buf, int buflen)
{
	struct inode *inode = d->d_inode;
	struct delayed_call done = { 0 };
	const char *link;
	int len;

	if (!S_ISLNK(inode->i_mode) || !inode->i_op->get_link)
		return -EINVAL;
	if (buflen <= 0)
		return -EINVAL;
	link = inode->i_op->get_link(d, inode, &done);
	if (IS_ERR(link))
		return PTR_ERR(link);
	len = strnlen(link, PATH_MAX);
	if (len > buflen)
		len = buflen;
	memcpy(buf, link, len);
	do_delayed_call(&done);
	return len;
}

int do_readlinkat(int dfd, const char *name, char *buf, int buflen)
{
	struct path p;
	int err = vfs_path_lookup_at(dfd, name, 0, &p);

	if (err)
		return err;
	err = vfs_readlink(p.dentry, buf, buflen);
	path_put(&p);
	return err;
}

/* ---- the system calls ---- */

char *getname(const char __user *uname)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long n;

	if (!name)
		return ERR_PTR(-ENOMEM);
	n = strncpy_from_user(name, uname, PATH_MAX);
	if (n >= 0 && n < PATH_MAX)
		return name;
	kfree(name);
	return ERR_PTR(n < 0 ? -EFAULT : -ENAMETOOLONG);
}

void putname(char *name)
{
	kfree(name);
}

/* Run fn on one user path name. */
static long with_name(const char __user *uname,
		      long (*fn)(char *name, void *arg), void *arg)
{
	char *name = getname(uname);
	long ret;

	if (IS_ERR(name))
		return PTR_ERR(name);
	ret = fn(name, arg);
	putname(name);
	return ret;
}

/* ...and on two (rename, link, symlink). */
static long with_names(const char __user *u1, const char __user *u2,
		       long (*fn)(char *a, char *b, void *arg), void *arg)
{
	char *a = getname(u1), *b;
	long ret;

	if (IS_ERR(a))
		return PTR_ERR(a);
	b = getname(u2);
	ret = IS_ERR(b) ? PTR_ERR(b) : fn(a, b, arg);
	if (!IS_ERR(b))
		putname(b);
	putname(a);
	return ret;
}

struct at_args {
	int dfd, dfd2;
	umode_t mode;
	unsigned int flags;
	dev_t dev;
	char __user *buf;
	int bufsiz;
};

static long mkdir_fn(char *name, void *arg)
{
	struct at_args *a = arg;

	return do_mkdirat(a->dfd, name, a->mode);
}

SYSCALL_DEFINE3(mkdirat, int, dfd, const char __user *, pathname, umode_t, mode)
{
	struct at_args a = { .dfd = dfd, .mode = mode };

	return with_name(pathname, mkdir_fn, &a);
}

SYSCALL_DEFINE2(mkdir, const char __user *, pathname, umode_t, mode)
{
	struct at_args a = { .dfd = AT_FDCWD, .mode = mode };

	return with_name(pathname, mkdir_fn, &a);
}

static long mknod_fn(char *name, void *arg)
{
	struct at_args *a = arg;

	return do_mknodat(a->dfd, name, a->mode, a->dev);
}

/* The user's dev_t (Linux's new_encode_dev form) into keel's. */
static dev_t new_decode_dev(u32 dev)
{
	unsigned int major = (dev & 0xfff00) >> 8;
	unsigned int minor = (dev & 0xff) | ((dev >> 12) & 0xfff00);

	return MKDEV(major, minor);
}

SYSCALL_DEFINE4(mknodat, int, dfd, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	struct at_args a = { .dfd = dfd,
			     .mode = mode,
			     .dev = new_decode_dev(dev) };

	return with_name(filename, mknod_fn, &a);
}

SYSCALL_DEFINE3(mknod, const char __user *, filename, umode_t, mode,
		unsigned int, dev)
{
	struct at_args a = { .dfd = AT_FDCWD,
			     .mode = mode,
			     .dev = new_decode_dev(dev) };

	return with_name(filename, mknod_fn, &a);
}

static long rmdir_fn(char *name, void *arg)
{
	return do_rmdir(*(int *)arg, name);
}

static long unlink_fn(char *name, void *arg)
{
	return do_unlinkat(*(int *)arg, name);
}

SYSCALL_DEFINE1(rmdir, const char __user *, pathname)
{
	int dfd = AT_FDCWD;

	return with_name(pathname, rmdir_fn, &dfd);
}

SYSCALL_DEFINE1(unlink, const char __user *, pathname)
{
	int dfd = AT_FDCWD;

	return with_name(pathname, unlink_fn, &dfd);
}

SYSCALL_DEFINE3(unlinkat, int, dfd, const char __user *, pathname, int, flag)
{
	if (flag & ~AT_REMOVEDIR)
		return -EINVAL;
	return with_name(pathname, flag ? rmdir_fn : unlink_fn, &dfd);
}

static long rename_fn(char *from, char *to, void *arg)
{
	struct at_args *a = arg;

	return do_renameat2(a->dfd, from, a->dfd2, to, a->flags);
}

SYSCALL_DEFINE5(renameat2, int, olddfd, const char __user *, oldname, int,
		newdfd, const char __user *, newname, unsigned int, flags)
{
	struct at_args a = { .dfd = olddfd, .dfd2 = newdfd, .flags = flags };

	return with_names(oldname, newname, rename_fn, &a);
}

SYSCALL_DEFINE4(renameat, int, olddfd, const char __user *, oldname, int,
		newdfd, const char __user *, newname)
{
	struct at_args a = { .dfd = olddfd, .dfd2 = newdfd };

	return with_names(oldname, newname, rename_fn, &a);
}

SYSCALL_DEFINE2(rename, const char __user *, oldname, const char __user *,
		newname)
{
	struct at_args a = { .dfd = AT_FDCWD, .dfd2 = AT_FDCWD };

	return with_names(oldname, newname, rename_fn, &a);
}

static long link_fn(char *from, char *to, void *arg)
{
	struct at_args *a = arg;

	return do_linkat(a->dfd, from, a->dfd2, to, a->flags);
}

SYSCALL_DEFINE5(linkat, int, olddfd, const char __user *, oldname, int, newdfd,
		const char __user *, newname, int, flags)
{
	struct at_args a = { .dfd = olddfd, .dfd2 = newdfd, .flags = flags };

	return with_names(oldname, newname, link_fn, &a);
}

SYSCALL_DEFINE2(link, const char __user *, oldname, const char __user *,
		newname)
{
	struct at_args a = { .dfd = AT_FDCWD, .dfd2 = AT_FDCWD };

	return with_names(oldname, newname, link_fn, &a);
}

static long symlink_fn(char *target, char *name, void *arg)
{
	return do_symlinkat(target, *(int *)arg, name);
}

SYSCALL_DEFINE3(symlinkat, const char __user *, oldname, int, newdfd,
		const char __user *, newname)
{
	return with_names(oldname, newname, symlink_fn, &newdfd);
}

SYSCALL_DEFINE2(symlink, const char __user *, oldname, const char __user *,
		newname)
{
	int dfd = AT_FDCWD;

	return with_names(oldname, newname, symlink_fn, &dfd);
}

static long readlink_fn(char *name, void *arg)
{
	struct at_args *a = arg;
	char *buf = kmalloc(PATH_MAX, GFP_KERNEL);
	long n;

	if (!buf)
		return -ENOMEM;
	n = do_readlinkat(a->dfd, name, buf, min(a->bufsiz, PATH_MAX));
	if (n > 0 && copy_to_user(a->buf, buf, n))
		n = -EFAULT;
	kfree(buf);
	return n;
}

SYSCALL_DEFINE4(readlinkat, int, dfd, const char __user *, pathname,
		char __user *, buf, int, bufsiz)
{
	struct at_args a = { .dfd = dfd, .buf = buf, .bufsiz = bufsiz };

	if (bufsiz <= 0)
		return -EINVAL;
	return with_name(pathname, readlink_fn, &a);
}

SYSCALL_DEFINE3(readlink, const char __user *, path, char __user *, buf, int,
		bufsiz)
{
	struct at_args a = { .dfd = AT_FDCWD, .buf = buf, .bufsiz = bufsiz };

	if (bufsiz <= 0)
		return -EINVAL;
	return with_name(path, readlink_fn, &a);
}
