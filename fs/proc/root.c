// SPDX-License-Identifier: MIT
/*
 * root.c - the proc file system: generated files, a directory per
 * process, /proc/self.
 *
 * Each mount is a new instance whose root lists the entries of
 * proc_root_entries (and the "net" directory), pinned in the dcache as
 * ramfs pins its files. The rest is made up at lookup: "self" is a
 * symlink to the caller's pid, a number that is a task's pid is that
 * task's directory (base.c). Those dentries are not pinned, so they go
 * with their last user, and a directory whose task has exited answers
 * -ESRCH (files) or -ENOENT (names) from then on. The root's readdir
 * lists ".", "..", the top-level entries (those without a '/', counted
 * as the listing passes them: N), "self" at 2 + N, then every pid in
 * order at 3 + N + pid, so a listing read in pieces neither repeats
 * nor skips a process that stays.
 *
 * Every inode carries a struct proc_inode (internal.h) in i_private,
 * freed by evict_inode. Opening a text file runs its show() into a
 * buffer (doubled until the text fits, at most PROC_MAX_TEXT) kept in
 * the file, so one open file reads one consistent snapshot; reads and
 * seeks work on that text.
 */
#include <keel/init.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "internal.h"

#define PROC_SUPER_MAGIC 0x9fa0
#define PROC_MAX_TEXT	 (256 * 1024)

static const struct proc_entry proc_root_entries[] = {
	{ "cpuinfo", S_IFREG | 0444, proc_cpuinfo_show },
	{ "filesystems", S_IFREG | 0444, proc_filesystems_show },
	{ "loadavg", S_IFREG | 0444, proc_loadavg_show },
	{ "meminfo", S_IFREG | 0444, proc_meminfo_show },
	{ "mounts", S_IFREG | 0444, proc_mounts_show },
	{ "net", S_IFDIR | 0555, NULL },
	{ "net/dev", S_IFREG | 0444, proc_net_dev_show },
	{ "slabinfo", S_IFREG | 0400, proc_slabinfo_show },
	{ "stat", S_IFREG | 0444, proc_stat_show },
	{ "uptime", S_IFREG | 0444, proc_uptime_show },
	{ "version", S_IFREG | 0444, proc_version_show },
};

struct proc_text {
	size_t len;
	char text[];
};

int proc_open_text(struct file *f, int (*show)(struct seq_buf *, void *),
		   void *arg)
{
	for (size_t size = 1024; size <= PROC_MAX_TEXT; size *= 2) {
		struct proc_text *t = kmalloc(sizeof(*t) + size, GFP_KERNEL);
		struct seq_buf s;
		int err;

		if (!t)
			return -ENOMEM;
		seq_buf_init(&s, t->text, size);
		err = show(&s, arg);
		if (err) {
			kfree(t);
			return err;
		}
		if (!seq_buf_has_overflowed(&s) || size == PROC_MAX_TEXT) {
			t->len = seq_buf_used(&s);
			f->private_data = t;
			return 0;
		}
		kfree(t);
	}
	return -ENOMEM;
}

struct task *proc_task(const struct inode *inode)
{
	return find_task_by_pid(PROC_I(inode)->pid);
}

static int root_show(struct seq_buf *s, void *arg)
{
	const struct proc_entry *e = arg;

	e->show(s);
	return 0;
}

struct pid_show_arg {
	const struct pid_entry *e;
	struct task *p;
};

static int pid_show(struct seq_buf *s, void *arg)
{
	struct pid_show_arg *a = arg;

	return a->e->show(s, a->p);
}

static int proc_text_open(struct inode *inode, struct file *f)
{
	struct proc_inode *pi = PROC_I(inode);
	struct pid_show_arg a = { pi->pid_entry, NULL };
	int err;

	if (pi->entry)
		return proc_open_text(f, root_show, (void *)pi->entry);
	a.p = proc_task(inode);
	if (!a.p)
		return -ESRCH;
	err = proc_open_text(f, pid_show, &a);
	put_task(a.p);
	return err;
}

static int proc_text_release(struct inode *inode, struct file *f)
{
	kfree(f->private_data);
	return 0;
}

static ssize_t proc_text_read(struct kiocb *iocb, struct iov_iter *to)
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

static loff_t proc_text_llseek(struct file *f, loff_t offset, int whence)
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

const struct file_operations proc_text_fops = {
	.open = proc_text_open,
	.release = proc_text_release,
	.read_iter = proc_text_read,
	.llseek = proc_text_llseek,
};

/* comm: read as a text, written as Linux's comm_write (base.c). */
ssize_t proc_comm_write(struct kiocb *iocb, struct iov_iter *from);

const struct file_operations proc_comm_fops = {
	.open = proc_text_open,
	.release = proc_text_release,
	.read_iter = proc_text_read,
	.write_iter = proc_comm_write,
	.llseek = proc_text_llseek,
};

/*
 * Linux's proc_setattr: no mode changes; a truncation (O_TRUNC, as the
 * shell's "echo name > /proc/self/comm" asks) is accepted and ignored.
 */
static int proc_setattr(struct dentry *d, struct iattr *attr)
{
	struct iattr a = *attr;

	if (a.ia_valid & ATTR_MODE)
		return -EPERM;
	a.ia_valid &= ~ATTR_SIZE;
	return simple_setattr(d, &a);
}

static const struct inode_operations proc_file_iops = {
	.setattr = proc_setattr,
};

struct inode *proc_new_inode(struct super_block *sb, umode_t mode, int pid,
			     int fd)
{
	struct proc_inode *pi = kzalloc(sizeof(*pi), GFP_KERNEL);
	struct inode *inode;

	if (!pi)
		return NULL;
	inode = new_inode(sb);
	if (!inode) {
		kfree(pi);
		return NULL;
	}
	pi->pid = pid;
	pi->fd = fd;
	inode->i_mode = mode;
	inode->i_op = &proc_file_iops; /* directories and links replace it */
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	inode->i_private = pi;
	return inode;
}

static void proc_evict_inode(struct inode *inode)
{
	kfree(inode->i_private);
}

static const struct super_operations proc_sops = {
	.evict_inode = proc_evict_inode,
};

int proc_name_to_int(const struct qstr *name)
{
	int n = 0;

	if (!name->len || name->len > 9 ||
	    (name->name[0] == '0' && name->len > 1))
		return -1;
	for (u32 i = 0; i < name->len; i++) {
		if (name->name[i] < '0' || name->name[i] > '9')
			return -1;
		n = n * 10 + (name->name[i] - '0');
	}
	return n;
}

static void kfree_link(void *arg)
{
	kfree(arg);
}

/* /proc/self: the caller's pid, worked out at each follow. */
static const char *proc_self_get_link(struct dentry *d, struct inode *inode,
				      struct delayed_call *done)
{
	char *buf = kmalloc(16, GFP_KERNEL);

	if (!buf)
		return ERR_PTR(-ENOMEM);
	snprintf(buf, 16, "%d", current->pid);
	done->fn = kfree_link;
	done->arg = buf;
	return buf;
}

static const struct inode_operations proc_self_iops = {
	.get_link = proc_self_get_link,
};

static struct dentry *proc_root_lookup(struct inode *dir, struct dentry *d,
				       unsigned int flags)
{
	int pid = proc_name_to_int(&d->d_name);
	struct inode *inode = NULL;
	struct task *p;

	if (d->d_name.len == 4 && !memcmp(d->d_name.name, "self", 4)) {
		inode = proc_new_inode(dir->i_sb, S_IFLNK | 0777, 0, 0);
		if (!inode)
			return ERR_PTR(-ENOMEM);
		inode->i_op = &proc_self_iops;
	} else if (pid > 0 && (p = find_task_by_pid(pid)) != NULL) {
		inode = proc_new_inode(dir->i_sb, S_IFDIR | 0555, pid, 0);
		if (inode)
			proc_pid_dir_fill(inode, p);
		put_task(p);
		if (!inode)
			return ERR_PTR(-ENOMEM);
	}
	d_add(d, inode);
	return NULL;
}

static int proc_root_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_path.dentry;
	unsigned int top = 0;
	char name[12];
	int pid;

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 0, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) { /* the root's parent, in its own mount: itself */
		if (!ctx->actor(ctx, "..", 2, 1, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(proc_root_entries); i++) {
		const struct proc_entry *e = &proc_root_entries[i];

		if (strchr(e->name, '/'))
			continue;
		if (ctx->pos == 2 + top &&
		    !ctx->actor(ctx, e->name, strlen(e->name), ctx->pos,
				dir->d_inode->i_ino + 1 + i,
				fs_umode_to_dtype(e->mode)))
			return 0;
		if (ctx->pos == 2 + top)
			ctx->pos++;
		top++;
	}
	if (ctx->pos == 2 + top) { /* "self" */
		if (!ctx->actor(ctx, "self", 4, ctx->pos, 1, DT_LNK))
			return 0;
		ctx->pos = 3 + top;
	}
	while ((pid = task_next_pid(ctx->pos - (3 + top), NULL)) > 0) {
		int len = snprintf(name, sizeof(name), "%d", pid);

		ctx->pos = 3 + top + pid;
		if (!ctx->actor(ctx, name, len, ctx->pos, pid, DT_DIR))
			return 0;
		ctx->pos++;
	}
	return 0;
}

static loff_t proc_root_llseek(struct file *f, loff_t offset, int whence)
{
	return simple_dir_operations.llseek(f, offset, whence);
}

static const struct file_operations proc_root_fops = {
	.llseek = proc_root_llseek,
	.iterate_shared = proc_root_readdir,
};

static const struct inode_operations proc_root_iops = {
	.lookup = proc_root_lookup,
};

static const struct inode_operations proc_dir_iops = {
	.lookup = simple_lookup,
};

/* Add entry e under root ("a/b": under the directory a), pinned. */
static int proc_add(struct dentry *root, const struct proc_entry *e)
{
	const char *slash = strchr(e->name, '/');
	struct qstr name = { e->name, strlen(e->name) };
	struct dentry *parent = dget(root), *d;
	struct inode *inode;

	if (slash) {
		struct qstr dname = { e->name, slash - e->name };

		dput(parent);
		parent = d_lookup(root, &dname);
		if (!parent)
			return -ENOENT;
		name = (struct qstr){ slash + 1, strlen(slash + 1) };
	}
	inode = proc_new_inode(root->d_sb, e->mode, 0, 0);
	if (!inode) {
		dput(parent);
		return -ENOMEM;
	}
	PROC_I(inode)->entry = e;
	if (S_ISDIR(e->mode)) {
		inode->i_op = &proc_dir_iops;
		inode->i_fop = &simple_dir_operations;
		set_nlink(inode, 2);
	} else {
		inode->i_fop = &proc_text_fops;
	}
	d = d_alloc(parent, &name);
	dput(parent);
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
	sb->s_op = &proc_sops;
	inode = proc_new_inode(sb, S_IFDIR | 0555, 0, 0);
	if (inode) {
		inode->i_op = &proc_root_iops;
		inode->i_fop = &proc_root_fops;
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
