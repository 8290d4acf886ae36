// SPDX-License-Identifier: MIT
/*
 * vfs_stress_test.c - the VFS under concurrent changes: threads on
 * every CPU create, rename between two directories, walk through "..",
 * list and remove, some on their own names and some on one shared
 * name, at once. The checks: no unexpected error, no deadlock (the
 * case ends), the tree is empty afterwards, the scratch mount is not
 * busy at umount (every reference was dropped) and the leak check
 * finds nothing (every dentry, inode and page was freed).
 */
#include <keel/cpumask.h>
#include <keel/kthread.h>

#include "vfs_test_util.h"

#define ITERS	    200
#define MAX_WORKERS 8

struct worker {
	int id;
	int unexpected; /* errors that must not happen */
	int last_err;
	int last_step;
};

static bool skip_name(struct dir_context *ctx, const char *name, int len,
		      loff_t off, u64 ino, unsigned int type)
{
	return true;
}

static int list_dir(const char *name)
{
	struct dir_context ctx = { .actor = skip_name };
	struct file *d = filp_open(name, O_RDONLY | O_DIRECTORY, 0);
	int err;

	if (IS_ERR(d))
		return PTR_ERR(d);
	err = iterate_dir(d, &ctx);
	fput(d);
	return err;
}

static bool expect(struct worker *w, int step, int err, int allowed)
{
	if (!err || err == allowed)
		return true;
	w->unexpected++;
	w->last_err = err;
	w->last_step = step;
	return false;
}

static int lookup_dotdot(void)
{
	struct path p;
	int err = kern_path("/kt/b/../a/../b/.", LOOKUP_DIRECTORY, &p);

	if (!err)
		path_put(&p);
	return err;
}

/* One round on the worker's own names: every step must succeed. */
static void own_round(struct worker *w, char *a, char *b, char *f)
{
	snprintf(a, 32, "/kt/a/d%d", w->id);
	snprintf(b, 32, "/kt/b/d%d", w->id);
	snprintf(f, 40, "/kt/b/d%d/f", w->id);
	if (expect(w, 1, do_mkdirat(AT_FDCWD, a, 0755), 0) &&
	    expect(w, 2, do_renameat2(AT_FDCWD, a, AT_FDCWD, b, 0), 0) &&
	    expect(w, 3, vfs_test_put(f, "data") == 4 ? 0 : -EIO, 0) &&
	    expect(w, 4, lookup_dotdot(), 0) && expect(w, 5, list_dir(b), 0) &&
	    expect(w, 6, do_unlinkat(AT_FDCWD, f), 0))
		expect(w, 7, do_rmdir(AT_FDCWD, b), 0);
}

/*
 * One round on shared names: losing a race (-ENOENT) is allowed. /kt/c
 * moves in and out of /kt/a while others list /kt/a.
 */
static void shared_round(struct worker *w)
{
	expect(w, 8, vfs_test_put("/kt/a/x", "x") == 1 ? 0 : -ENOENT, -ENOENT);
	expect(w, 9, do_renameat2(AT_FDCWD, "/kt/a/x", AT_FDCWD, "/kt/b/x", 0),
	       -ENOENT);
	expect(w, 10,
	       do_renameat2(AT_FDCWD, "/kt/c", AT_FDCWD, "/kt/a/inner", 0),
	       -ENOENT);
	expect(w, 11,
	       do_renameat2(AT_FDCWD, "/kt/a/inner", AT_FDCWD, "/kt/c", 0),
	       -ENOENT);
	expect(w, 12, do_unlinkat(AT_FDCWD, "/kt/b/x"), -ENOENT);
	expect(w, 13, list_dir("/kt/a"), 0);
}

static int stress_worker(void *data)
{
	struct worker *w = data;
	char a[32], b[32], f[40];

	for (int i = 0; i < ITERS; i++) {
		own_round(w, a, b, f);
		if (i % 4 == w->id % 4)
			shared_round(w);
	}
	return 0;
}

static void concurrent_tree_changes(struct ktest *t)
{
	struct worker w[MAX_WORKERS] = { 0 };
	struct task *p[MAX_WORKERS];
	unsigned int cpu, n = 0;

	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/a", 0755), 0);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/b", 0755), 0);
	KTEST_ASSERT_EQ(t, do_mkdirat(AT_FDCWD, "/kt/c", 0755), 0);
	for_each_online_cpu(cpu) {
		for (int i = 0; i < 2 && n < MAX_WORKERS; i++, n++) {
			w[n].id = n;
			p[n] = kthread_run_on_cpu(stress_worker, &w[n], cpu,
						  "vfs/%u", n);
			KTEST_ASSERT_FALSE(t, IS_ERR(p[n]));
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		KTEST_EXPECT_EQ(t, kthread_stop(p[i]), 0);
		if (w[i].unexpected)
			ktest_fail(t, __FILE__, __LINE__,
				   "worker %u: %d errors, last %s at step %d",
				   i, w[i].unexpected, errname(w[i].last_err),
				   w[i].last_step);
	}
	/* the last shared rename may have left /kt/c inside /kt/a */
	do_renameat2(AT_FDCWD, "/kt/a/inner", AT_FDCWD, "/kt/c", 0);
	do_unlinkat(AT_FDCWD, "/kt/a/x");
	do_unlinkat(AT_FDCWD, "/kt/b/x");
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/a"), 0);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/b"), 0);
	KTEST_EXPECT_EQ(t, do_rmdir(AT_FDCWD, "/kt/c"), 0);
}

static struct ktest_case vfs_stress_cases[] = {
	KTEST_CASE(concurrent_tree_changes),
	{}
};
KTEST_SUITE(vfs_stress, vfs_stress_cases, .init = vfs_test_init,
	    .exit = vfs_test_exit);
