// SPDX-License-Identifier: MIT
/*
 * file_test.c - fd tables (fs/file.c) and open files on ramfs: reads,
 * writes, seeks, truncation, O_* flags, getdents.
 */
#include <keel/printk.h>
#include <keel/slab.h>

#include "vfs_test_util.h"

/* Open name and install it: the fd or -E. */
static int open_fd(const char *name, int flags)
{
	struct file *f = filp_open(name, flags, 0644);
	int fd;

	if (IS_ERR(f))
		return PTR_ERR(f);
	fd = get_unused_fd_flags(flags);
	if (fd < 0) {
		fput(f);
		return fd;
	}
	fd_install(fd, f);
	return fd;
}

static int refs(unsigned int fd)
{
	struct file *f = fget(fd);
	int n;

	if (!f)
		return -1;
	n = refcount_read(&f->f_count) - 1;
	fput(f);
	return n;
}

static void fd_lowest_free(struct ktest *t)
{
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "x"), 1);
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 0);
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 1);
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 2);
	KTEST_EXPECT_EQ(t, close_fd(1), 0);
	KTEST_EXPECT_EQ(t, close_fd(1), -EBADF);
	KTEST_EXPECT_EQ(t, close_fd(999999), -EBADF);
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 1);
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 3);
	KTEST_EXPECT_NULL(t, fget(4));
	KTEST_EXPECT_EQ(t, open_fd("/kt/missing", O_RDONLY), -ENOENT);
	/* a reserved fd given back is handed out again */
	KTEST_EXPECT_EQ(t, get_unused_fd_flags(0), 4);
	put_unused_fd(4);
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 4);
}

static void fd_dup_semantics(struct ktest *t)
{
	struct file *f;

	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "x"), 1);
	KTEST_ASSERT_EQ(t, open_fd("/kt/f", O_RDONLY), 0);
	KTEST_EXPECT_EQ(t, ksys_dup(0), 1);
	KTEST_EXPECT_EQ(t, refs(0), 2);
	KTEST_EXPECT_EQ(t, ksys_dup(7), -EBADF);
	KTEST_EXPECT_EQ(t, ksys_dup2(0, 0), 0);
	KTEST_EXPECT_EQ(t, ksys_dup2(5, 5), -EBADF);
	KTEST_EXPECT_EQ(t, ksys_dup3(0, 0, 0), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_dup3(0, 9, O_RDONLY | 1), -EINVAL);
	KTEST_EXPECT_EQ(t, ksys_dup3(0, 9, O_CLOEXEC), 9);
	KTEST_EXPECT_TRUE(t, get_close_on_exec(9));
	KTEST_EXPECT_FALSE(t, get_close_on_exec(1));
	KTEST_EXPECT_EQ(t, refs(0), 3);
	/* dup2 over an open fd closes what was there */
	KTEST_EXPECT_EQ(t, ksys_dup2(0, 1), 1);
	KTEST_EXPECT_EQ(t, refs(0), 3);
	KTEST_EXPECT_EQ(t, ksys_dup2(0, NR_OPEN_MAX), -EBADF);
	/* F_DUPFD: lowest free at or above from */
	f = fget(0);
	KTEST_EXPECT_EQ(t, f_dupfd(5, f, 0), 5); /* takes its own reference */
	fput(f);
	KTEST_EXPECT_EQ(t, refs(0), 4);
	KTEST_EXPECT_EQ(t, ksys_dup(0), 2);
	KTEST_EXPECT_EQ(t, close_fd(0), 0);
	KTEST_EXPECT_EQ(t, refs(1), 4);
}

static void fd_cloexec_and_fork_copy(struct ktest *t)
{
	struct files_struct *mine = current->files, *copy;

	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "x"), 1);
	KTEST_ASSERT_EQ(t, open_fd("/kt/f", O_RDONLY), 0);
	KTEST_ASSERT_EQ(t, open_fd("/kt/f", O_RDONLY | O_CLOEXEC), 1);
	KTEST_ASSERT_EQ(t, open_fd("/kt/f", O_RDONLY), 2);
	set_close_on_exec(2, 1);
	set_close_on_exec(0, 0);
	copy = dup_fd(mine);
	KTEST_ASSERT_FALSE(t, IS_ERR(copy));
	KTEST_EXPECT_EQ(t, refs(0), 2); /* shared with the copy */
	do_close_on_exec(copy);
	KTEST_EXPECT_EQ(t, refs(1), 1);
	KTEST_EXPECT_EQ(t, refs(2), 1);
	current->files = copy;
	KTEST_EXPECT_EQ(t, refs(0), 2);
	KTEST_EXPECT_NULL(t, fget(1));
	KTEST_EXPECT_EQ(t, open_fd("/kt/f", O_RDONLY), 1); /* lowest free */
	current->files = mine;
	KTEST_EXPECT_EQ(t, refs(0), 2);
	put_files_struct(copy);
	KTEST_EXPECT_EQ(t, refs(0), 1);
}

static void fd_table_grows_to_limit(struct ktest *t)
{
	struct file *f;
	int fd = 0;

	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "x"), 1);
	f = filp_open("/kt/f", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	for (int i = 0; i < NR_OPEN_MAX; i++) {
		fd = f_dupfd(0, f, 0);
		if (fd != i)
			break;
	}
	KTEST_EXPECT_EQ(t, fd, NR_OPEN_MAX - 1);
	KTEST_EXPECT_EQ(t, f_dupfd(0, f, 0), -EMFILE);
	KTEST_EXPECT_EQ(t, ksys_dup3(0, NR_OPEN_MAX + 1, 0), -EBADF);
	KTEST_EXPECT_EQ(t, close_fd(700), 0);
	KTEST_EXPECT_EQ(t, f_dupfd(0, f, 0), 700);
	KTEST_EXPECT_EQ(t, refcount_read(&f->f_count), NR_OPEN_MAX + 1);
	fput(f);
}

static void file_read_write_seek(struct ktest *t)
{
	struct file *f = filp_open("/kt/f", O_RDWR | O_CREAT, 0600);
	char *big = kmalloc(3 * 4096, GFP_KERNEL), buf[8];
	loff_t pos = 0;

	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_ASSERT_NOT_NULL(t, big);
	for (int i = 0; i < 3 * 4096; i++)
		big[i] = i * 7;
	KTEST_EXPECT_EQ(t, kernel_write(f, big, 3 * 4096, &pos), 3 * 4096);
	KTEST_EXPECT_EQ(t, file_inode(f)->i_size, 3 * 4096);
	pos = 4090;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), 8);
	KTEST_EXPECT_MEMEQ(t, buf, big + 4090, 8);
	pos = 3 * 4096 - 3;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), 3);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), 0);
	/* a hole reads as zeroes */
	pos = 5 * 4096;
	KTEST_EXPECT_EQ(t, kernel_write(f, "z", 1, &pos), 1);
	pos = 4 * 4096;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), 8);
	KTEST_EXPECT_MEMEQ(t, buf, "\0\0\0\0\0\0\0\0", 8);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_END), 5 * 4096 + 1);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -2, SEEK_CUR), 5 * 4096 - 1);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, 99), -EINVAL);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, LLONG_MAX, SEEK_CUR), -EINVAL);
	pos = -1;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), -EINVAL);
	pos = (1LL << 30);
	KTEST_EXPECT_EQ(t, kernel_write(f, "z", 1, &pos), -EFBIG);
	/* truncate down frees and zeroes; growing again reads zeroes */
	KTEST_EXPECT_EQ(t, vfs_truncate(&f->f_path, 10), 0);
	KTEST_EXPECT_EQ(t, file_inode(f)->i_blocks, 8ULL);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f->f_path, 4096), 0);
	pos = 8;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 4, &pos), 4);
	KTEST_EXPECT_MEMEQ(t, buf, big + 8, 2);
	KTEST_EXPECT_MEMEQ(t, buf + 2, "\0\0", 2);
	KTEST_EXPECT_EQ(t, vfs_truncate(&f->f_path, -1), -EINVAL);
	kfree(big);
	fput(f);
}

static void file_open_flags(struct ktest *t)
{
	struct file *f;
	char buf[16];
	loff_t pos = 0;

	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "hello"), 5);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/f", O_CREAT | O_EXCL, 0)),
			-EEXIST);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/f", O_DIRECTORY, 0)),
			-ENOTDIR);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt", O_WRONLY, 0)), -EISDIR);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/", O_CREAT, 0)), -EISDIR);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/f", 0x80000000, 0)), -EINVAL);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/f/", O_RDONLY, 0)), -ENOTDIR);
	KTEST_ASSERT_EQ(t, do_symlinkat("f", AT_FDCWD, "/kt/lnk"), 0);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/lnk", O_NOFOLLOW, 0)),
			-ELOOP);
	/* O_CREAT through a dangling link creates its target */
	KTEST_ASSERT_EQ(t, do_symlinkat("new", AT_FDCWD, "/kt/dangle"), 0);
	f = filp_open("/kt/dangle", O_WRONLY | O_CREAT, 0600);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	fput(f);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/new", buf, sizeof(buf)), 0);
	/* read-only files refuse writes and the reverse */
	f = filp_open("/kt/f", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, kernel_write(f, "x", 1, &pos), -EBADF);
	fput(f);
	/* O_APPEND writes at the end whatever the position */
	f = filp_open("/kt/f", O_WRONLY | O_APPEND, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_write(f, "!", 1, &pos), 1);
	KTEST_EXPECT_EQ(t, pos, 6);
	fput(f);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/f", buf, sizeof(buf)), 6);
	KTEST_EXPECT_STREQ(t, buf, "hello!");
	/* O_TRUNC empties */
	f = filp_open("/kt/f", O_WRONLY | O_TRUNC, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, file_inode(f)->i_size, 0);
	fput(f);
}

static void file_unlinked_while_open(struct ktest *t)
{
	struct file *f;
	struct kstat st;
	char buf[8];
	loff_t pos = 0;

	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "keep"), 4);
	f = filp_open("/kt/f", O_RDONLY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/f"), 0);
	KTEST_EXPECT_EQ(t, vfs_test_get("/kt/f", buf, sizeof(buf)), -ENOENT);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), 4);
	KTEST_EXPECT_EQ(t, vfs_getattr(&f->f_path, &st), 0);
	KTEST_EXPECT_EQ(t, st.nlink, 0U);
	KTEST_EXPECT_EQ(t, st.size, 4);
	/* a new file of the same name is a different file */
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/f", "new"), 3);
	pos = 0;
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 8, &pos), 4);
	fput(f);
}

struct names {
	struct dir_context ctx;
	char seen[128];
	int n;
};

static bool collect(struct dir_context *ctx, const char *name, int len,
		    loff_t off, u64 ino, unsigned int type)
{
	struct names *nm = container_of(ctx, struct names, ctx);
	int at = strlen(nm->seen);

	if (nm->n == 3 || at + len + 3 > (int)sizeof(nm->seen))
		return false; /* a small buffer: stop after three */
	snprintf(nm->seen + at, sizeof(nm->seen) - at, "%.*s:%u ", len, name,
		 type);
	nm->n++;
	return true;
}

static void dir_iterate(struct ktest *t)
{
	struct names nm = { .ctx.actor = collect };
	struct file *d;

	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/a", "1"), 1);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/b", 0755), 0);
	KTEST_ASSERT_EQ(t, do_symlinkat("a", AT_FDCWD, "/kt/c"), 0);
	KTEST_ASSERT_EQ(t, do_unlinkat(AT_FDCWD, "/kt/a"), 0);
	KTEST_ASSERT_EQ(t, vfs_test_put("/kt/a", "2"), 1);
	d = filp_open("/kt", O_RDONLY | O_DIRECTORY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(d));
	KTEST_EXPECT_EQ(t, iterate_dir(d, &nm.ctx), 0);
	KTEST_EXPECT_STREQ(t, nm.seen, ".:4 ..:4 b:4 ");
	nm.n = 0;
	nm.seen[0] = '\0';
	KTEST_EXPECT_EQ(t, iterate_dir(d, &nm.ctx), 0);
	KTEST_EXPECT_STREQ(t, nm.seen, "c:10 a:8 ");
	KTEST_EXPECT_EQ(t, vfs_llseek(d, 0, SEEK_SET), 0);
	nm.n = 2;
	nm.seen[0] = '\0';
	KTEST_EXPECT_EQ(t, iterate_dir(d, &nm.ctx), 0);
	KTEST_EXPECT_STREQ(t, nm.seen, ".:4 ");
	KTEST_EXPECT_EQ(t, kernel_read(d, nm.seen, 1, &d->f_pos), -EISDIR);
	fput(d);
}

/* Take up to three names per call into a batch (rm -r's readdir loop). */
struct batch {
	struct dir_context ctx;
	int n;
	char names[3][8];
};

static bool take_batch(struct dir_context *ctx, const char *name, int len,
		       loff_t pos, u64 ino, unsigned int type)
{
	struct batch *b = container_of(ctx, struct batch, ctx);

	if (b->n == 3)
		return false;
	if (len < (int)sizeof(b->names[0]) && name[0] != '.') {
		memcpy(b->names[b->n], name, len);
		b->names[b->n][len] = '\0';
		b->n++;
	}
	return true;
}

/*
 * Unlinking what readdir returned must not make it skip the entries
 * after (POSIX: only the removed or added names are unspecified). rm
 * -r does this: read a batch, unlink it, read on from the same file.
 */
static void dir_iterate_while_unlinking(struct ktest *t)
{
	struct batch b = { .ctx.actor = take_batch };
	char name[32];
	struct file *d;
	int i, seen = 0, calls = 0;

	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/u", 0755), 0);
	for (i = 0; i < 20; i++) {
		snprintf(name, sizeof(name), "/kt/u/%d", i);
		KTEST_ASSERT_EQ(t, vfs_test_put(name, "x"), 1);
	}
	d = filp_open("/kt/u", O_RDONLY | O_DIRECTORY, 0);
	KTEST_ASSERT_FALSE(t, IS_ERR(d));
	do {
		b.n = 0;
		KTEST_EXPECT_EQ(t, iterate_dir(d, &b.ctx), 0);
		for (i = 0; i < b.n; i++) {
			snprintf(name, sizeof(name), "/kt/u/%s", b.names[i]);
			KTEST_EXPECT_EQ(t, do_unlinkat(AT_FDCWD, name), 0);
			seen++;
		}
	} while (b.n && ++calls < 100);
	fput(d);
	KTEST_EXPECT_EQ(t, seen, 20);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/u"), 0);
}

static struct ktest_case file_cases[] = { KTEST_CASE(fd_lowest_free),
					  KTEST_CASE(fd_dup_semantics),
					  KTEST_CASE(fd_cloexec_and_fork_copy),
					  KTEST_CASE(fd_table_grows_to_limit),
					  KTEST_CASE(file_read_write_seek),
					  KTEST_CASE(file_open_flags),
					  KTEST_CASE(file_unlinked_while_open),
					  KTEST_CASE(dir_iterate),
					  KTEST_CASE(
						  dir_iterate_while_unlinking),
					  {} };
KTEST_SUITE(vfs_file, file_cases, .init = vfs_test_init, .exit = vfs_test_exit);
