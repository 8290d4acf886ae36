/* SPDX-License-Identifier: MIT */
/*
 * keel/stat.h - file modes (Linux's S_IF* and permission bits) and
 * struct kstat, what vfs_getattr() reports (include/linux/stat.h).
 */
#ifndef _KEEL_STAT_H
#define _KEEL_STAT_H

#include <keel/types.h>

#define S_IFMT	  00170000
#define S_IFSOCK  0140000
#define S_IFLNK	  0120000
#define S_IFREG	  0100000
#define S_IFBLK	  0060000
#define S_IFDIR	  0040000
#define S_IFCHR	  0020000
#define S_IFIFO	  0010000
#define S_ISUID	  0004000
#define S_ISGID	  0002000
#define S_ISVTX	  0001000
#define S_IALLUGO 07777

#define S_ISLNK(m)  (((m)&S_IFMT) == S_IFLNK)
#define S_ISREG(m)  (((m)&S_IFMT) == S_IFREG)
#define S_ISDIR(m)  (((m)&S_IFMT) == S_IFDIR)
#define S_ISCHR(m)  (((m)&S_IFMT) == S_IFCHR)
#define S_ISBLK(m)  (((m)&S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m)&S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m)&S_IFMT) == S_IFSOCK)

/* d_type values of struct linux_dirent64 */
#define DT_UNKNOWN 0
#define DT_FIFO	   1
#define DT_CHR	   2
#define DT_DIR	   4
#define DT_BLK	   6
#define DT_REG	   8
#define DT_LNK	   10
#define DT_SOCK	   12

typedef u32 dev_t;
typedef unsigned short umode_t;

#define MINORBITS     20
#define MINORMASK     ((1U << MINORBITS) - 1)
#define MAJOR(dev)    ((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)    ((unsigned int)((dev)&MINORMASK))
#define MKDEV(ma, mi) (((ma) << MINORBITS) | (mi))

struct timespec64 {
	s64 tv_sec;
	long tv_nsec;
};

struct kstat {
	u64 ino;
	dev_t dev;
	umode_t mode;
	unsigned int nlink;
	u32 uid;
	u32 gid;
	dev_t rdev;
	s64 size;
	struct timespec64 atime;
	struct timespec64 mtime;
	struct timespec64 ctime;
	u32 blksize;
	u64 blocks; /* 512-byte units */
};

#endif
