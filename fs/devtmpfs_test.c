// SPDX-License-Identifier: MIT
/*
 * devtmpfs_test.c - /dev's nodes and the character devices behind
 * them (drivers/char/mem.c, drivers/tty/tty_console.c).
 * TODO: reading /dev/console needs typed input: an interactive test.
 */
#include "vfs_test_util.h"

static struct file *open_dev(struct ktest *t, const char *name, int flags)
{
	struct file *f = filp_open(name, flags, 0);

	if (IS_ERR(f)) {
		ktest_fail(t, __FILE__, __LINE__, "open %s: %s", name,
			   errname(PTR_ERR(f)));
		ktest_abort(t);
	}
	return f;
}

static void dev_nodes_exist(struct ktest *t)
{
	static const char *const names[] = { "null",   "zero",	  "full",
					     "random", "urandom", "tty" };
	struct kstat st;
	char path[32];

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "/dev/%s", names[i]);
		KTEST_ASSERT_EQ(t, vfs_statx(AT_FDCWD, path, 0, &st), 0);
		KTEST_EXPECT_EQ(t, st.mode, S_IFCHR | 0666);
	}
	KTEST_ASSERT_EQ(t, vfs_statx(AT_FDCWD, "/dev/console", 0, &st), 0);
	KTEST_EXPECT_EQ(t, st.mode, S_IFCHR | 0600);
	KTEST_EXPECT_EQ(t, st.rdev, (dev_t)MKDEV(5, 1));
}

static void dev_null_zero_full(struct ktest *t)
{
	struct file *f;
	char buf[16];
	loff_t pos = 0;

	f = open_dev(t, "/dev/null", O_RDWR);
	KTEST_EXPECT_EQ(t, kernel_write(f, "abc", 3, &pos), 3);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 16, &pos), 0);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 100, SEEK_SET), 0);
	fput(f);
	f = open_dev(t, "/dev/zero", O_RDWR);
	memset(buf, 'x', sizeof(buf));
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 16, &pos), 16);
	KTEST_EXPECT_MEMEQ(t, buf, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	KTEST_EXPECT_EQ(t, kernel_write(f, "abc", 3, &pos), 3);
	fput(f);
	f = open_dev(t, "/dev/full", O_RDWR);
	KTEST_EXPECT_EQ(t, kernel_write(f, "abc", 3, &pos), -ENOSPC);
	KTEST_EXPECT_EQ(t, kernel_read(f, buf, 4, &pos), 4);
	fput(f);
}

static void dev_urandom(struct ktest *t)
{
	struct file *f = open_dev(t, "/dev/urandom", O_RDONLY);
	u64 a[4] = { 0 }, b[4] = { 0 };
	loff_t pos = 0;

	KTEST_EXPECT_EQ(t, kernel_read(f, a, sizeof(a), &pos), 32);
	KTEST_EXPECT_EQ(t, kernel_read(f, b, sizeof(b), &pos), 32);
	KTEST_EXPECT_TRUE(t, a[0] | a[1] | a[2] | a[3]);
	KTEST_EXPECT_TRUE(t, memcmp(a, b, sizeof(a)) != 0);
	fput(f);
}

static void dev_console_write(struct ktest *t)
{
	struct file *f = open_dev(t, "/dev/console", O_WRONLY);
	loff_t pos = 0;

	KTEST_EXPECT_EQ(t, kernel_write(f, "# /dev/console ok\n", 18, &pos),
			18);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 0, SEEK_SET), -ESPIPE);
	fput(f);
}

static void dev_unknown_device_enxio(struct ktest *t)
{
	KTEST_ASSERT_EQ(t,
			do_mknodat(AT_FDCWD, "/kt/nodev", S_IFCHR | 0600,
				   MKDEV(250, 1)),
			0);
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open("/kt/nodev", O_RDONLY, 0)),
			-ENXIO);
}

static struct ktest_case devtmpfs_cases[] = { KTEST_CASE(dev_nodes_exist),
					      KTEST_CASE(dev_null_zero_full),
					      KTEST_CASE(dev_urandom),
					      KTEST_CASE(dev_console_write),
					      KTEST_CASE(
						      dev_unknown_device_enxio),
					      {} };
KTEST_SUITE(devtmpfs, devtmpfs_cases, .init = vfs_test_init,
	    .exit = vfs_test_exit);
