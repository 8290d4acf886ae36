// SPDX-License-Identifier: MIT
/*
 * libfs.c - helpers for file systems whose directories live in the
 * dcache (ramfs, the /dev and /proc trees): lookup that says "no such
 * name", readdir over the cached children, in-memory symlinks.
 */
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
 * The n-th positive child of dir, copied out (dcache_lock can't be
 * held across the actor, which may fault on user memory). Positive
 * children change only under dir's i_mutex, which readdir holds.
 */
static bool nth_child(struct dentry *dir, loff_t n, struct dirent_copy *e)
{
	struct dentry *c;
	bool found = false;

	spin_lock(&dcache_lock);
	list_for_each_entry(c, &dir->d_subdirs, d_child) {
		if (!c->d_inode || n-- > 0)
			continue;
		e->len = c->d_name.len;
		memcpy(e->name, c->d_name.name, e->len);
		e->ino = c->d_inode->i_ino;
		e->type = fs_umode_to_dtype(c->d_inode->i_mode);
		found = true;
		break;
	}
	spin_unlock(&dcache_lock);
	return found;
}

/* Positions: 0 ".", 1 "..", 2+n the n-th cached positive child. */
int dcache_readdir(struct file *f, struct dir_context *ctx)
{
	struct dentry *dir = f->f_path.dentry;
	struct dirent_copy e;

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
	while (nth_child(dir, ctx->pos - 2, &e)) {
		if (!ctx->actor(ctx, e.name, e.len, ctx->pos, e.ino, e.type))
			break;
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
	f->f_pos = offset;
	return offset;
}

const struct file_operations simple_dir_operations = {
	.llseek = dcache_dir_lseek,
	.iterate_shared = dcache_readdir,
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
