// SPDX-License-Identifier: MIT
/* proc_test.c - /proc's generated files, mounted at /kt/proc. */
#include <keel/mm.h>
#include <keel/slab.h>

#include "../vfs_test_util.h"

static int proc_test_init(struct ktest *t)
{
	int err = vfs_test_init(t);

	if (!err)
		err = do_mkdirat(AT_FDCWD, "/kt/proc", 0555);
	return err ? err : do_mount("proc", "/kt/proc", "proc", 0, NULL);
}

static void proc_test_exit(struct ktest *t)
{
	if (do_umount_path("/kt/proc", 0))
		ktest_fail(t, __FILE__, __LINE__, "/kt/proc busy");
	vfs_test_exit(t);
}

static char *slurp(struct ktest *t, const char *name)
{
	char *buf = kmalloc(4096, GFP_KERNEL);
	ssize_t n;

	KTEST_ASSERT_NOT_NULL(t, buf);
	n = vfs_test_get(name, buf, 4096);
	if (n <= 0) {
		kfree(buf);
		ktest_fail(t, __FILE__, __LINE__, "read %s: %zd", name, n);
		ktest_abort(t);
	}
	return buf;
}

static void proc_meminfo(struct ktest *t)
{
	char *text = slurp(t, "/kt/proc/meminfo"), want[64];

	snprintf(want, sizeof(want), "MemTotal:       %8lu kB\n",
		 nr_total_pages() * (PAGE_SIZE / 1024));
	KTEST_EXPECT_TRUE(t, !strncmp(text, want, strlen(want)));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nMemFree: "));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nSwapTotal: "));
	kfree(text);
}

static void proc_uptime_mounts_cpuinfo(struct ktest *t)
{
	char *text = slurp(t, "/kt/proc/uptime");
	char *dot = strchr(text, '.');

	KTEST_EXPECT_TRUE(t, dot && dot > text && dot[3] == ' ');
	kfree(text);
	text = slurp(t, "/kt/proc/mounts");
	KTEST_EXPECT_TRUE(t, !strncmp(text, "rootfs / ramfs rw 0 0\n", 22));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nnone /kt ramfs rw 0 0\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nproc /kt/proc proc rw 0 0\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\ndevtmpfs /dev devtmpfs "));
	kfree(text);
	text = slurp(t, "/kt/proc/cpuinfo");
	KTEST_EXPECT_TRUE(t, !strncmp(text, "processor\t: 0\n", 14));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "cpu MHz\t\t: "));
	kfree(text);
}

/* One open file reads one snapshot, in pieces and after a seek. */
static void proc_read_in_pieces(struct ktest *t)
{
	struct file *f = filp_open("/kt/proc/cpuinfo", O_RDONLY, 0);
	char *whole = slurp(t, "/kt/proc/cpuinfo"), piece[7];
	loff_t pos = 0;
	size_t at = 0;
	ssize_t n;

	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	while ((n = kernel_read(f, piece, sizeof(piece), &pos)) > 0) {
		KTEST_EXPECT_MEMEQ(t, piece, whole + at, n);
		at += n;
	}
	KTEST_EXPECT_EQ(t, at, strlen(whole));
	KTEST_EXPECT_EQ(t, vfs_llseek(f, 3, SEEK_SET), 3);
	KTEST_EXPECT_EQ(t, vfs_llseek(f, -1, SEEK_SET), -EINVAL);
	KTEST_EXPECT_EQ(t, kernel_write(f, "x", 1, &pos), -EBADF);
	KTEST_EXPECT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/proc/new", 0755), -EPERM);
	fput(f);
	kfree(whole);
}

static struct ktest_case proc_cases[] = { KTEST_CASE(proc_meminfo),
					  KTEST_CASE(
						  proc_uptime_mounts_cpuinfo),
					  KTEST_CASE(proc_read_in_pieces),
					  {} };
KTEST_SUITE(procfs, proc_cases, .init = proc_test_init, .exit = proc_test_exit);
