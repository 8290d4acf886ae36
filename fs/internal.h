/* SPDX-License-Identifier: MIT */
/*
 * fs/internal.h - what the files of fs/ share and nobody else uses: the
 * path walk's state and steps (fs/namei.c).
 */
#ifndef _FS_INTERNAL_H
#define _FS_INTERNAL_H

#include <keel/fs.h>

enum { LAST_NORM, LAST_ROOT, LAST_DOT, LAST_DOTDOT };

struct nameidata {
	struct path path; /* where the walk is (referenced) */
	struct path root; /* the task's root (referenced) */
	struct qstr last; /* the last component, in name */
	int last_type;
	unsigned int flags; /* LOOKUP_* */
	int total_link_count;
	char *name; /* the rest of the path (PATH_MAX) */
	char *tmp;  /* spare buffer for splicing a symlink */
};

/* Start a walk of name at dfd; nd_cleanup() after, also on error. */
int nd_init(struct nameidata *nd, int dfd, const char *name,
	    unsigned int flags);
void nd_cleanup(struct nameidata *nd);
int link_path_walk(struct nameidata *nd);
int lookup_last(struct nameidata *nd);
int path_parentat(struct nameidata *nd, int dfd, const char *name);
struct dentry *lookup_one_locked(struct dentry *dir, const struct qstr *name);
struct dentry *filename_create(struct nameidata *nd, int dfd, const char *name,
			       bool is_dir);
void done_path_create(struct nameidata *nd, struct dentry *d);
int vfs_rename(struct inode *old_dir, struct dentry *old, struct inode *new_dir,
	       struct dentry *new, unsigned int flags);

/* fs/dcache.c: d_path with mount_lock held by the caller */
char *__d_path(const struct path *p, const struct path *root, char *buf,
	       int buflen);

/* fs/namei_ops.c: a path name from user memory (kmalloc'd, PATH_MAX) */
char *getname(const char *uname);
void putname(char *name);

/* fs/open.c: a path from user memory, resolved (referenced) */
int user_path_at(int dfd, const char *uname, unsigned int flags,
		 struct path *p);

/* fs/file_table.c */
struct file *alloc_empty_file(int flags);

/* fs/ramfs.c: register ramfs and tmpfs */
int init_ramfs_fs(void);

#endif
