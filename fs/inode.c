// SPDX-License-Identifier: MIT
/*
 * inode.c - inode life cycle and link counts.
 *
 * An inode is referenced by each dentry bound to it and by whoever
 * called igrab(). There is no inode cache: the last iput() calls the
 * super block's evict_inode (which frees the file system's data, e.g.
 * ramfs pages) and frees the inode. A file system that keeps inodes
 * while they have links does so through its dentries (ramfs pins them).
 */
#include <keel/bug.h>
#include <keel/fs.h>
#include <keel/pipe_fs_i.h>
#include <keel/slab.h>
#include <keel/time.h>

struct inode *new_inode(struct super_block *sb)
{
	struct inode *inode = kzalloc(sizeof(*inode), GFP_KERNEL);

	if (!inode)
		return NULL;
	refcount_set(&inode->i_count, 1);
	mutex_init(&inode->i_mutex, "i_mutex");
	inode->i_sb = sb;
	inode->i_nlink = 1;
	inode->i_ino = __atomic_add_fetch(&sb->s_next_ino, 1, __ATOMIC_RELAXED);
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	return inode;
}

struct inode *igrab(struct inode *inode)
{
	refcount_inc(&inode->i_count);
	return inode;
}

void iput(struct inode *inode)
{
	if (!inode || !refcount_dec_and_test(&inode->i_count))
		return;
	if (inode->i_sb && inode->i_sb->s_op && inode->i_sb->s_op->evict_inode)
		inode->i_sb->s_op->evict_inode(inode);
	kfree(inode);
}

void inc_nlink(struct inode *inode)
{
	inode->i_nlink++;
}

void drop_nlink(struct inode *inode)
{
	if (!WARN_ON_ONCE(inode->i_nlink == 0))
		inode->i_nlink--;
}

void clear_nlink(struct inode *inode)
{
	inode->i_nlink = 0;
}

void set_nlink(struct inode *inode, unsigned int n)
{
	inode->i_nlink = n;
}

/*
 * Time stamps count from boot: keel reads no real-time clock.
 * TODO: a wall clock (CMOS RTC at boot) for time stamps and time().
 */
struct timespec64 current_time(struct inode *inode)
{
	u64 ns = ktime_get_ns();

	return (struct timespec64){ .tv_sec = ns / 1000000000ULL,
				    .tv_nsec = ns % 1000000000ULL };
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev)
{
	inode->i_mode = mode;
	if (S_ISCHR(mode)) {
		inode->i_fop = &def_chr_fops;
		inode->i_rdev = rdev;
	} else if (S_ISFIFO(mode)) {
		inode->i_fop = &pipefifo_fops;
	}
	/* TODO: block devices and sockets open to nothing yet */
}
