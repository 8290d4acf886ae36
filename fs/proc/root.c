// SPDX-License-Identifier: MIT
/*
 * root.c - the proc file system: a directory of generated files.
 *
 * Each mount is a new instance whose root lists the entries of
 * proc_root_entries, pinned in the dcache (as ramfs). Opening a file
 * runs its show() into a buffer (doubled until the text fits, at most
 * PROC_MAX_TEXT) kept in the file, so one open file reads one
 * consistent snapshot; reads and seeks work on that text.
 *
 * TODO: per-process directories (/proc/PID/{stat,status,cmdline,comm,
 * exe,fd}, /proc/self) once processes exist; loadavg, stat, net/dev.
 */
#include <keel/init.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "internal.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_MAX_TEXT	 (64 * 1024)

static const struct proc_entry proc_root_entries[] = {
	{ "cpuinfo", S_IFREG | 0444, proc_cpuinfo_show },
	{ "meminfo", S_IFREG | 0444, proc_meminfo_show },
	{ "mounts", S_IFREG | 0444, proc_mounts_show },
	{ "slabinfo", S_IFREG | 0400, proc_slabinfo_show },
	{ "uptime", S_IFREG | 0444, proc_uptime_show },
};

struct proc_text {
	size_t len;
	char text[];
};

/* The text of e, in a buffer large enough; NULL if memory is short. */
static struct proc_text *proc_generate(const struct proc_entry *e)
{
	for (size_t size = 1024; size <= PROC_MAX_TEXT; size *= 2) {
		struct proc_text *t = kmalloc(sizeof(*t) + size, GFP_KERNEL);
		struct seq_buf s;

		if (!t)
			return NULL;
		seq_buf_init(&s, t->text, size);
		e->show(&s);
		if (!seq_buf_has_overflowed(&s) || size == PROC_MAX_TEXT) {
			t->len = seq_buf_used(&s);
			return t;
		}
		kfree(t);
	}
	return NULL;
}

static int proc_single_open(struct inode *inode, struct file *f)
{
	f->private_data = proc_generate(inode->i_private);
	return f->private_data ? 0 : -ENOMEM;
}

static int proc_single_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
	return 0;
}

static ssize_t proc_single_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct proc_text *t = iocb->ki_filp->private_data;
	size_t n, got;

	if (iocb->ki_pos >= (loff_t)t->len)
		return 0;
	n = min(t->len - (size_t)iocb->ki_pos, iov_iter_count(to));
	got = copy_to_iter(t->text + iocb->ki_pos, n, to);
	iocb->ki_pos += got;
	return got ? (ssize_t)got : -EFAULT;
}

static loff_t proc_single_llseek(struct file *f, loff_t offset, int whence)
{
	struct proc_text *t = f->private_data;
	loff_t base = whence == SEEK_CUR ? f->f_pos :
		      whence == SEEK_END ? (loff_t)t->len :
					   0;

	if (whence > SEEK_END)
		return -EINVAL;
	if (offset < -base || (offset > 0 && base > LLONG_MAX - offset))
		return -EINVAL;
	return f->f_pos = base + offset;
}

static const struct file_operations proc_single_fops = {
	.open = proc_single_open,
	.release = proc_single_release,
	.read_iter = proc_single_read,
	.llseek = proc_single_llseek,
};

static const struct inode_operations proc_dir_iops = {
	.lookup = simple_lookup,
};

static struct inode *proc_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (inode)
		inode->i_mode = mode;
	return inode;
}

/* Add entry e under root, pinned. */
static int proc_add(struct dentry *root, const struct proc_entry *e)
{
	struct qstr name = { e->name, strlen(e->name) };
	struct inode *inode = proc_inode(root->d_sb, e->mode);
	struct dentry *d;

	if (!inode)
		return -ENOMEM;
	inode->i_fop = &proc_single_fops;
	inode->i_private = (void *)e;
	d = d_alloc(root, &name);
	if (!d) {
		iput(inode);
		return -ENOMEM;
	}
	d_instantiate(d, inode);
	d_pin(d);
	dput(d);
	return 0;
}

static void proc_kill_sb(struct super_block *sb)
{
	d_genocide(sb->s_root);
	dput(sb->s_root);
}

static struct dentry *proc_mount(struct file_system_type *type, int flags,
				 const char *dev_name, void *data)
{
	struct super_block *sb = sget_anon(type);
	struct inode *inode;
	struct dentry *root;
	int err = 0;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = PROC_SUPER_MAGIC;
	inode = proc_inode(sb, S_IFDIR | 0555);
	if (inode) {
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &simple_dir_operations;
		set_nlink(inode, 2);
	}
	root = d_make_root(inode);
	if (!root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_root = root;
	for (unsigned int i = 0; !err && i < ARRAY_SIZE(proc_root_entries); i++)
		err = proc_add(root, &proc_root_entries[i]);
	if (err) {
		deactivate_super(sb);
		return ERR_PTR(err);
	}
	return dget(root);
}

static struct file_system_type proc_fs_type = {
	.name = "proc",
	.mount = proc_mount,
	.kill_sb = proc_kill_sb,
};

static int proc_root_init(void)
{
	return register_filesystem(&proc_fs_type);
}
core_initcall(proc_root_init);
