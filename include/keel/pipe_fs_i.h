/* SPDX-License-Identifier: MIT */
/*
 * keel/pipe_fs_i.h - pipes and FIFOs (fs/pipe.c): what the rest of fs/
 * calls. An anonymous pipe (pipe2) and a named FIFO (mknod S_IFIFO)
 * share one object, struct pipe_inode_info, reached from the inode's
 * i_pipe while a file is open on it and freed with the last one.
 */
#ifndef _KEEL_PIPE_FS_I_H
#define _KEEL_PIPE_FS_I_H

#include <keel/fs.h>

#define PIPE_BUF      4096	    /* writes up to this size are atomic */
#define PIPE_DEF_SIZE (16 * 4096)   /* Linux's default capacity */
#define PIPE_MAX_SIZE (1024 * 1024) /* /proc/sys/fs/pipe-max-size */

#define F_SETPIPE_SZ 1031
#define F_GETPIPE_SZ 1032

struct pipe_inode_info;

/* FIFO inodes open with this (init_special_inode). */
extern const struct file_operations pipefifo_fops;

/* F_GETPIPE_SZ / F_SETPIPE_SZ on f: the size, or -EBADF (no pipe). */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg);

#endif
