// SPDX-License-Identifier: MIT
/*
 * namei_test.c - the path walk and the directory operations, on a
 * scratch ramfs mounted at /kt (fs/vfs_test_util.h).
 */
#include <keel/fs_struct.h>
#include <keel/printk.h>
#include <keel/slab.h>

#include "vfs_test_util.h"

static int lookup_err(const char *name, unsigned int flags)
{
	struct path p;
	int err = kern_path(name, flags, &p);

	if (!err)
		path_put(&p);
	return err;
}

/* The inode number name resolves to (following links), or -E. */
static long ino_of(const char *name)
{
	struct kstat st;
	int err = vfs_statx(AT_FDCWD, name, 0, &st);

	return err ? err : (long)st.ino;
}

static void walk_dot_dotdot(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/a", 0755), 0);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/a/b", 0755), 0);
	KTEST_EXPECT_EQ(t, ino_of("/kt/a/b/.."), ino_of("/kt/a"));
	KTEST_EXPECT_EQ(t, ino_of("/kt/a/./b/../."), ino_of("/kt/a"));
	KTEST_EXPECT_EQ(t, ino_of("//kt///a//b//"), ino_of("/kt/a/b"));
	/* ".." at the root stays at the root */
	KTEST_EXPECT_EQ(t, ino_of("/../../.."), ino_of("/"));
	KTEST_EXPECT_EQ(t, ino_of("/../kt/a/../../kt/a"), ino_of("/kt/a"));
}

static void walk_errors(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/d", 0755), 0);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "x"), 1);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/nope", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/nope/x", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/f/x", 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/f/", 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/f/.", 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/f/..", 0), -ENOTDIR);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/d/", 0), 0);
	KTEST_EXPECT_EQ(t, lookup_err("", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/f", LOOKUP_DIRECTORY), -ENOTDIR);
}

static void walk_name_too_long(struct ktest *t)
{
	char *name = kmalloc(PATH_MAX + 16, GFP_KERNEL);
	int len;

	KTEST_ASSERT_NOT_NULL(t, name);
	/* a 255-byte component is fine (it just does not exist) */
	len = snprintf(name, PATH_MAX, "/kt/");
	memset(name + len, 'n', NAME_MAX);
	name[len + NAME_MAX] = '\0';
	KTEST_EXPECT_EQ(t, lookup_err(name, 0), -ENOENT);
	KTEST_EXPECT_EQ(t, do_mkdirat(AT_FDCWD, name, 0755), 0);
	KTEST_EXPECT_EQ(t, lookup_err(name, 0), 0);
	/* 256 bytes is too long, as the last or a middle component */
	memcpy(name + len + NAME_MAX, "n", 2);
	KTEST_EXPECT_EQ(t, lookup_err(name, 0), -ENAMETOOLONG);
	KTEST_EXPECT_EQ(t, do_mkdirat(AT_FDCWD, name, 0755), -ENAMETOOLONG);
	memcpy(name + len + NAME_MAX + 1, "/x", 3);
	KTEST_EXPECT_EQ(t, lookup_err(name, 0), -ENAMETOOLONG);
	/* a path of PATH_MAX bytes (no room for the NUL) is too long */
	for (int i = 0; i < PATH_MAX; i += 2)
		memcpy(name + i, "./", 2);
	name[0] = '/';
	name[PATH_MAX] = '\0';
	KTEST_EXPECT_EQ(t, lookup_err(name, 0), -ENAMETOOLONG);
	name[PATH_MAX - 1] = '\0'; /* 4095 bytes: fine */
	KTEST_EXPECT_EQ(t, lookup_err(name, 0), 0);
	kfree(name);
}

static void walk_symlinks(struct ktest *t)
{
	char buf[64];

	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/dir", 0755), 0);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/dir/file", "data"), 4);
	KTEST_ASSERT_EQ(t, do_symlinkat("dir", AT_FDCWD, "/kt/rel"), 0);
	KTEST_ASSERT_EQ(t, do_symlinkat("/kt/dir/file", AT_FDCWD, "/kt/abs"),
			0);
	KTEST_ASSERT_EQ(t, do_symlinkat("missing", AT_FDCWD, "/kt/dangle"), 0);
	KTEST_EXPECT_EQ(t, ino_of("/kt/rel/file"), ino_of("/kt/dir/file"));
	KTEST_EXPECT_EQ(t, ino_of("/kt/abs"), ino_of("/kt/dir/file"));
	KTEST_EXPECT_EQ(t, ino_of("/kt/rel/../rel/file"),
			ino_of("/kt/dir/file"));
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/abs", buf, sizeof(buf)), 4);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/dangle", LOOKUP_FOLLOW), -ENOENT);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/dangle", 0), 0);
	KTEST_EXPECT_EQ(t, do_readlinkat(AT_FDCWD, "/kt/rel", buf, 64), 3);
	KTEST_EXPECT_MEMEQ(t, buf, "dir", 3);
	KTEST_EXPECT_EQ(t, do_readlinkat(AT_FDCWD, "/kt/dir", buf, 64),
			-EINVAL);
	/* a trailing slash follows the link and wants a directory */
	KTEST_EXPECT_EQ(t, lookup_err("/kt/rel/", 0), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/abs/", 0), -ENOTDIR);
}

/* /kt/lN -> lN-1 ... l1 -> l0 -> dir: n links to follow from lN. */
static void make_chain(struct ktest *t, int n)
{
	char target[16], name[16];

	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/l0", 0755), 0);
	for (int i = 1; i <= n; i++) {
		snprintf(target, sizeof(target), "l%d", i - 1);
		snprintf(name, sizeof(name), "/kt/l%d", i);
		KTEST_ASSERT_EQ(t, do_symlinkat(target, AT_FDCWD, name), 0);
	}
}

static void walk_symlink_loop_limit(struct ktest *t)
{
	make_chain(t, MAXSYMLINKS + 1);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/l40", LOOKUP_FOLLOW), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/l40/", 0), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/l41", LOOKUP_FOLLOW), -ELOOP);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/l41/x", 0), -ELOOP);
	/* a link to itself and a two-link cycle */
	KTEST_ASSERT_EQ(t, do_symlinkat("self", AT_FDCWD, "/kt/self"), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/self", LOOKUP_FOLLOW), -ELOOP);
	KTEST_ASSERT_EQ(t, do_symlinkat("/kt/b", AT_FDCWD, "/kt/a"), 0);
	KTEST_ASSERT_EQ(t, do_symlinkat("/kt/a", AT_FDCWD, "/kt/b"), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/a/x", 0), -ELOOP);
	KTEST_EXPECT_EQ(t, IS_ERR(filp_open("/kt/a", O_RDONLY, 0)), true);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/a", O_RDONLY | O_CREAT, 0)),
			-ELOOP);
}

static void walk_mounts(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/m", 0755), 0);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/m/under", "u"), 1);
	KTEST_ASSERT_EQ(t, do_mount("none", "/kt/m", "ramfs", 0, NULL), 0);
	/* the mount hides what was under it */
	KTEST_EXPECT_EQ(t, lookup_err("/kt/m/under", 0), -ENOENT);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/m/in", 0755), 0);
	KTEST_EXPECT_EQ(t, ino_of("/kt/m/in/../.."), ino_of("/kt"));
	KTEST_EXPECT_EQ(t, ino_of("/kt/m/.."), ino_of("/kt"));
	KTEST_EXPECT_EQ(t, ino_of("/kt/m"), ino_of("/kt/m/in/.."));
	KTEST_EXPECT_EQ(t, do_mount("none", "/kt/m/x", "ramfs", 0, NULL),
			-ENOENT);
	KTEST_EXPECT_EQ(t, do_mount("none", "/kt/m", "nofs", 0, NULL), -ENODEV);
	KTEST_EXPECT_EQ(t, do_umount_path("/kt/m/in", 0), -EINVAL);
	/* an open file keeps the mount busy */
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/m/in/f", "f"), 1);
	{
		struct file *f = filp_open("/kt/m/in/f", O_RDONLY, 0);

		KTEST_ASSERT_FALSE(t, IS_ERR(f));
		KTEST_EXPECT_EQ(t, do_umount_path("/kt/m", 0), -EBUSY);
		fput(f);
	}
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/m"), -EBUSY);
	KTEST_EXPECT_EQ(t, do_umount_path("/kt/m", 0), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/m/under", 0), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/m/in", 0), -ENOENT);
}

static void dir_ops(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/d", 0755), 0);
	KTEST_EXPECT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/d", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/d/.", 0755), -EEXIST);
	KTEST_EXPECT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/x/y", 0755), -ENOENT);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/d/f", "1"), 1);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/d"), -ENOTEMPTY);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/d/f"), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/d/."), -EINVAL);
	KTEST_EXPECT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/d"), -EISDIR);
	KTEST_EXPECT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/d/f/"), -ENOTDIR);
	KTEST_EXPECT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/d/g"), -ENOENT);
	KTEST_EXPECT_EQ(
		t, do_linkat(AT_FDCWD, "/kt/d/f", AT_FDCWD, "/kt/hard", 0), 0);
	KTEST_EXPECT_EQ(t, do_linkat(AT_FDCWD, "/kt/d", AT_FDCWD, "/kt/dl", 0),
			-EPERM);
	KTEST_EXPECT_EQ(t, ino_of("/kt/hard"), ino_of("/kt/d/f"));
	KTEST_EXPECT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/d/f"), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/d/f", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/hard", 0), 0);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/d"), 0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/d", 0), -ENOENT);
	KTEST_EXPECT_EQ(t, do_mknodat(AT_FDCWD, "/kt/n", S_IFREG | 0600, 0), 0);
	KTEST_EXPECT_EQ(t, do_mknodat(AT_FDCWD, "/kt/bad", 0170000, 0),
			-EINVAL);
}

static void rename_cases(struct ktest *t)
{
	char buf[16];

	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/a", 0755), 0);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/a/sub", 0755), 0);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/b", 0755), 0);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/a/f", "one"), 3);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/b/g", "two"), 3);
	/* a file over a file replaces it */
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/a/f", AT_FDCWD, "/kt/b/g", 0),
		0);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/b/g", buf, sizeof(buf)), 3);
	KTEST_EXPECT_STREQ(t, buf, "one");
	KTEST_EXPECT_EQ(t, lookup_err("/kt/a/f", 0), -ENOENT);
	/* a long name, moved between inline and allocated storage */
	KTEST_EXPECT_EQ(
		t,
		do_renameat2(AT_FDCWD, "/kt/b/g", AT_FDCWD,
			     "/kt/b/a-name-longer-than-the-inline-buffer", 0),
		0);
	KTEST_EXPECT_EQ(
		t,
		do_renameat2(AT_FDCWD,
			     "/kt/b/a-name-longer-than-the-inline-buffer",
			     AT_FDCWD, "/kt/b/g", 0),
		0);
	KTEST_EXPECT_EQ(t, lookup_err("/kt/b/g", 0), 0);
	/* a directory into itself, over a non-empty one, over a file */
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/a", AT_FDCWD, "/kt/a/sub/x", 0),
		-EINVAL);
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/a/sub", AT_FDCWD, "/kt/b", 0),
		-ENOTEMPTY);
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/a/sub", AT_FDCWD, "/kt/b/g", 0),
		-ENOTDIR);
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/b/g", AT_FDCWD, "/kt/a/sub", 0),
		-EISDIR);
	KTEST_EXPECT_EQ(t,
			do_renameat2(AT_FDCWD, "/kt/b/g", AT_FDCWD, "/kt/a/g",
				     RENAME_NOREPLACE),
			0);
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/nope", AT_FDCWD, "/kt/x", 0),
		-ENOENT);
	KTEST_EXPECT_EQ(t,
			do_renameat2(AT_FDCWD, "/kt/a/.", AT_FDCWD, "/kt/x", 0),
			-EBUSY);
	/* a directory moves with its contents; its ".." follows */
	KTEST_EXPECT_EQ(
		t, do_renameat2(AT_FDCWD, "/kt/a", AT_FDCWD, "/kt/b/a2", 0), 0);
	KTEST_EXPECT_EQ(t, ino_of("/kt/b/a2/sub/../.."), ino_of("/kt/b"));
	KTEST_EXPECT_EQ(t, lookup_err("/kt/b/a2/g", 0), 0);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/b/a2/sub"), 0);
}

static void d_path_names_mounts(struct ktest *t)
{
	char buf[64];
	struct path p, root;
	char *s;

	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/x", 0755), 0);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/x/y", 0755), 0);
	KTEST_ASSERT_EQ(t, kern_path("/kt/x/../x/y", 0, &p), 0);
	get_fs_root(current_fs(), &root);
	s = d_path(&p, &root, buf, sizeof(buf));
	KTEST_EXPECT_STREQ(t, s, "/kt/x/y");
	KTEST_EXPECT_EQ(t, PTR_ERR(d_path(&p, &root, buf, 6)), -ENAMETOOLONG);
	path_put(&p);
	s = d_path(&root, &root, buf, sizeof(buf));
	KTEST_EXPECT_STREQ(t, s, "/");
	path_put(&root);
}

static struct ktest_case namei_cases[] = { KTEST_CASE(walk_dot_dotdot),
					   KTEST_CASE(walk_errors),
					   KTEST_CASE(walk_name_too_long),
					   KTEST_CASE(walk_symlinks),
					   KTEST_CASE(walk_symlink_loop_limit),
					   KTEST_CASE(walk_mounts),
					   KTEST_CASE(dir_ops),
					   KTEST_CASE(rename_cases),
					   KTEST_CASE(d_path_names_mounts),
					   {} };
KTEST_SUITE(vfs_namei, namei_cases, .init = vfs_test_init,
	    .exit = vfs_test_exit);
