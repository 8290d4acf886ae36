/* SPDX-License-Identifier: MIT */
/*
 * keel/fs.h - the virtual file system: Linux's objects and names at
 * keel's size (docs/vfs.md has the design).
 *
 *   super_block  one mounted instance of a file system type
 *   inode        a file's metadata and operations (i_op, i_fop)
 *   dentry       a name in a directory, bound to an inode (positive) or
 *                to nothing (negative); the dcache is the tree of them
 *   vfsmount     a super_block's root grafted on a dentry of another
 *   path         (vfsmount, dentry): a place in the namespace
 *   file         an open file: position, flags, f_op, a path
 *
 * Locking (one rule per object):
 *   dcache_lock (spinlock)  every dentry's d_count, d_parent, d_name,
 *                           d_child/d_subdirs lists and d_inode binding
 *   inode->i_mutex          a directory's entries (create, unlink, rename
 *                           into or out of it, the fs's lookup), or a
 *                           regular file's data and i_size
 *   rename_mutex            held across a rename, before two i_mutexes
 *   mount_lock (spinlock)   the mount tree and each mount's refcount
 *                           check at umount
 * Order: rename_mutex -> parent i_mutex -> child i_mutex -> mount_lock
 * -> dcache_lock.
 *
 * Refcounts: a dentry pins its parent and its inode; a path pins its
 * mount and dentry; an open file pins its path. A dentry whose count
 * drops to zero is freed at once (no unused-dentry cache): a file
 * system that keeps its tree in the dcache (ramfs) pins each positive
 * dentry with one extra reference, dropped at unlink.
 */
#ifndef _KEEL_FS_H
#define _KEEL_FS_H

#include <keel/errno.h>
#include <keel/fcntl.h>
#include <keel/list.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/refcount.h>
#include <keel/spinlock.h>
#include <keel/stat.h>
#include <keel/uio.h>

#define NAME_MAX    255	 /* bytes in a path component */
#define PATH_MAX    4096 /* bytes in a path, with its NUL */
#define MAXSYMLINKS 40	 /* links followed by one walk (ELOOP) */

typedef long long loff_t;
typedef unsigned int fmode_t;

#define FMODE_READ  0x1
#define FMODE_WRITE 0x2
#define FMODE_LSEEK 0x4
/* no position (pipes): read/write do not take f_pos_lock, may block */
#define FMODE_STREAM 0x200000

#define MAX_LFS_FILESIZE ((loff_t)LLONG_MAX)

struct inode;
struct dentry;
struct file;
struct super_block;
struct vfsmount;
struct kstat;
struct poll_table_struct;
struct pipe_inode_info;

struct qstr {
	const char *name;
	u32 len;
};

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

/* An I/O request: the file and the position it works at. */
struct kiocb {
	struct file *ki_filp;
	loff_t ki_pos;
	int ki_flags; /* IOCB_* */
};

#define IOCB_APPEND 0x1
#define IOCB_NOWAIT 0x2

/*
 * getdents: iterate() calls actor once per entry, from ctx->pos on,
 * updating ctx->pos to the entry after it; actor returns false when the
 * caller's buffer is full (iterate then stops and returns 0).
 */
struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name,
			  int namelen, loff_t offset, u64 ino,
			  unsigned int d_type);
struct dir_context {
	filldir_t actor;
	loff_t pos;
};

/* A function to run once a returned object is no longer needed. */
struct delayed_call {
	void (*fn)(void *arg);
	void *arg;
};

static inline void do_delayed_call(struct delayed_call *call)
{
	if (call->fn)
		call->fn(call->arg);
}

typedef unsigned int __poll_t;

/*
 * File operations. read_iter/write_iter move data between the file at
 * iocb->ki_pos (which they advance) and the iterator, returning bytes
 * moved or -Exxx. NULL entries mean "not supported" (-EINVAL for read
 * and write, -ENOTTY for ioctl, -ENOTDIR for iterate_shared).
 */
struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read_iter)(struct kiocb *iocb, struct iov_iter *to);
	ssize_t (*write_iter)(struct kiocb *iocb, struct iov_iter *from);
	int (*iterate_shared)(struct file *file, struct dir_context *ctx);
	long (*unlocked_ioctl)(struct file *file, unsigned int cmd,
			       unsigned long arg);
	/* ready events now; registers its wait queues (keel/poll.h) */
	__poll_t (*poll)(struct file *file, struct poll_table_struct *pt);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
};

/* Attribute changes (setattr): which fields ia_valid says to apply. */
#define ATTR_MODE  0x1
#define ATTR_UID   0x2
#define ATTR_GID   0x4
#define ATTR_SIZE  0x8
#define ATTR_ATIME 0x10
#define ATTR_MTIME 0x20

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	u32 ia_uid;
	u32 ia_gid;
	loff_t ia_size;
	struct timespec64 ia_atime;
	struct timespec64 ia_mtime;
};

/*
 * Inode operations on a directory are called with dir->i_mutex held
 * (both directories' for rename); the dentry argument is negative for
 * create, mkdir, mknod, symlink and link, and positive for unlink,
 * rmdir and rename's source. lookup binds the dentry with d_add() (a
 * negative one if the name does not exist) and returns NULL or ERR_PTR.
 */
struct inode_operations {
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry,
				 unsigned int flags);
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode,
		      bool excl);
	int (*link)(struct dentry *old, struct inode *dir, struct dentry *new);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*symlink)(struct inode *dir, struct dentry *dentry,
		       const char *target);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*mknod)(struct inode *dir, struct dentry *dentry, umode_t mode,
		     dev_t dev);
	int (*rename)(struct inode *old_dir, struct dentry *old,
		      struct inode *new_dir, struct dentry *new,
		      unsigned int flags);
	/* The target (NUL-terminated); done releases it, if set. */
	const char *(*get_link)(struct dentry *dentry, struct inode *inode,
				struct delayed_call *done);
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
};

/* What statfs(2) reports about a file system. */
struct kstatfs {
	long f_type;
	long f_bsize;
	u64 f_blocks;
	u64 f_bfree;
	u64 f_bavail;
	u64 f_files;
	u64 f_ffree;
	long f_namelen;
	long f_frsize;
	long f_flags;
};

struct super_operations {
	/* The last reference to inode is gone: free what the fs keeps. */
	void (*evict_inode)(struct inode *inode);
	void (*put_super)(struct super_block *sb);
	/* Fill sizes into buf (type, bsize, namelen are preset). */
	int (*statfs)(struct dentry *d, struct kstatfs *buf);
};

struct inode {
	umode_t i_mode;
	unsigned int i_nlink; /* i_mutex of the inode (and its parent) */
	u32 i_uid;
	u32 i_gid;
	dev_t i_rdev;
	loff_t i_size; /* i_mutex */
	u64 i_blocks;
	unsigned long i_ino;
	struct timespec64 i_atime;
	struct timespec64 i_mtime;
	struct timespec64 i_ctime;
	refcount_t i_count;
	struct mutex i_mutex;
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	void *i_private; /* the file system's */
	char *i_link;	 /* symlink target kept in memory, or NULL */
	/* a FIFO's or pipe's buffer while it is open (fs/pipe.c) */
	struct pipe_inode_info *i_pipe;
};

#define DNAME_INLINE_LEN 32

struct dentry {
	int d_count;		 /* dcache_lock */
	unsigned int d_flags;	 /* DCACHE_* */
	int d_mounted;		 /* mounts on it (mount_lock) */
	struct inode *d_inode;	 /* NULL: negative */
	struct dentry *d_parent; /* itself for a root */
	struct qstr d_name;
	struct list_head d_child;   /* in d_parent->d_subdirs */
	struct list_head d_subdirs; /* children, cached */
	struct super_block *d_sb;
	void *d_fsdata;
	char d_iname[DNAME_INLINE_LEN];
};

#define DCACHE_UNHASHED 0x1 /* removed from its parent's list */
#define DCACHE_PINNED	0x2 /* holds one extra reference (d_pin) */
#define DCACHE_CURSOR	0x4 /* an open directory's readdir place */

struct super_block {
	struct dentry *s_root;
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	dev_t s_dev;
	unsigned long s_magic;
	void *s_fs_info;
	unsigned long s_next_ino;
	int s_active; /* mounts of it (mount_lock) */
};

struct file_system_type {
	const char *name;
	/* A new super_block's root dentry (referenced), or ERR_PTR. */
	struct dentry *(*mount)(struct file_system_type *fs_type, int flags,
				const char *dev_name, void *data);
	void (*kill_sb)(struct super_block *sb);
	struct file_system_type *next;
};

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	struct vfsmount *mnt_parent;   /* itself for the root mount */
	struct dentry *mnt_mountpoint; /* in mnt_parent */
	struct list_head mnt_list;     /* all mounts, mount order */
	refcount_t mnt_count;
	int mnt_flags;
	char mnt_devname[32];
};

struct file {
	refcount_t f_count;
	unsigned int f_flags; /* O_* (O_APPEND, O_NONBLOCK change) */
	fmode_t f_mode;
	struct mutex f_pos_lock;
	loff_t f_pos;
	struct path f_path;
	struct inode *f_inode;
	const struct file_operations *f_op;
	void *private_data;
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline struct inode *d_inode(const struct dentry *d)
{
	return d->d_inode;
}

/* ---- dcache (fs/dcache.c) ---- */
extern spinlock_t dcache_lock;
/* A new negative dentry named name under parent (NULL: a root). */
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
struct dentry *d_make_root(struct inode *root_inode);
/*
 * A readdir cursor for an open directory dir: a nameless negative
 * dentry first in dir's list of children, which lookups skip. It holds
 * a reference to dir; dput frees it.
 */
struct dentry *d_alloc_cursor(struct dentry *dir);
struct dentry *dget(struct dentry *d);
struct dentry *dget_parent(struct dentry *d);
void dput(struct dentry *d);
/* The cached child of parent named name, referenced, or NULL. */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
/* Bind a negative dentry to inode (NULL: stays negative). */
void d_instantiate(struct dentry *d, struct inode *inode);
void d_add(struct dentry *d, struct inode *inode);
/*
 * Unhash d (unlink, rmdir, a replaced rename target): lookups no longer
 * find it; its holders keep it and its inode until their dput.
 */
void d_drop(struct dentry *d);
/*
 * Rename: d takes target's name and parent; target (negative, or the
 * replaced file) is unhashed. The caller holds both parents' i_mutex.
 */
void d_move(struct dentry *d, struct dentry *target);
/*
 * Keep d in the cache with no user (a file system whose tree is the
 * dcache: ramfs): one extra reference, dropped by d_unpin (unlink).
 */
void d_pin(struct dentry *d);
void d_unpin(struct dentry *d);
/* True if d is anc or below it. */
bool is_subdir(struct dentry *d, struct dentry *anc);
/* The path of p relative to root, at the end of buf; ERR_PTR. */
char *d_path(const struct path *p, const struct path *root, char *buf,
	     int buflen);

/* ---- inodes and super blocks (fs/inode.c, fs/super.c) ---- */
struct inode *new_inode(struct super_block *sb);
struct inode *igrab(struct inode *inode);
void iput(struct inode *inode);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void clear_nlink(struct inode *inode);
void set_nlink(struct inode *inode, unsigned int n);
struct timespec64 current_time(struct inode *inode);
void init_special_inode(struct inode *inode, umode_t mode, dev_t rdev);
struct super_block *sget_anon(struct file_system_type *type);
void deactivate_super(struct super_block *sb);
int register_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);
/* Call fn for each registered type, newest first (/proc/filesystems). */
void iterate_filesystems(void (*fn)(struct file_system_type *type, void *arg),
			 void *arg);

/* ---- mounts (fs/namespace.c) ---- */
extern spinlock_t mount_lock;
struct vfsmount *mntget(struct vfsmount *m);
void mntput(struct vfsmount *m);
void path_get(const struct path *p);
void path_put(const struct path *p);
static inline bool path_equal(const struct path *a, const struct path *b)
{
	return a->mnt == b->mnt && a->dentry == b->dentry;
}
/*
 * An internal mount of a new instance of type, attached nowhere (pipefs):
 * it holds its one reference for good. ERR_PTR on failure.
 */
struct vfsmount *kern_mount(struct file_system_type *type);
/* The mount on p (referenced), or NULL. */
struct vfsmount *lookup_mnt(const struct path *p);
/*
 * Mount a new instance of type_name on dir_name (a directory).
 * Returns 0, -ENODEV (no such type), -ENOTDIR, -ENOENT, or the fs's
 * error.
 */
int do_mount(const char *dev_name, const char *dir_name, const char *type_name,
	     unsigned long flags, void *data);
/* Detach the mount at name: -EINVAL (not a mount root), -EBUSY. */
int do_umount_path(const char *name, int flags);
/* Boot: the root file system (ramfs) as / of init_fs. */
void vfs_caches_init(void);
/* Boot: unpack the initrd (cpio, gzip or not) into /; free its pages. */
void populate_rootfs(void);
/* Boot: mount devtmpfs on /dev with keel's device nodes. */
void devtmpfs_init(void);
/*
 * The first process: give current its own fs_struct and an fd table
 * with /dev/console on 0, 1 and 2. 0 or -Exxx (also printed).
 */
int console_on_rootfs(void);
/* Call fn for each mount, in mount order (procfs mounts). */
void iterate_mounts(void (*fn)(struct vfsmount *m, void *arg), void *arg);

/* ---- the path walk (fs/namei.c) ---- */
#define LOOKUP_FOLLOW	 0x1 /* follow a trailing symlink */
#define LOOKUP_DIRECTORY 0x2 /* the result must be a directory */
/*
 * Resolve name relative to dfd (AT_FDCWD: the cwd) into *path
 * (referenced). Errors: -ENOENT, -ENOTDIR, -ELOOP (more than
 * MAXSYMLINKS links), -ENAMETOOLONG (a component over NAME_MAX, a path
 * of PATH_MAX or more), -EBADF (dfd).
 */
int kern_path(const char *name, unsigned int flags, struct path *path);
int vfs_path_lookup_at(int dfd, const char *name, unsigned int flags,
		       struct path *path);
int vfs_create(struct inode *dir, struct dentry *d, umode_t mode, bool excl);
int vfs_mkdir(struct inode *dir, struct dentry *d, umode_t mode);
int vfs_mknod(struct inode *dir, struct dentry *d, umode_t mode, dev_t dev);
int vfs_symlink(struct inode *dir, struct dentry *d, const char *target);
int vfs_link(struct dentry *old, struct inode *dir, struct dentry *new);
int vfs_rmdir(struct inode *dir, struct dentry *d);
int vfs_unlink(struct inode *dir, struct dentry *d);
/* Path-name forms (the system calls and kernel users call these). */
int do_mkdirat(int dfd, const char *name, umode_t mode);
int do_mknodat(int dfd, const char *name, umode_t mode, dev_t dev);
int do_symlinkat(const char *target, int dfd, const char *name);
int do_linkat(int olddfd, const char *oldname, int newdfd, const char *newname,
	      int flags);
int do_rmdir(int dfd, const char *name);
int do_unlinkat(int dfd, const char *name);
int do_renameat2(int olddfd, const char *oldname, int newdfd,
		 const char *newname, unsigned int flags);
/* The link's target into buf (not NUL-terminated); length or -Exxx. */
int vfs_readlink(struct dentry *d, char *buf, int buflen);
int do_readlinkat(int dfd, const char *name, char *buf, int buflen);

/* ---- open files (fs/open.c, fs/file_table.c, fs/read_write.c) ---- */
/* Open path (O_* flags, mode for O_CREAT); the file or ERR_PTR. */
struct file *filp_open(const char *name, int flags, umode_t mode);
struct file *do_filp_open(int dfd, const char *name, int flags, umode_t mode);
/* An open file on a path that is already resolved (referenced). */
struct file *dentry_open(const struct path *path, int flags);
struct file *get_file(struct file *f);
void fput(struct file *f);
ssize_t kernel_read(struct file *f, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *f, const void *buf, size_t count,
		     loff_t *pos);
ssize_t vfs_iter_read(struct file *f, struct iov_iter *iter, loff_t *pos);
ssize_t vfs_iter_write(struct file *f, struct iov_iter *iter, loff_t *pos);
loff_t vfs_llseek(struct file *f, loff_t offset, int whence);
loff_t generic_file_llseek(struct file *f, loff_t offset, int whence);
loff_t no_llseek(struct file *f, loff_t offset, int whence);
int iterate_dir(struct file *f, struct dir_context *ctx);
int vfs_truncate(const struct path *path, loff_t length);
int do_truncate(struct dentry *d, loff_t length);
int notify_change(struct dentry *d, struct iattr *attr);
int chmod_common(const struct path *path, umode_t mode);
int do_fchmodat(int dfd, const char *name, umode_t mode);
int vfs_getattr(const struct path *path, struct kstat *stat);
int vfs_statfs(const struct path *path, struct kstatfs *buf);
/* stat of name (AT_SYMLINK_NOFOLLOW: lstat). */
int vfs_statx(int dfd, const char *name, int flags, struct kstat *stat);

/* ---- simple file systems (fs/libfs.c) ---- */
extern const struct file_operations simple_dir_operations;
struct dentry *simple_lookup(struct inode *dir, struct dentry *d,
			     unsigned int flags);
int dcache_dir_open(struct inode *inode, struct file *f);
int dcache_dir_close(struct inode *inode, struct file *f);
int dcache_readdir(struct file *f, struct dir_context *ctx);
const char *simple_get_link(struct dentry *d, struct inode *inode,
			    struct delayed_call *done);
int simple_setattr(struct dentry *d, struct iattr *attr);
int simple_empty(struct dentry *d);
/* Drop the pins of every positive dentry below root (kill_sb). */
void d_genocide(struct dentry *root);
/* d_type for mode, as getdents reports it. */
unsigned int fs_umode_to_dtype(umode_t mode);

/* ---- character devices (fs/char_dev.c) ---- */
extern const struct file_operations def_chr_fops;
/* Devices major:[minor_base, minor_base+count) open with fops. */
int register_chrdev_region_fops(dev_t base, unsigned int count,
				const char *name,
				const struct file_operations *fops);

#endif
