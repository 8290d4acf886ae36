// SPDX-License-Identifier: MIT
/*
 * ramfs.c - a file system in memory (Linux's ramfs/tmpfs shape).
 *
 * The directory tree is the dcache: each positive dentry is pinned
 * (d_pin) and unlink unpins it, so a file lives while it has a name or
 * an opener. A regular file's data is an array of pages, index = file
 * offset / PAGE_SIZE, grown as writes need it; a page never written
 * reads as zeroes (a hole). Truncation frees the pages past the new
 * size and zeroes the tail of the last one, so growing again reads
 * zeroes. The inode's i_mutex protects the page array and i_size.
 * Files are limited to RAMFS_MAX_FILE bytes (-EFBIG past it); a write
 * that finds no free page returns what it wrote, or -ENOSPC.
 */
#include <keel/fs.h>
#include <keel/init.h>
#include <keel/mm.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "internal.h"

#define RAMFS_MAGIC    0x858458f6
#define RAMFS_MAX_FILE (1LL << 30)

struct ramfs_file {
	void **pages;
	unsigned long nr_slots; /* entries in pages */
};

static const struct inode_operations ramfs_dir_inode_operations;
static const struct inode_operations ramfs_file_inode_operations;
static const struct inode_operations ramfs_symlink_inode_operations;
static const struct file_operations ramfs_file_operations;

static struct ramfs_file *rf(struct inode *inode)
{
	return inode->i_private;
}

/* Room for page index idx; -ENOMEM. */
static int ramfs_grow(struct ramfs_file *f, unsigned long idx)
{
	unsigned long n = max(f->nr_slots * 2, 16UL);
	void **p;

	if (idx < f->nr_slots)
		return 0;
	while (n <= idx)
		n *= 2;
	p = krealloc(f->pages, n * sizeof(void *), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	memset(p + f->nr_slots, 0, (n - f->nr_slots) * sizeof(void *));
	f->pages = p;
	f->nr_slots = n;
	return 0;
}

/* The page holding byte pos, allocated (zeroed) if missing; NULL. */
static void *ramfs_page(struct inode *inode, loff_t pos)
{
	struct ramfs_file *f = rf(inode);
	unsigned long idx = pos >> PAGE_SHIFT;

	if (ramfs_grow(f, idx))
		return NULL;
	if (!f->pages[idx]) {
		f->pages[idx] = alloc_page(__GFP_ZERO);
		if (f->pages[idx])
			inode->i_blocks += PAGE_SIZE / 512;
	}
	return f->pages[idx];
}

static ssize_t ramfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	struct ramfs_file *f = rf(inode);
	ssize_t done = 0;

	mutex_lock(&inode->i_mutex);
	while (iov_iter_count(to) && iocb->ki_pos < inode->i_size) {
		unsigned long idx = iocb->ki_pos >> PAGE_SHIFT;
		size_t off = iocb->ki_pos & (PAGE_SIZE - 1);
		size_t n = min((loff_t)(PAGE_SIZE - off),
			       inode->i_size - iocb->ki_pos);
		void *page = idx < f->nr_slots ? f->pages[idx] : NULL;
		size_t got = page ? copy_to_iter((char *)page + off, n, to) :
				    iov_iter_zero(n, to);

		done += got;
		iocb->ki_pos += got;
		if (got < n) {
			done = done ? done : -EFAULT;
			break;
		}
	}
	mutex_unlock(&inode->i_mutex);
	return done;
}

/* Write from iocb->ki_pos; i_mutex held. Bytes written or -Exxx. */
static ssize_t ramfs_write_locked(struct kiocb *iocb, struct iov_iter *from,
				  struct inode *inode)
{
	ssize_t done = 0;

	while (iov_iter_count(from)) {
		size_t off = iocb->ki_pos & (PAGE_SIZE - 1);
		size_t n = min(PAGE_SIZE - off, iov_iter_count(from));
		char *page;
		size_t got;

		if (iocb->ki_pos >= RAMFS_MAX_FILE)
			return done ? done : -EFBIG;
		page = ramfs_page(inode, iocb->ki_pos);
		if (!page)
			return done ? done : -ENOSPC;
		got = copy_from_iter(page + off, n, from);
		done += got;
		iocb->ki_pos += got;
		if (iocb->ki_pos > inode->i_size)
			inode->i_size = iocb->ki_pos;
		if (got < n)
			return done ? done : -EFAULT;
	}
	return done;
}

static ssize_t ramfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	mutex_lock(&inode->i_mutex);
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = inode->i_size;
	ret = ramfs_write_locked(iocb, from, inode);
	if (ret > 0)
		inode->i_mtime = inode->i_ctime = current_time(inode);
	mutex_unlock(&inode->i_mutex);
	return ret;
}

/* Free the pages from byte size on and zero the rest of the last. */
static void ramfs_truncate_pages(struct inode *inode, loff_t size)
{
	struct ramfs_file *f = rf(inode);
	unsigned long first = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	size_t tail = size & (PAGE_SIZE - 1);

	for (unsigned long i = first; i < f->nr_slots; i++) {
		if (f->pages[i]) {
			free_page(f->pages[i]);
			f->pages[i] = NULL;
			inode->i_blocks -= PAGE_SIZE / 512;
		}
	}
	if (tail && (unsigned long)(size >> PAGE_SHIFT) < f->nr_slots &&
	    f->pages[size >> PAGE_SHIFT])
		memset((char *)f->pages[size >> PAGE_SHIFT] + tail, 0,
		       PAGE_SIZE - tail);
}

static int ramfs_setattr(struct dentry *d, struct iattr *attr)
{
	struct inode *inode = d->d_inode;
	struct iattr rest = *attr;

	lockdep_assert_held(&inode->i_mutex);
	if (attr->ia_valid & ATTR_SIZE) {
		if (!S_ISREG(inode->i_mode))
			return -EINVAL;
		if (attr->ia_size > RAMFS_MAX_FILE)
			return -EFBIG;
		if (attr->ia_size < inode->i_size)
			ramfs_truncate_pages(inode, attr->ia_size);
		inode->i_size = attr->ia_size;
		rest.ia_valid &= ~ATTR_SIZE;
	}
	return simple_setattr(d, &rest);
}

static void ramfs_evict_inode(struct inode *inode)
{
	struct ramfs_file *f = rf(inode);

	if (f) {
		ramfs_truncate_pages(inode, 0);
		kfree(f->pages);
		kfree(f);
	}
	kfree(inode->i_link);
}

/* A new inode of mode; NULL if memory is short. */
static struct inode *ramfs_get_inode(struct super_block *sb, umode_t mode,
				     dev_t dev)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_mode = mode;
	switch (mode & S_IFMT) {
	case S_IFREG:
		inode->i_private =
			kzalloc(sizeof(struct ramfs_file), GFP_KERNEL);
		if (!inode->i_private) {
			iput(inode);
			return NULL;
		}
		inode->i_op = &ramfs_file_inode_operations;
		inode->i_fop = &ramfs_file_operations;
		break;
	case S_IFDIR:
		inode->i_op = &ramfs_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		inc_nlink(inode); /* "." */
		break;
	case S_IFLNK: inode->i_op = &ramfs_symlink_inode_operations; break;
	default:
		inode->i_op = &ramfs_file_inode_operations;
		init_special_inode(inode, mode, dev);
		break;
	}
	return inode;
}

static void dir_changed(struct inode *dir)
{
	dir->i_mtime = dir->i_ctime = current_time(dir);
}

static int ramfs_mknod(struct inode *dir, struct dentry *d, umode_t mode,
		       dev_t dev)
{
	struct inode *inode = ramfs_get_inode(dir->i_sb, mode, dev);

	if (!inode)
		return -ENOSPC;
	d_instantiate(d, inode);
	d_pin(d);
	dir_changed(dir);
	return 0;
}

static int ramfs_mkdir(struct inode *dir, struct dentry *d, umode_t mode)
{
	int err = ramfs_mknod(dir, d, mode, 0);

	if (!err)
		inc_nlink(dir); /* the child's ".." */
	return err;
}

static int ramfs_create(struct inode *dir, struct dentry *d, umode_t mode,
			bool excl)
{
	return ramfs_mknod(dir, d, mode, 0);
}

static int ramfs_symlink(struct inode *dir, struct dentry *d,
			 const char *target)
{
	struct inode *inode = ramfs_get_inode(dir->i_sb, S_IFLNK | 0777, 0);
	size_t len = strlen(target);

	if (!inode)
		return -ENOSPC;
	inode->i_link = kmalloc(len + 1, GFP_KERNEL);
	if (!inode->i_link) {
		iput(inode);
		return -ENOSPC;
	}
	memcpy(inode->i_link, target, len + 1);
	inode->i_size = len;
	d_instantiate(d, inode);
	d_pin(d);
	dir_changed(dir);
	return 0;
}

static int ramfs_link(struct dentry *old, struct inode *dir, struct dentry *new)
{
	struct inode *inode = old->d_inode;

	inc_nlink(inode);
	inode->i_ctime = current_time(inode);
	d_instantiate(new, igrab(inode));
	d_pin(new);
	dir_changed(dir);
	return 0;
}

static int ramfs_unlink(struct inode *dir, struct dentry *d)
{
	struct inode *inode = d->d_inode;

	drop_nlink(inode);
	inode->i_ctime = current_time(inode);
	d_unpin(d);
	dir_changed(dir);
	return 0;
}

static int ramfs_rmdir(struct inode *dir, struct dentry *d)
{
	if (!simple_empty(d))
		return -ENOTEMPTY;
	clear_nlink(d->d_inode);
	drop_nlink(dir);
	d_unpin(d);
	dir_changed(dir);
	return 0;
}

static int ramfs_rename(struct inode *old_dir, struct dentry *old,
			struct inode *new_dir, struct dentry *new,
			unsigned int flags)
{
	bool is_dir = S_ISDIR(old->d_inode->i_mode);

	if (new->d_inode && is_dir && !simple_empty(new))
		return -ENOTEMPTY;
	if (new->d_inode) {
		if (is_dir) {
			clear_nlink(new->d_inode);
			drop_nlink(old_dir);
		} else {
			drop_nlink(new->d_inode);
		}
		d_unpin(new);
	} else if (is_dir) {
		drop_nlink(old_dir);
		inc_nlink(new_dir);
	}
	dir_changed(old_dir);
	dir_changed(new_dir);
	return 0;
}

static const struct inode_operations ramfs_dir_inode_operations = {
	.lookup = simple_lookup,
	.create = ramfs_create,
	.link = ramfs_link,
	.unlink = ramfs_unlink,
	.symlink = ramfs_symlink,
	.mkdir = ramfs_mkdir,
	.rmdir = ramfs_rmdir,
	.mknod = ramfs_mknod,
	.rename = ramfs_rename,
	.setattr = simple_setattr,
};

static const struct inode_operations ramfs_file_inode_operations = {
	.setattr = ramfs_setattr,
};

static const struct inode_operations ramfs_symlink_inode_operations = {
	.get_link = simple_get_link,
	.setattr = simple_setattr,
};

static const struct file_operations ramfs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = ramfs_read_iter,
	.write_iter = ramfs_write_iter,
};

/*
 * Sizes: the memory the files come from (all RAM, what is free now);
 * ramfs sets no limit of its own. TODO: a tmpfs size= limit.
 */
static int ramfs_statfs(struct dentry *d, struct kstatfs *buf)
{
	buf->f_blocks = nr_total_pages();
	buf->f_bfree = buf->f_bavail = nr_free_pages();
	return 0;
}

static const struct super_operations ramfs_super_operations = {
	.evict_inode = ramfs_evict_inode,
	.statfs = ramfs_statfs,
};

static struct dentry *ramfs_mount(struct file_system_type *type, int flags,
				  const char *dev_name, void *data)
{
	struct super_block *sb = sget_anon(type);
	struct dentry *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = RAMFS_MAGIC;
	sb->s_op = &ramfs_super_operations;
	root = d_make_root(ramfs_get_inode(sb, S_IFDIR | 0755, 0));
	if (!root) {
		kfree(sb);
		return ERR_PTR(-ENOMEM);
	}
	sb->s_root = root;
	return dget(root);
}

/* umount: unpin the tree, then the root goes with the last dput. */
static void ramfs_kill_sb(struct super_block *sb)
{
	d_genocide(sb->s_root);
	dput(sb->s_root);
}

static struct file_system_type ramfs_fs_type = {
	.name = "ramfs",
	.mount = ramfs_mount,
	.kill_sb = ramfs_kill_sb,
};

static struct file_system_type tmpfs_fs_type = {
	.name = "tmpfs",
	.mount = ramfs_mount,
	.kill_sb = ramfs_kill_sb,
};

int init_ramfs_fs(void)
{
	int err = register_filesystem(&ramfs_fs_type);

	return err ? err : register_filesystem(&tmpfs_fs_type);
}
