// SPDX-License-Identifier: MIT
/*
 * namei.c - the path walk.
 *
 * A walk keeps its position in nd->path (referenced) and the rest of
 * the name in a PATH_MAX buffer. link_path_walk() consumes every
 * component but the last: "." stays, ".." goes up (at a mount's root,
 * to its mountpoint first; never above the task's root), a name is
 * looked up in the dcache or, under the directory's i_mutex, by the
 * file system, and a mount on the result is entered. A symlink met on
 * the way is spliced into the buffer ("target/rest") and the walk goes
 * on from its directory (or the root, for an absolute target), so
 * symlinks need no recursion; more than MAXSYMLINKS of them in one walk
 * is -ELOOP. The last component is left in nd->last for the caller:
 * a lookup steps into it, create-type operations (mkdir, unlink,
 * rename...) lock its parent and act on it.
 *
 * Everything runs as root: TODO: permission checks (uid, mode bits).
 */
#include <keel/fs.h>
#include <keel/fs_struct.h>
#include <keel/fdtable.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "internal.h"

static DEFINE_MUTEX(rename_mutex);

static void nd_free_bufs(struct nameidata *nd)
{
	kfree(nd->name);
	kfree(nd->tmp);
	nd->name = nd->tmp = NULL;
}

void nd_cleanup(struct nameidata *nd)
{
	if (nd->path.dentry)
		path_put(&nd->path);
	if (nd->root.dentry)
		path_put(&nd->root);
	nd->path.dentry = nd->root.dentry = NULL;
	nd_free_bufs(nd);
}

/* The starting directory for a relative name: cwd or dfd's file. */
static int nd_start_at(struct nameidata *nd, int dfd)
{
	struct file *f;

	if (dfd == AT_FDCWD) {
		get_fs_pwd(current_fs(), &nd->path);
		return 0;
	}
	f = fget(dfd);
	if (!f)
		return -EBADF;
	if (!S_ISDIR(file_inode(f)->i_mode)) {
		fput(f);
		return -ENOTDIR;
	}
	nd->path = f->f_path;
	path_get(&nd->path);
	fput(f);
	return 0;
}

int nd_init(struct nameidata *nd, int dfd, const char *name, unsigned int flags)
{
	size_t len = strnlen(name, PATH_MAX);

	memset(nd, 0, sizeof(*nd));
	nd->flags = flags;
	if (len == PATH_MAX)
		return -ENAMETOOLONG;
	if (!len)
		return -ENOENT;
	nd->name = kmalloc(PATH_MAX, GFP_KERNEL);
	nd->tmp = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!nd->name || !nd->tmp) {
		nd_free_bufs(nd);
		return -ENOMEM;
	}
	memcpy(nd->name, name, len + 1);
	get_fs_root(current_fs(), &nd->root);
	if (name[0] == '/') {
		nd->path = nd->root;
		path_get(&nd->path);
		return 0;
	}
	return nd_start_at(nd, dfd);
}

static bool nd_at_dir(const struct nameidata *nd)
{
	return S_ISDIR(nd->path.dentry->d_inode->i_mode);
}

/* Enter whatever is mounted on path, repeatedly. */
static void follow_mount(struct path *path)
{
	struct vfsmount *m;

	while ((m = lookup_mnt(path))) {
		dput(path->dentry);
		mntput(path->mnt);
		path->mnt = m;
		path->dentry = dget(m->mnt_root);
	}
}

/* From a mount's root to its mountpoint; false at the top. */
static bool follow_up(struct path *path)
{
	struct vfsmount *parent;
	struct dentry *mp;

	spin_lock(&mount_lock);
	parent = path->mnt->mnt_parent;
	if (parent == path->mnt) {
		spin_unlock(&mount_lock);
		return false;
	}
	mntget(parent);
	mp = dget(path->mnt->mnt_mountpoint);
	spin_unlock(&mount_lock);
	path_put(path);
	path->mnt = parent;
	path->dentry = mp;
	return true;
}

static void follow_dotdot(struct nameidata *nd)
{
	for (;;) {
		struct dentry *d = nd->path.dentry;

		if (path_equal(&nd->path, &nd->root))
			break;
		if (d != nd->path.mnt->mnt_root) {
			nd->path.dentry = dget_parent(d);
			dput(d);
			break;
		}
		if (!follow_up(&nd->path))
			break;
	}
	follow_mount(&nd->path);
}

/* Ask the file system (dir->i_mutex held); a referenced dentry. */
static struct dentry *lookup_real(struct dentry *dir, const struct qstr *name,
				  unsigned int flags)
{
	struct inode *inode = dir->d_inode;
	struct dentry *d, *r;

	lockdep_assert_held(&inode->i_mutex);
	if (!inode->i_op || !inode->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	if (!inode->i_nlink)
		return ERR_PTR(-ENOENT); /* a removed directory */
	d = d_alloc(dir, name);
	if (!d)
		return ERR_PTR(-ENOMEM);
	r = inode->i_op->lookup(inode, d, flags);
	if (r) {
		dput(d);
		return r;
	}
	return d;
}

/* The child named name of dir, positive or negative; dir locked. */
struct dentry *lookup_one_locked(struct dentry *dir, const struct qstr *name)
{
	struct dentry *d = d_lookup(dir, name);

	return d ? d : lookup_real(dir, name, 0);
}

/* As lookup_one_locked, taking dir's i_mutex only on a cache miss. */
static struct dentry *lookup_one(struct dentry *dir, const struct qstr *name)
{
	struct dentry *d = d_lookup(dir, name);

	if (d)
		return d;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_locked(dir, name);
	mutex_unlock(&dir->d_inode->i_mutex);
	return d;
}

/*
 * Follow the symlink at link: the buffer becomes "target/rest" (or just
 * target) and the walk restarts at the root for an absolute target.
 */
static int pick_link(struct nameidata *nd, const struct path *link,
		     const char *rest)
{
	struct inode *inode = link->dentry->d_inode;
	struct delayed_call done = { 0 };
	const char *target;
	size_t tlen, rlen = strlen(rest);
	char *swap;

	if (++nd->total_link_count > MAXSYMLINKS)
		return -ELOOP;
	if (!inode->i_op || !inode->i_op->get_link)
		return -EINVAL;
	target = inode->i_op->get_link(link->dentry, inode, &done);
	if (IS_ERR(target))
		return PTR_ERR(target);
	tlen = strnlen(target, PATH_MAX);
	if (!tlen || tlen + 1 + rlen + 1 > PATH_MAX) {
		do_delayed_call(&done);
		return tlen ? -ENAMETOOLONG : -ENOENT;
	}
	memcpy(nd->tmp, target, tlen);
	nd->tmp[tlen] = '\0';
	if (rlen) {
		nd->tmp[tlen] = '/';
		memcpy(nd->tmp + tlen + 1, rest, rlen + 1);
	}
	if (target[0] == '/') {
		path_put(&nd->path);
		nd->path = nd->root;
		path_get(&nd->path);
	}
	do_delayed_call(&done);
	swap = nd->name;
	nd->name = nd->tmp;
	nd->tmp = swap;
	return 0;
}

/* A referenced path to the child name of nd->path (mounts entered). */
static int step_lookup(struct nameidata *nd, const struct qstr *name,
		       struct path *child)
{
	struct dentry *d;

	if (!nd_at_dir(nd))
		return -ENOTDIR;
	d = lookup_one(nd->path.dentry, name);
	if (IS_ERR(d))
		return PTR_ERR(d);
	if (!d->d_inode) {
		dput(d);
		return -ENOENT;
	}
	child->mnt = mntget(nd->path.mnt);
	child->dentry = d;
	follow_mount(child);
	return 0;
}

static int last_type_of(const char *s, u32 len)
{
	if (len == 1 && s[0] == '.')
		return LAST_DOT;
	if (len == 2 && s[0] == '.' && s[1] == '.')
		return LAST_DOTDOT;
	return LAST_NORM;
}

/*
 * Go to name (a component) from nd->path. A symlink is followed when
 * follow is set: returns 1 and the walk restarts in the new buffer.
 */
static int walk_component(struct nameidata *nd, const struct qstr *name,
			  int type, bool follow, const char *rest)
{
	struct path child;
	int err;

	if (type != LAST_NORM && !nd_at_dir(nd))
		return -ENOTDIR;
	if (type == LAST_DOT)
		return 0;
	if (type == LAST_DOTDOT) {
		follow_dotdot(nd);
		return 0;
	}
	err = step_lookup(nd, name, &child);
	if (err)
		return err;
	/* step_lookup() set child when it returned 0 */
	// NOLINTNEXTLINE(clang-analyzer-core.NullDereference)
	if (follow && S_ISLNK(child.dentry->d_inode->i_mode)) {
		err = pick_link(nd, &child, rest);
		path_put(&child);
		return err ? err : 1;
	}
	path_put(&nd->path);
	nd->path = child;
	return 0;
}

/*
 * Walk every component but the last; leave it in nd->last and
 * nd->last_type (LAST_ROOT if the name ends at a directory: "/").
 * A trailing slash adds LOOKUP_DIRECTORY.
 */
int link_path_walk(struct nameidata *nd)
{
	char *p = nd->name;

	for (;;) {
		char *start, *rest;
		struct qstr name;
		int err, type;

		while (*p == '/')
			p++;
		if (!*p) {
			nd->last_type = LAST_ROOT;
			return nd_at_dir(nd) ? 0 : -ENOTDIR;
		}
		for (start = p; *p && *p != '/'; p++)
			;
		name = (struct qstr){ start, p - start };
		if (name.len > NAME_MAX)
			return -ENAMETOOLONG;
		type = last_type_of(start, name.len);
		for (rest = p; *rest == '/'; rest++)
			;
		if (!*rest) {
			if (rest != p)
				nd->flags |= LOOKUP_DIRECTORY;
			nd->last = name;
			nd->last_type = type;
			return 0;
		}
		err = walk_component(nd, &name, type, true, rest);
		if (err < 0)
			return err;
		p = err ? nd->name : rest;
	}
}

/*
 * Step into the last component. Returns 0 (nd->path is the result),
 * 1 (a symlink was followed: walk again) or -Exxx.
 */
int lookup_last(struct nameidata *nd)
{
	bool follow = nd->flags & (LOOKUP_FOLLOW | LOOKUP_DIRECTORY);
	int err = 0;

	if (nd->last_type != LAST_ROOT)
		err = walk_component(nd, &nd->last, nd->last_type, follow, "");
	if (err)
		return err;
	if ((nd->flags & LOOKUP_DIRECTORY) && !nd_at_dir(nd))
		return -ENOTDIR;
	return 0;
}

int vfs_path_lookup_at(int dfd, const char *name, unsigned int flags,
		       struct path *path)
{
	struct nameidata nd;
	int err = nd_init(&nd, dfd, name, flags);

	while (!err) {
		err = link_path_walk(&nd);
		if (!err)
			err = lookup_last(&nd);
		if (err != 1)
			break;
		err = 0;
	}
	if (!err) {
		*path = nd.path;
		nd.path.dentry = NULL;
	}
	nd_cleanup(&nd);
	return err;
}

int kern_path(const char *name, unsigned int flags, struct path *path)
{
	return vfs_path_lookup_at(AT_FDCWD, name, flags, path);
}

/* Walk to the parent of name's last component (not followed). */
int path_parentat(struct nameidata *nd, int dfd, const char *name)
{
	int err = nd_init(nd, dfd, name, 0);

	if (!err)
		err = link_path_walk(nd);
	return err;
}

/*
 * For mkdir, mknod, symlink, link: lock the parent and return the
 * negative dentry of the new name (referenced). -EEXIST if it exists,
 * -ENOENT for a trailing slash on anything but a directory.
 */
struct dentry *filename_create(struct nameidata *nd, int dfd, const char *name,
			       bool is_dir)
{
	struct dentry *dir, *d;
	int err = path_parentat(nd, dfd, name);

	if (err)
		return ERR_PTR(err);
	if (nd->last_type != LAST_NORM)
		return ERR_PTR(-EEXIST);
	dir = nd->path.dentry;
	mutex_lock(&dir->d_inode->i_mutex);
	d = lookup_one_locked(dir, &nd->last);
	if (IS_ERR(d))
		goto out_unlock;
	err = -EEXIST;
	if (d->d_inode)
		goto out_dput;
	err = -ENOENT;
	if ((nd->flags & LOOKUP_DIRECTORY) && !is_dir)
		goto out_dput;
	return d;
out_dput:
	dput(d);
	d = ERR_PTR(err);
out_unlock:
	mutex_unlock(&dir->d_inode->i_mutex);
	return d;
}

void done_path_create(struct nameidata *nd, struct dentry *d)
{
	mutex_unlock(&nd->path.dentry->d_inode->i_mutex);
	dput(d);
}

/* Lock the two parent directories of a rename (see fs.h's order). */
static void lock_rename(struct dentry *p1, struct dentry *p2)
{
	mutex_lock(&rename_mutex);
	if (p1 == p2) {
		mutex_lock(&p1->d_inode->i_mutex);
		return;
	}
	if (is_subdir(p1, p2)) {
		mutex_lock(&p2->d_inode->i_mutex);
		mutex_lock(&p1->d_inode->i_mutex);
	} else {
		mutex_lock(&p1->d_inode->i_mutex);
		mutex_lock(&p2->d_inode->i_mutex);
	}
}

static void unlock_rename(struct dentry *p1, struct dentry *p2)
{
	mutex_unlock(&p1->d_inode->i_mutex);
	if (p1 != p2)
		mutex_unlock(&p2->d_inode->i_mutex);
	mutex_unlock(&rename_mutex);
}

/* Checks of rename(old, new) before the file system is asked. */
static int may_rename(struct dentry *old, struct dentry *new,
		      struct dentry *new_dir, unsigned int flags)
{
	struct inode *src = old->d_inode, *dst = new->d_inode;

	if (!src)
		return -ENOENT;
	if (old->d_mounted || new->d_mounted)
		return -EBUSY;
	if (S_ISDIR(src->i_mode) && is_subdir(new_dir, old))
		return -EINVAL; /* into itself */
	if (!dst)
		return 0;
	if (flags & RENAME_NOREPLACE)
		return -EEXIST;
	if (is_subdir(old->d_parent, new))
		return -ENOTEMPTY; /* over one of its ancestors */
	if (S_ISDIR(src->i_mode) && !S_ISDIR(dst->i_mode))
		return -ENOTDIR;
	if (!S_ISDIR(src->i_mode) && S_ISDIR(dst->i_mode))
		return -EISDIR;
	return 0;
}

/* Both parents locked; old and new referenced. */
int vfs_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
	       struct dentry *new, unsigned int flags)
{
	struct inode *target = new->d_inode;
	int err = may_rename(old, new, new->d_parent, flags);

	if (err)
		return err;
	if (old->d_inode == target)
		return 0; /* two links of one file: nothing to do */
	if (!old_dir->i_op->rename)
		return -EPERM;
	if (target)
		mutex_lock(&target->i_mutex);
	err = old_dir->i_op->rename(old_dir, old, new_dir, new, flags);
	if (target)
		mutex_unlock(&target->i_mutex);
	if (!err)
		d_move(old, new);
	return err;
}

static int rename_locked(struct nameidata *o, struct nameidata *n,
			 unsigned int flags)
{
	struct dentry *od = o->path.dentry, *ndir = n->path.dentry;
	struct dentry *old, *new;
	int err;

	old = lookup_one_locked(od, &o->last);
	if (IS_ERR(old))
		return PTR_ERR(old);
	new = lookup_one_locked(ndir, &n->last);
	err = PTR_ERR(new);
	if (IS_ERR(new))
		goto out_old;
	err = -ENOTDIR;
	if (((o->flags | n->flags) & LOOKUP_DIRECTORY) && old->d_inode &&
	    !S_ISDIR(old->d_inode->i_mode))
		goto out_new;
	err = vfs_rename(od->d_inode, old, ndir->d_inode, new, flags);
out_new:
	dput(new);
out_old:
	dput(old);
	return err;
}

int do_renameat2(int olddfd, const char *oldname, int newdfd,
		 const char *newname, unsigned int flags)
{
	struct nameidata o, n;
	int err;

	if (flags & ~RENAME_NOREPLACE)
		return -EINVAL; /* TODO: RENAME_EXCHANGE, RENAME_WHITEOUT */
	err = path_parentat(&o, olddfd, oldname);
	if (err)
		goto out_old;
	err = path_parentat(&n, newdfd, newname);
	if (err)
		goto out;
	err = -EBUSY;
	if (o.last_type != LAST_NORM || n.last_type != LAST_NORM)
		goto out;
	err = -EXDEV;
	if (o.path.mnt != n.path.mnt)
		goto out;
	lock_rename(o.path.dentry, n.path.dentry);
	err = rename_locked(&o, &n, flags);
	unlock_rename(o.path.dentry, n.path.dentry);
out:
	nd_cleanup(&n);
out_old:
	nd_cleanup(&o);
	return err;
}
