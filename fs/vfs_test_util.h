/* SPDX-License-Identifier: MIT */
/*
 * fs/vfs_test_util.h - what the VFS ktests share: a scratch ramfs
 * mounted on /kt for each case (unmounted after, so the case leaves
 * nothing in the root), an fd table for the test task, and small file
 * helpers.
 */
#ifndef _FS_VFS_TEST_UTIL_H
#define _FS_VFS_TEST_UTIL_H

#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/ktest.h>
#include <keel/sched.h>
#include <keel/printk.h>
#include <keel/string.h>

static inline int vfs_test_init(struct ktest *t)
{
	int err;

	current->files = files_struct_alloc();
	if (!current->files)
		return -ENOMEM;
	err = do_mkdirat(AT_FDCWD, "/kt", 0755);
	if (err)
		goto err_files;
	err = do_mount("none", "/kt", "ramfs", 0, NULL);
	if (err)
		goto err_rmdir;
	return 0;

	/* the runner calls exit only after a successful init: undo here */
err_rmdir:
	do_rmdir(AT_FDCWD, "/kt");
err_files:
	put_files_struct(current->files);
	current->files = NULL;
	return err;
}

static inline void vfs_test_exit(struct ktest *t)
{
	struct files_struct *files = current->files;

	current->files = NULL;
	put_files_struct(files);
	if (do_umount_path("/kt", 0))
		ktest_fail(t, __FILE__, __LINE__, "/kt still busy");
	else
		do_rmdir(AT_FDCWD, "/kt");
}

/* Does name exist (not following a last symlink)? */
static inline bool lookup_ok(const char *name)
{
	struct path p;

	if (kern_path(name, 0, &p))
		return false;
	path_put(&p);
	return true;
}

/* Create or truncate name and write s into it: bytes written or -E. */
static inline ssize_t vfs_test_put(const char *name, const char *s)
{
	struct file *f = filp_open(name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_write(f, s, strlen(s), &pos);
	fput(f);
	return n;
}

/* Read name into buf (NUL-terminated): bytes read or -E. */
static inline ssize_t vfs_test_get(const char *name, char *buf, size_t size)
{
	struct file *f = filp_open(name, O_RDONLY, 0);
	loff_t pos = 0;
	ssize_t n;

	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, size - 1, &pos);
	fput(f);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

#endif
