// SPDX-License-Identifier: MIT
/*
 * libfs.c - helpers for file systems whose directories live in the
 * dcache (ramfs, the /dev and /proc trees): lookup that says "no such
 * name", readdir over the cached children, in-memory symlinks.
 */
#include <keel/bug.h>
#include <keel/fs.h>
#include <keel/string.h>

/* Anything not in the dcache does not exist. */
struct dentry *simple_lookup(struct inode *dir, struct dentry *d,
			     unsigned int flags)
{
	if (d->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(d, NULL);
	return NULL;
}

unsigned int fs_umode_to_dtype(umode_t mode)
{
	return (mode & S_IFMT) >> 12;
}

struct dirent_copy {
	char name[NAME_MAX + 1];
	int len;
	u64 ino;
	unsigned int type;
};

/*
 * An open directory keeps its place with a cursor (d_alloc_cursor) in
 * the list of children, just after the last child readdir returned: a
 * child unlinked meanwhile leaves the list without moving the place, so
 * readdir neither skips nor repeats the children that stay (an index
 * would skip one for each child removed before it, as rm -r does).
 */
int dcache_dir_open(struct inode *inode, struct file *f)
{
	f->private_data = d_alloc_cursor(f->f_path.dentry);
	return f->private_data ? 0 : -ENOMEM;
}

int dcache_dir_close(struct inode *inode, struct file *f)
{
	dput(f->private_data);
	return 0;
}

/* Move cursor to just after at. dcache_lock held. */
static void cursor_move(struct dentry *cursor, struct list_head *at)
{
	list_del_init(&cursor->d_child);
	list_add(&cursor->d_child, at);
}

/*
 * The first positive child of dir after from, copied out and
 * referenced (dcache_lock can't be held across the actor, which may
 * fault on user memory), or NULL. dcache_lock held.
 */
static struct dentry *next_positive(struct dentry *dir, struct list_head *from,
				    struct dirent_copy *e)
{
	struct dentry *c;

	for (from = from->next; from != &dir->d_subdirs; from = from->next) {
		c = list_entry(from, struct dentry, d_child);
		if (!c->d_inode || (c->d_flags & DCACHE_CURSOR))
			continue;
		e->len = c->d_name.len;
		memcpy(e->name, c->d_name.name, e->len);
		e->ino = c->d_inode->i_ino;
		e->type = fs_umode_to_dtype(c->d_inode->i_mode);
		c->d_count++;
		return c;
	}
	return NULL;
}

/*
 * Put cursor after the n-th positive child of dir (n <= 0: first; past
 * the end: last). dcache_lock held.
 */
static void cursor_to(struct dentry *dir, struct dentry *cursor, loff_t n)
{
	struct list_head *at = &dir->d_subdirs;
	struct dentry *c;

	list_for_each_entry(c, &dir->d_subdirs, d_child) {
		if (n <= 0)
			break;
		if (!c->d_inode || (c->d_flags & DCACHE_CURSOR))
			continue;
		at = &c->d_child;
		n--;
	}
	cursor_move(cursor, at);
}

/*
 * Positions: 0 ".", 1 "..", 2+n after the n-th positive child. The
 * cursor says where the children go on; the position counts them.
 */
int dcache_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_path.dentry, *cursor = f->private_data;
	struct dentry *next;
	struct dirent_copy e;

	if (WARN_ON_ONCE(!cursor))
		return -EINVAL; /* not opened by dcache_dir_open */
	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 0, dir->d_inode->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		struct dentry *p = dget_parent(dir);
		u64 ino = p->d_inode->i_ino;

		dput(p);
		if (!ctx->actor(ctx, "..", 2, 1, ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (;;) {
		spin_lock(&dcache_lock);
		if (ctx->pos == 2)
			cursor_move(cursor, &dir->d_subdirs);
		next = next_positive(dir, &cursor->d_child, &e);
		spin_unlock(&dcache_lock);
		if (!next)
			break;
		if (!ctx->actor(ctx, e.name, e.len, ctx->pos, e.ino, e.type)) {
			dput(next);
			break;
		}
		spin_lock(&dcache_lock);
		/* gone meanwhile: the cursor already stands before it */
		if (!(next->d_flags & DCACHE_UNHASHED) && next->d_parent == dir)
			cursor_move(cursor, &next->d_child);
		spin_unlock(&dcache_lock);
		dput(next);
		ctx->pos++;
	}
	return 0;
}

/* Directories are sought only to 0 (rewinddir) or a position given. */
static loff_t dcache_dir_lseek(struct file *f, loff_t offset, int whence)
{
	if (whence == SEEK_CUR)
		offset += f->f_pos;
	else if (whence != SEEK_SET)
		return -EINVAL;
	if (offset < 0)
		return -EINVAL;
	if (f->f_op == &simple_dir_operations && f->private_data) {
		spin_lock(&dcache_lock);
		cursor_to(f->f_path.dentry, f->private_data, offset - 2);
		spin_unlock(&dcache_lock);
	}
	f->f_pos = offset;
	return offset;
}

const struct file_operations simple_dir_operations = {
	.llseek = dcache_dir_lseek,
	.iterate_shared = dcache_readdir,
	.open = dcache_dir_open,
	.release = dcache_dir_close,
};

const char *simple_get_link(struct dentry *d, struct inode *inode,
			    struct delayed_call *done)
{
	return inode->i_link;
}

/* Everything but the size (the file system's own business). */
int simple_setattr(struct dentry *d, struct iattr *attr)
{
	struct inode *inode = d->d_inode;

	if (attr->ia_valid & ATTR_SIZE)
		return -EINVAL;
	if (attr->ia_valid & ATTR_MODE)
		inode->i_mode = (inode->i_mode & S_IFMT) |
				(attr->ia_mode & S_IALLUGO);
	if (attr->ia_valid & ATTR_UID)
		inode->i_uid = attr->ia_uid;
	if (attr->ia_valid & ATTR_GID)
		inode->i_gid = attr->ia_gid;
	if (attr->ia_valid & ATTR_ATIME)
		inode->i_atime = attr->ia_atime;
	if (attr->ia_valid & ATTR_MTIME)
		inode->i_mtime = attr->ia_mtime;
	inode->i_ctime = current_time(inode);
	return 0;
}

int simple_empty(struct dentry *d)
{
	struct dentry *c;
	int empty = 1;

	spin_lock(&dcache_lock);
	list_for_each_entry(c, &d->d_subdirs, d_child)
		if (c->d_inode) {
			empty = 0;
			break;
		}
	spin_unlock(&dcache_lock);
	return empty;
}
