// SPDX-License-Identifier: MIT
/*
 * namespace.c - the mount tree (one namespace for every task).
 *
 * A vfsmount grafts a super block's root on a dentry (the mountpoint)
 * of its parent mount; the root mount is its own parent. All mounts sit
 * on one list in mount order, and mount_lock protects that list, the
 * parent links and each dentry's d_mounted count. A mount is referenced
 * by the tree (one reference while attached) and by every struct path
 * that names it; umount refuses (-EBUSY) while any other reference or a
 * child mount exists. lookup_mnt takes its reference under mount_lock,
 * so the check at umount cannot race with a walk entering the mount.
 */
#include <keel/fs.h>
#include <keel/fs_struct.h>
#include <keel/bug.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>

#include "internal.h"

DEFINE_SPINLOCK(mount_lock);
static LIST_HEAD(mount_list);

struct vfsmount *mntget(struct vfsmount *m)
{
	if (m)
		refcount_inc(&m->mnt_count);
	return m;
}

/* The tree holds a reference while attached: this is never the last. */
void mntput(struct vfsmount *m)
{
	if (m && refcount_dec_and_test(&m->mnt_count))
		WARN_ONCE(1, "vfs: mount dropped while attached\n");
}

void path_get(const struct path *p)
{
	mntget(p->mnt);
	dget(p->dentry);
}

void path_put(const struct path *p)
{
	dput(p->dentry);
	mntput(p->mnt);
}

struct vfsmount *lookup_mnt(const struct path *p)
{
	struct vfsmount *m, *found = NULL;

	if (!__atomic_load_n(&p->dentry->d_mounted, __ATOMIC_ACQUIRE))
		return NULL;
	spin_lock(&mount_lock);
	/* the newest mount on a dentry hides the older ones */
	list_for_each_entry(m, &mount_list, mnt_list)
		if (m->mnt_parent == p->mnt && m->mnt_mountpoint == p->dentry &&
		    m != p->mnt)
			found = m;
	mntget(found);
	spin_unlock(&mount_lock);
	return found;
}

void iterate_mounts(void (*fn)(struct vfsmount *m, void *arg), void *arg)
{
	struct vfsmount *m;

	/* fn runs under mount_lock: it must not sleep */
	spin_lock(&mount_lock);
	list_for_each_entry(m, &mount_list, mnt_list)
		fn(m, arg);
	spin_unlock(&mount_lock);
}

/* A new mount of a new instance of type; ERR_PTR on failure. */
static struct vfsmount *vfs_kern_mount(struct file_system_type *type, int flags,
				       const char *dev_name, void *data)
{
	struct vfsmount *m = kzalloc(sizeof(*m), GFP_KERNEL);
	struct dentry *root;

	if (!m)
		return ERR_PTR(-ENOMEM);
	root = type->mount(type, flags, dev_name, data);
	if (IS_ERR(root)) {
		kfree(m);
		return ERR_PTR(PTR_ERR(root));
	}
	m->mnt_root = root;
	m->mnt_sb = root->d_sb;
	m->mnt_parent = m;
	m->mnt_mountpoint = root;
	refcount_set(&m->mnt_count, 1);
	strlcpy(m->mnt_devname, dev_name ? dev_name : "none",
		sizeof(m->mnt_devname));
	INIT_LIST_HEAD(&m->mnt_list);
	return m;
}

struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct vfsmount *m = vfs_kern_mount(type, 0, type->name, NULL);

	if (!IS_ERR(m)) {
		spin_lock(&mount_lock);
		m->mnt_sb->s_active++;
		spin_unlock(&mount_lock);
	}
	return m;
}

/* Attach m on mp (referenced, moved into m) under parent. */
static void attach_mnt(struct vfsmount *m, struct vfsmount *parent,
		       struct dentry *mp)
{
	spin_lock(&mount_lock);
	m->mnt_parent = parent ? parent : m;
	m->mnt_mountpoint = mp;
	if (parent)
		mntget(parent);
	__atomic_add_fetch(&mp->d_mounted, 1, __ATOMIC_RELEASE);
	m->mnt_sb->s_active++;
	list_add_tail(&m->mnt_list, &mount_list);
	spin_unlock(&mount_lock);
}

int do_mount(const char *dev_name, const char *dir_name, const char *type_name,
	     unsigned long flags, void *data)
{
	struct file_system_type *type = get_fs_type(type_name);
	struct vfsmount *m;
	struct path p;
	int err;

	if (!type)
		return -ENODEV;
	err = kern_path(dir_name, LOOKUP_FOLLOW, &p);
	if (err)
		return err;
	err = -ENOTDIR;
	if (!S_ISDIR(p.dentry->d_inode->i_mode))
		goto out;
	m = vfs_kern_mount(type, flags, dev_name, data);
	err = PTR_ERR(m);
	if (IS_ERR(m))
		goto out;
	attach_mnt(m, p.mnt, dget(p.dentry));
	err = 0;
out:
	path_put(&p);
	return err;
}

static bool mount_has_children(struct vfsmount *m)
{
	struct vfsmount *c;

	list_for_each_entry(c, &mount_list, mnt_list)
		if (c->mnt_parent == m && c != m)
			return true;
	return false;
}

/* Detach m unless busy; the caller holds one reference (from its walk). */
static int do_umount(struct vfsmount *m)
{
	struct super_block *sb = m->mnt_sb;
	bool last;

	spin_lock(&mount_lock);
	if (m->mnt_parent == m) {
		spin_unlock(&mount_lock);
		return -EINVAL; /* the root mount */
	}
	if (refcount_read(&m->mnt_count) > 2 || mount_has_children(m)) {
		spin_unlock(&mount_lock);
		return -EBUSY;
	}
	list_del_init(&m->mnt_list);
	__atomic_sub_fetch(&m->mnt_mountpoint->d_mounted, 1, __ATOMIC_RELEASE);
	last = --sb->s_active == 0;
	spin_unlock(&mount_lock);
	dput(m->mnt_mountpoint);
	mntput(m->mnt_parent);
	dput(m->mnt_root);
	kfree(m);
	if (last)
		deactivate_super(sb);
	return 0;
}

int do_umount_path(const char *name, int flags)
{
	struct path p;
	int err = kern_path(name, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	if (p.dentry != p.mnt->mnt_root) {
		path_put(&p);
		return -EINVAL;
	}
	dput(p.dentry);
	err = do_umount(p.mnt);
	if (err)
		mntput(p.mnt);
	return err;
}

/* Boot: mount ramfs as the root of the tree and of init_fs. */
void vfs_caches_init(void)
{
	struct file_system_type *type;
	struct vfsmount *m;
	struct path root;

	if (init_ramfs_fs())
		panic("vfs: cannot register ramfs");
	type = get_fs_type("ramfs");

	if (!type)
		panic("vfs: no ramfs to mount as root");
	m = vfs_kern_mount(type, 0, "rootfs", NULL);
	if (IS_ERR(m))
		panic("vfs: cannot mount the root ramfs (%s)",
		      errname(PTR_ERR(m)));
	attach_mnt(m, NULL, dget(m->mnt_root));
	root.mnt = m;
	root.dentry = m->mnt_root;
	set_fs_root(&init_fs, &root);
	set_fs_pwd(&init_fs, &root);
	pr_info("vfs: ramfs mounted as /\n");
}

/* ---- mount, umount2 ---- */

#define MNT_FORCE	0x1
#define MNT_DETACH	0x2
#define UMOUNT_NOFOLLOW 0x8

/* A short string (type, device name) from user memory into buf. */
static int get_short_name(const char __user *u, char *buf, size_t size)
{
	long n = strncpy_from_user(buf, u, size);

	if (n < 0)
		return -EFAULT;
	return (size_t)n == size ? -ENAMETOOLONG : 0;
}

/*
 * mount(2): a new instance of type on dir. Only new mounts: flags such
 * as MS_REMOUNT, MS_BIND or MS_MOVE are -EINVAL (TODO), data is not
 * read (no file system here takes options).
 */
SYSCALL_DEFINE5(mount, char __user *, dev_name, char __user *, dir_name,
		char __user *, type, unsigned long, flags, void __user *, data)
{
	char dev[32] = "none", fstype[32];
	char *dir;
	long err;

	if (flags & 0x3020) /* MS_REMOUNT | MS_BIND | MS_MOVE */
		return -EINVAL;
	err = get_short_name(type, fstype, sizeof(fstype));
	if (!err && dev_name)
		err = get_short_name(dev_name, dev, sizeof(dev));
	if (err)
		return err;
	dir = getname(dir_name);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	err = do_mount(dev, dir, fstype, flags, NULL);
	putname(dir);
	return err;
}

SYSCALL_DEFINE2(umount2, char __user *, name, int, flags)
{
	char *path;
	long err;

	if (flags & ~(MNT_FORCE | MNT_DETACH | UMOUNT_NOFOLLOW))
		return -EINVAL;
	path = getname(name);
	if (IS_ERR(path))
		return PTR_ERR(path);
	err = do_umount_path(path, flags); /* TODO: MNT_DETACH (lazy) */
	putname(path);
	return err;
}
