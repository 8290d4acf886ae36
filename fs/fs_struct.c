// SPDX-License-Identifier: MIT
/*
 * fs_struct.c - a task's root and working directory (see
 * keel/fs_struct.h).
 */
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/syscalls.h>

struct fs_struct init_fs = {
	.users = REFCOUNT_INIT(1),
	.lock = SPINLOCK_INIT,
	.umask = 0022,
};

struct fs_struct *current_fs(void)
{
	struct fs_struct *fs = current->fs;

	return fs ? fs : &init_fs;
}

struct fs_struct *copy_fs_struct(struct fs_struct *old)
{
	struct fs_struct *fs = kzalloc(sizeof(*fs), GFP_KERNEL);

	if (!fs)
		return NULL;
	refcount_set(&fs->users, 1);
	spin_lock_init(&fs->lock);
	spin_lock(&old->lock);
	fs->umask = old->umask;
	fs->root = old->root;
	fs->pwd = old->pwd;
	path_get(&fs->root);
	path_get(&fs->pwd);
	spin_unlock(&old->lock);
	return fs;
}

void put_fs_struct(struct fs_struct *fs)
{
	if (!fs || fs == &init_fs || !refcount_dec_and_test(&fs->users))
		return;
	path_put(&fs->root);
	path_put(&fs->pwd);
	kfree(fs);
}

static void get_fs_path(struct fs_struct *fs, const struct path *src,
			struct path *dst)
{
	spin_lock(&fs->lock);
	*dst = *src;
	path_get(dst);
	spin_unlock(&fs->lock);
}

void get_fs_root(struct fs_struct *fs, struct path *root)
{
	get_fs_path(fs, &fs->root, root);
}

void get_fs_pwd(struct fs_struct *fs, struct path *pwd)
{
	get_fs_path(fs, &fs->pwd, pwd);
}

static void set_fs_path(struct fs_struct *fs, struct path *dst,
			const struct path *path)
{
	struct path old;

	path_get(path);
	spin_lock(&fs->lock);
	old = *dst;
	*dst = *path;
	spin_unlock(&fs->lock);
	if (old.dentry)
		path_put(&old);
}

void set_fs_root(struct fs_struct *fs, const struct path *path)
{
	set_fs_path(fs, &fs->root, path);
}

void set_fs_pwd(struct fs_struct *fs, const struct path *path)
{
	set_fs_path(fs, &fs->pwd, path);
}

struct fs_struct *copy_fs(unsigned long clone_flags)
{
	struct fs_struct *fs = current->fs;

	if (!fs)
		return NULL;
	if (clone_flags & CLONE_FS) {
		refcount_inc(&fs->users);
		return fs;
	}
	fs = copy_fs_struct(fs);
	return fs ? fs : ERR_PTR(-ENOMEM);
}

void exit_fs(struct task *tsk)
{
	struct fs_struct *fs;
	unsigned long flags;

	/* pi_lock: /proc/PID/cwd reads another task's fs under it */
	spin_lock_irqsave(&tsk->pi_lock, flags);
	fs = tsk->fs;
	tsk->fs = NULL;
	spin_unlock_irqrestore(&tsk->pi_lock, flags);
	put_fs_struct(fs);
}

/* ---- umask, getcwd ---- */

SYSCALL_DEFINE1(umask, int, mask)
{
	struct fs_struct *fs = current_fs();

	return xchg(&fs->umask, mask & 0777);
}

/*
 * The cwd's path relative to the root; -ENOENT if the cwd was removed,
 * -ERANGE if size is too small (as Linux).
 */
SYSCALL_DEFINE2(getcwd, char __user *, buf, unsigned long, size)
{
	char *page = kmalloc(PATH_MAX, GFP_KERNEL);
	struct path pwd, root;
	long len;
	char *p;

	if (!page)
		return -ENOMEM;
	get_fs_root(current_fs(), &root);
	get_fs_pwd(current_fs(), &pwd);
	p = d_path(&pwd, &root, page, PATH_MAX);
	len = IS_ERR(p) ? PTR_ERR(p) : page + PATH_MAX - p;
	if (!IS_ERR(p) && (pwd.dentry->d_flags & DCACHE_UNHASHED))
		len = -ENOENT;
	else if (len > 0 && (unsigned long)len > size)
		len = -ERANGE;
	else if (len > 0 && copy_to_user(buf, p, len))
		len = -EFAULT;
	path_put(&pwd);
	path_put(&root);
	kfree(page);
	return len;
}
