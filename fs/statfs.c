// SPDX-License-Identifier: MIT
/*
 * statfs.c - statfs(2) and fstatfs(2): a file system's type and sizes,
 * in Linux's x86_64 struct statfs (busybox df reads it).
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/string.h>
#include <keel/syscalls.h>

#include "internal.h"

int vfs_statfs(const struct path *path, struct kstatfs *buf)
{
	struct super_block *sb = path->dentry->d_sb;

	memset(buf, 0, sizeof(*buf));
	buf->f_type = sb->s_magic;
	buf->f_bsize = buf->f_frsize = 4096;
	buf->f_namelen = NAME_MAX;
	if (sb->s_op && sb->s_op->statfs)
		return sb->s_op->statfs(path->dentry, buf);
	return 0;
}

/* Linux's x86_64 struct statfs (asm-generic/statfs.h, 64-bit words). */
struct statfs {
	long f_type;
	long f_bsize;
	long f_blocks;
	long f_bfree;
	long f_bavail;
	long f_files;
	long f_ffree;
	int f_fsid[2];
	long f_namelen;
	long f_frsize;
	long f_flags;
	long f_spare[4];
};
_Static_assert(sizeof(struct statfs) == 120, "struct statfs is Linux's");

static long do_statfs(const struct path *p, struct statfs __user *ubuf)
{
	struct kstatfs k;
	struct statfs st = { 0 };
	int err = vfs_statfs(p, &k);

	if (err)
		return err;
	st.f_type = k.f_type;
	st.f_bsize = k.f_bsize;
	st.f_blocks = k.f_blocks;
	st.f_bfree = k.f_bfree;
	st.f_bavail = k.f_bavail;
	st.f_files = k.f_files;
	st.f_ffree = k.f_ffree;
	st.f_fsid[0] = p->dentry->d_sb->s_dev;
	st.f_namelen = k.f_namelen;
	st.f_frsize = k.f_frsize;
	st.f_flags = k.f_flags;
	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct statfs __user *,
		buf)
{
	struct path p;
	int err = user_path_at(AT_FDCWD, pathname, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	err = do_statfs(&p, buf);
	path_put(&p);
	return err;
}

SYSCALL_DEFINE2(fstatfs, unsigned int, fd, struct statfs __user *, buf)
{
	struct file *f = fget(fd);
	long err;

	if (!f)
		return -EBADF;
	err = do_statfs(&f->f_path, buf);
	fput(f);
	return err;
}
