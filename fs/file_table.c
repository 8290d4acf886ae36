// SPDX-License-Identifier: MIT
/*
 * file_table.c - struct file life cycle. A file is referenced by each
 * fd that holds it and by each fget(); the last fput() calls the
 * release operation and drops the path (and so the dentry, inode and
 * mount). fput() may sleep (release may): process context only.
 */
#include <keel/fs.h>
#include <keel/slab.h>

struct file *alloc_empty_file(int flags)
{
	struct file *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return ERR_PTR(-ENOMEM);
	refcount_set(&f->f_count, 1);
	mutex_init(&f->f_pos_lock, "f_pos_lock");
	f->f_flags = flags;
	return f;
}

struct file *get_file(struct file *f)
{
	refcount_inc(&f->f_count);
	return f;
}

void fput(struct file *f)
{
	if (!refcount_dec_and_test(&f->f_count))
		return;
	if (f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
	if (f->f_path.dentry)
		path_put(&f->f_path);
	kfree(f);
}
