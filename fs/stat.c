// SPDX-License-Identifier: MIT
/* stat.c - a file's attributes as struct kstat. */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/string.h>
#include <keel/syscalls.h>

#include "internal.h"

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

/* ---- the system calls ---- */

/* Linux's x86_64 struct stat (arch/x86/include/uapi/asm/stat.h). */
struct stat {
	unsigned long st_dev;
	unsigned long st_ino;
	unsigned long st_nlink;
	unsigned int st_mode;
	unsigned int st_uid;
	unsigned int st_gid;
	unsigned int __pad0;
	unsigned long st_rdev;
	long st_size;
	long st_blksize;
	long st_blocks;
	unsigned long st_atime;
	unsigned long st_atime_nsec;
	unsigned long st_mtime;
	unsigned long st_mtime_nsec;
	unsigned long st_ctime;
	unsigned long st_ctime_nsec;
	long __unused4[3];
};
_Static_assert(sizeof(struct stat) == 144, "struct stat is Linux's");

/* A device number as the ABI carries it (Linux's new_encode_dev). */
static unsigned long new_encode_dev(dev_t dev)
{
	unsigned int major = MAJOR(dev), minor = MINOR(dev);

	return (minor & 0xff) | (major << 8) | ((minor & ~0xffU) << 12);
}

static int cp_new_stat(const struct kstat *k, struct stat __user *ubuf)
{
	struct stat st = {
		.st_dev = new_encode_dev(k->dev),
		.st_ino = k->ino,
		.st_nlink = k->nlink,
		.st_mode = k->mode,
		.st_uid = k->uid,
		.st_gid = k->gid,
		.st_rdev = new_encode_dev(k->rdev),
		.st_size = k->size,
		.st_blksize = k->blksize,
		.st_blocks = k->blocks,
		.st_atime = k->atime.tv_sec,
		.st_atime_nsec = k->atime.tv_nsec,
		.st_mtime = k->mtime.tv_sec,
		.st_mtime_nsec = k->mtime.tv_nsec,
		.st_ctime = k->ctime.tv_sec,
		.st_ctime_nsec = k->ctime.tv_nsec,
	};

	return copy_to_user(ubuf, &st, sizeof(st)) ? -EFAULT : 0;
}

static long stat_at(int dfd, const char __user *filename,
		    struct stat __user *ubuf, int flags)
{
	char *name = getname(filename);
	struct kstat k;
	int err;

	if (IS_ERR(name))
		return PTR_ERR(name);
	err = vfs_statx(dfd, name, flags, &k);
	putname(name);
	return err ? err : cp_new_stat(&k, ubuf);
}

SYSCALL_DEFINE2(stat, const char __user *, filename, struct stat __user *,
		statbuf)
{
	return stat_at(AT_FDCWD, filename, statbuf, 0);
}

SYSCALL_DEFINE2(lstat, const char __user *, filename, struct stat __user *,
		statbuf)
{
	return stat_at(AT_FDCWD, filename, statbuf, AT_SYMLINK_NOFOLLOW);
}

SYSCALL_DEFINE4(newfstatat, int, dfd, const char __user *, filename,
		struct stat __user *, statbuf, int, flag)
{
	return stat_at(dfd, filename, statbuf, flag);
}

SYSCALL_DEFINE2(fstat, unsigned int, fd, struct stat __user *, statbuf)
{
	struct file *f = fget(fd);
	struct kstat k;
	int err;

	if (!f)
		return -EBADF;
	err = vfs_getattr(&f->f_path, &k);
	fput(f);
	return err ? err : cp_new_stat(&k, statbuf);
}

/* Linux's struct statx (include/uapi/linux/stat.h), 256 bytes. */
struct statx_timestamp {
	s64 tv_sec;
	u32 tv_nsec;
	s32 __reserved;
};

struct statx {
	u32 stx_mask;
	u32 stx_blksize;
	u64 stx_attributes;
	u32 stx_nlink;
	u32 stx_uid;
	u32 stx_gid;
	u16 stx_mode;
	u16 __spare0[1];
	u64 stx_ino;
	u64 stx_size;
	u64 stx_blocks;
	u64 stx_attributes_mask;
	struct statx_timestamp stx_atime, stx_btime, stx_ctime, stx_mtime;
	u32 stx_rdev_major, stx_rdev_minor;
	u32 stx_dev_major, stx_dev_minor;
	u64 stx_mnt_id;
	u32 stx_dio_mem_align, stx_dio_offset_align;
	u64 __spare3[12];
};
_Static_assert(sizeof(struct statx) == 256, "struct statx is Linux's");

#define STATX_BASIC_STATS   0x000007ffU /* type..blocks, no btime */
#define STATX__RESERVED	    0x80000000U
#define AT_STATX_SYNC_TYPE  0x6000
#define AT_STATX_DONT_SYNC  0x4000
#define AT_STATX_FORCE_SYNC 0x2000

static struct statx_timestamp statx_ts(struct timespec64 t)
{
	return (struct statx_timestamp){ .tv_sec = t.tv_sec,
					 .tv_nsec = t.tv_nsec };
}

/*
 * SYSCALL statx: the basic stats (everything stat gives) whatever the
 * mask asks; no birth time, no attributes.
 */
SYSCALL_DEFINE5(statx, int, dfd, const char __user *, filename, unsigned int,
		flags, unsigned int, mask, struct statx __user *, buffer)
{
	struct statx sx;
	struct kstat k;
	char *name;
	int err;

	if (mask & STATX__RESERVED)
		return -EINVAL;
	if ((flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE)
		return -EINVAL;
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT |
		      AT_STATX_SYNC_TYPE))
		return -EINVAL;
	name = getname(filename);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = vfs_statx(dfd, name, flags & ~AT_STATX_SYNC_TYPE, &k);
	putname(name);
	if (err)
		return err;
	memset(&sx, 0, sizeof(sx));
	sx.stx_mask = STATX_BASIC_STATS;
	sx.stx_blksize = k.blksize;
	sx.stx_nlink = k.nlink;
	sx.stx_uid = k.uid;
	sx.stx_gid = k.gid;
	sx.stx_mode = k.mode;
	sx.stx_ino = k.ino;
	sx.stx_size = k.size;
	sx.stx_blocks = k.blocks;
	sx.stx_atime = statx_ts(k.atime);
	sx.stx_ctime = statx_ts(k.ctime);
	sx.stx_mtime = statx_ts(k.mtime);
	sx.stx_rdev_major = MAJOR(k.rdev);
	sx.stx_rdev_minor = MINOR(k.rdev);
	sx.stx_dev_major = MAJOR(k.dev);
	sx.stx_dev_minor = MINOR(k.dev);
	return copy_to_user(buffer, &sx, sizeof(sx)) ? -EFAULT : 0;
}
