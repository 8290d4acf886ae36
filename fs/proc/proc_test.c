// SPDX-License-Identifier: MIT
/* proc_test.c - /proc's generated files, mounted at /kt/proc. */
#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/mm.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/time.h>
#include <keel/timer.h>

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

/* ---- /proc/PID/ of a kernel thread, against its struct task ---- */

static int sleeper(void *data)
{
	struct completion *go = data;

	wait_for_completion(go);
	return 0;
}

/* A kernel thread "proctest" blocked on go, with nice 3, on CPU 0. */
static struct task *start_sleeper(struct ktest *t, struct completion *go)
{
	struct task *p;

	init_completion(go);
	p = kthread_create(sleeper, go, "proctest");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	sched_set_nice(p, 3);
	sched_setaffinity(p, cpumask_of(0));
	wake_up_process(p);
	for (int i = 0; i < 1000 && task_state(p) != TS_BLOCKED; i++)
		msleep(1);
	KTEST_EXPECT_EQ(t, (int)task_state(p), (int)TS_BLOCKED);
	return p;
}

static void stop_sleeper(struct task *p, struct completion *go)
{
	complete(go);
	kthread_stop(p);
}

/* The last c in s, or NULL. */
static char *last_chr(const char *s, int c)
{
	const char *found = NULL;

	for (; *s; s++)
		if (*s == c)
			found = s;
	return (char *)found;
}

/* Bytes of s before a space or newline. */
static size_t word_len(const char *s)
{
	size_t n = 0;

	while (s[n] && s[n] != ' ' && s[n] != '\n')
		n++;
	return n;
}

/* Field n (1-based, Linux's numbering) of a stat line, as a number. */
static unsigned long long stat_field(const char *text, int n)
{
	const char *s = last_chr(text, ')') + 2; /* field 3 */
	unsigned long long v = ~0ULL;
	char num[24];
	size_t len;

	for (int i = 3; i < n && s; i++) {
		s = strchr(s, ' ');
		s = s ? s + 1 : NULL;
	}
	if (!s)
		return v;
	len = word_len(s);
	if (len >= sizeof(num))
		return v;
	memcpy(num, s, len);
	num[len] = '\0';
	if (num[0] == '-')
		return -1ULL; /* only tpgid is negative here */
	kstrtoull(num, 10, &v);
	return v;
}

static void proc_pid_stat_fields(struct ktest *t)
{
	struct completion go;
	struct task *p = start_sleeper(t, &go);
	char path[48], head[32], *text;
	int spaces = 0;

	snprintf(path, sizeof(path), "/kt/proc/%d/stat", p->pid);
	text = slurp(t, path);
	snprintf(head, sizeof(head), "%d (proctest) S ", p->pid);
	KTEST_EXPECT_TRUE(t, !strncmp(text, head, strlen(head)));
	for (char *c = text; *c; c++)
		spaces += *c == ' ';
	KTEST_EXPECT_EQ(t, spaces, 51);
	KTEST_EXPECT_EQ(t, stat_field(text, 4), (u64)task_ppid(p));
	KTEST_EXPECT_EQ(t, stat_field(text, 8), -1ULL);
	KTEST_EXPECT_EQ(t, stat_field(text, 14), p->utime * 100 / HZ);
	KTEST_EXPECT_EQ(t, stat_field(text, 18), 23ULL); /* 20 + nice */
	KTEST_EXPECT_EQ(t, stat_field(text, 19), 3ULL);
	KTEST_EXPECT_EQ(t, stat_field(text, 20), 1ULL);
	KTEST_EXPECT_EQ(t, stat_field(text, 22),
			p->start_time_ns / (NSEC_PER_SEC / 100));
	KTEST_EXPECT_EQ(t, stat_field(text, 23), 0ULL); /* no mm */
	KTEST_EXPECT_EQ(t, stat_field(text, 39), (u64)p->cpu);
	KTEST_EXPECT_EQ(t, stat_field(text, 52), 0ULL);
	kfree(text);
	stop_sleeper(p, &go);
	/* gone: the name no longer exists */
	KTEST_EXPECT_EQ(t, PTR_ERR(filp_open(path, O_RDONLY, 0)), -ENOENT);
}

static void proc_pid_status_links(struct ktest *t)
{
	struct completion go;
	struct task *p = start_sleeper(t, &go);
	char path[48], want[48], *text;

	snprintf(path, sizeof(path), "/kt/proc/%d/status", p->pid);
	text = slurp(t, path);
	KTEST_EXPECT_TRUE(t, !strncmp(text, "Name:\tproctest\n", 15));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nState:\tS (sleeping)\n"));
	snprintf(want, sizeof(want), "\nPid:\t%d\n", p->pid);
	KTEST_EXPECT_NOT_NULL(t, strstr(text, want));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nCpus_allowed:\t1\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\nCpus_allowed_list:\t0\n"));
	KTEST_EXPECT_NULL(t, strstr(text, "VmSize")); /* a kernel thread */
	kfree(text);
	snprintf(path, sizeof(path), "/kt/proc/%d/exe", p->pid);
	KTEST_EXPECT_EQ(t, do_readlinkat(AT_FDCWD, path, want, sizeof(want)),
			-ENOENT);
	snprintf(path, sizeof(path), "/kt/proc/%d/comm", p->pid);
	text = slurp(t, path);
	KTEST_EXPECT_STREQ(t, text, "proctest\n");
	kfree(text);
	/* only a task's own comm may be written */
	KTEST_EXPECT_EQ(t, vfs_test_put(path, "x"), -EINVAL);
	stop_sleeper(p, &go);
}

struct listing {
	int self, loadavg, me;
};

static bool list_actor(struct dir_context *ctx, const char *name, int len,
		       loff_t off, u64 ino, unsigned int type)
{
	struct listing *l = (void *)(ctx + 1);
	char pid[12];

	snprintf(pid, sizeof(pid), "%d", current->pid);
	l->self += len == 4 && !memcmp(name, "self", 4) && type == DT_LNK;
	l->loadavg += len == 7 && !memcmp(name, "loadavg", 7);
	l->me += len == (int)strlen(pid) && !memcmp(name, pid, len) &&
		 type == DT_DIR;
	return true;
}

static void proc_self_and_readdir(struct ktest *t)
{
	struct {
		struct dir_context ctx;
		struct listing l;
	} d = { { list_actor, 0 }, { 0, 0, 0 } };
	struct file *f = filp_open("/kt/proc", O_RDONLY | O_DIRECTORY, 0);
	char link[16], want[16];
	int n;

	KTEST_ASSERT_FALSE(t, IS_ERR(f));
	KTEST_EXPECT_EQ(t, iterate_dir(f, &d.ctx), 0);
	fput(f);
	KTEST_EXPECT_EQ(t, d.l.self, 1);
	KTEST_EXPECT_EQ(t, d.l.loadavg, 1);
	KTEST_EXPECT_EQ(t, d.l.me, 1);
	n = do_readlinkat(AT_FDCWD, "/kt/proc/self", link, sizeof(link));
	snprintf(want, sizeof(want), "%d", current->pid);
	KTEST_EXPECT_EQ(t, n, (int)strlen(want));
	KTEST_EXPECT_MEMEQ(t, link, want, strlen(want));
}

static void proc_system_files(struct ktest *t)
{
	char *text = slurp(t, "/kt/proc/loadavg"), want[48], *sp;

	unsigned long long last = 0;

	sp = last_chr(text, ' ');
	if (sp)
		sp[1 + word_len(sp + 1)] = '\0';
	KTEST_EXPECT_TRUE(t, sp && !kstrtoull(sp + 1, 10, &last));
	KTEST_EXPECT_EQ(t, last, (u64)task_last_pid());
	KTEST_EXPECT_TRUE(t, text[1] == '.' && text[4] == ' ');
	kfree(text);
	text = slurp(t, "/kt/proc/stat");
	KTEST_EXPECT_TRUE(t, !strncmp(text, "cpu  ", 5));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "\ncpu0 "));
	snprintf(want, sizeof(want), "\nbtime 0\nprocesses ");
	KTEST_EXPECT_NOT_NULL(t, strstr(text, want));
	kfree(text);
	text = slurp(t, "/kt/proc/filesystems");
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "nodev\tproc\n"));
	KTEST_EXPECT_NOT_NULL(t, strstr(text, "nodev\tramfs\n"));
	kfree(text);
	text = slurp(t, "/kt/proc/net/dev");
	KTEST_EXPECT_TRUE(t, !strncmp(text, "Inter-|   Receive", 17));
	kfree(text);
	text = slurp(t, "/kt/proc/version");
	KTEST_EXPECT_TRUE(t, !strncmp(text, "keel version 6.1.0-keel ", 24));
	kfree(text);
}

static struct ktest_case proc_cases[] = { KTEST_CASE(proc_meminfo),
					  KTEST_CASE(proc_uptime_mounts_cpuinfo),
					  KTEST_CASE(proc_read_in_pieces),
					  KTEST_CASE(proc_pid_stat_fields),
					  KTEST_CASE(proc_pid_status_links),
					  KTEST_CASE(proc_self_and_readdir),
					  KTEST_CASE(proc_system_files),
					  {} };
KTEST_SUITE(procfs, proc_cases, .init = proc_test_init, .exit = proc_test_exit);
