/* SPDX-License-Identifier: MIT */
/*
 * keel/fs_struct.h - a task's root, working directory and umask
 * (Linux's fs_struct). lock protects root and pwd: readers copy a path
 * and take references under it. Kernel threads without one use
 * init_fs (root and cwd: the root of the mount tree).
 */
#ifndef _KEEL_FS_STRUCT_H
#define _KEEL_FS_STRUCT_H

#include <keel/fs.h>

struct fs_struct {
	refcount_t users;
	spinlock_t lock;
	int umask;
	struct path root;
	struct path pwd;
};

extern struct fs_struct init_fs;

/* current->fs, or init_fs for a task without one. */
struct fs_struct *current_fs(void);
/* fork: a copy with the same root, cwd and umask; NULL if no memory. */
struct fs_struct *copy_fs_struct(struct fs_struct *old);
void put_fs_struct(struct fs_struct *fs);
/*
 * fork/clone: the child's fs_struct - current's shared (CLONE_FS,
 * keel/fdtable.h) or a copy; NULL if current has none (it uses
 * init_fs); ERR_PTR(-ENOMEM).
 */
struct fs_struct *copy_fs(unsigned long clone_flags);
struct task;
/* exit: drop tsk's fs_struct. */
void exit_fs(struct task *tsk);
void get_fs_root(struct fs_struct *fs, struct path *root);
void get_fs_pwd(struct fs_struct *fs, struct path *pwd);
void set_fs_root(struct fs_struct *fs, const struct path *path);
void set_fs_pwd(struct fs_struct *fs, const struct path *path);

#endif
