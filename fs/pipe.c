// SPDX-License-Identifier: MIT
/*
 * pipe.c - pipes (pipe, pipe2) and named FIFOs, with Linux's semantics.
 *
 * A pipe is a byte ring (struct pipe_inode_info) of nr_pages pages,
 * allocated as writes first reach them and freed with the pipe:
 * 16 pages (64 KiB) unless F_SETPIPE_SZ changes it. It hangs off an
 * inode's i_pipe: for pipe2() an inode of the internal pipefs (fstat
 * says S_IFIFO), for a FIFO the file system's S_IFIFO inode. Every open
 * file on it counts in pipe->files; the last one closed frees the ring,
 * so memory comes back when both ends of a pipe are closed (in every
 * process that inherited them).
 *
 * Locking: pipe->mutex guards the ring and the reader/writer counts;
 * data is copied to and from user memory under it (a fault may sleep,
 * the mutex allows that). A reader or writer that must wait drops the
 * mutex and sleeps on rd_wait (data or EOF) or wr_wait (room or no
 * reader) with wait_event_interruptible, whose conditions read the
 * counts without the lock; every change is followed by a wake_up of
 * the other side, so a sleeper re-tests. inode->i_mutex guards i_pipe
 * and pipe->files (open and the last close of a FIFO); order: i_mutex
 * -> pipe->mutex.
 *
 * Semantics (Linux's): a write of at most PIPE_BUF bytes is atomic (it
 * waits for room for all of it, so writers never interleave inside
 * it); a longer one may be split. A read returns what is there (up to
 * its count) and blocks only while the pipe is empty and has a writer;
 * with no writer left it returns 0 (EOF). A write with no reader left
 * sends SIGPIPE and fails with -EPIPE. O_NONBLOCK turns a wait into
 * -EAGAIN, or a short count for a write over PIPE_BUF that moved some
 * bytes. A signal ends a wait: -ERESTARTSYS, or the bytes moved so far.
 *
 * pipe2's O_DIRECT (Linux's packet mode) is refused with -EINVAL.
 * TODO: packet mode. TODO: a FIFO reader opened before any writer sees
 * POLLHUP at once (Linux waits for a first writer: f_version).
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/init.h>
#include <keel/mm.h>
#include <keel/pipe_fs_i.h>
#include <keel/poll.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>

#include "internal.h"

#define PIPEFS_MAGIC 0x50495045
#define FIONREAD     0x541B

struct pipe_inode_info {
	struct mutex mutex;
	struct wait_queue_head rd_wait;	   /* readers wait for data or EOF */
	struct wait_queue_head wr_wait;	   /* writers wait for room or EPIPE */
	unsigned int readers, writers;	   /* open files for each side */
	unsigned int files;		   /* open files (inode->i_mutex) */
	unsigned int r_counter, w_counter; /* opens so far (FIFO open) */
	unsigned int nr_pages;		   /* capacity in pages */
	size_t start;			   /* ring offset of the first byte */
	size_t len;			   /* bytes in the ring */
	void **pages;			   /* nr_pages, NULL until written */
};

static struct vfsmount *pipe_mnt;

static size_t pipe_cap(const struct pipe_inode_info *pipe)
{
	return (size_t)pipe->nr_pages * PAGE_SIZE;
}

static struct pipe_inode_info *alloc_pipe_info(void)
{
	struct pipe_inode_info *pipe = kzalloc(sizeof(*pipe), GFP_KERNEL);

	if (!pipe)
		return NULL;
	pipe->nr_pages = PIPE_DEF_SIZE / PAGE_SIZE;
	pipe->pages = kzalloc(pipe->nr_pages * sizeof(void *), GFP_KERNEL);
	if (!pipe->pages) {
		kfree(pipe);
		return NULL;
	}
	mutex_init(&pipe->mutex, "pipe->mutex");
	init_waitqueue_head(&pipe->rd_wait);
	init_waitqueue_head(&pipe->wr_wait);
	return pipe;
}

static void free_pages_array(void **pages, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (pages[i])
			free_page(pages[i]);
	kfree(pages);
}

static void free_pipe_info(struct pipe_inode_info *pipe)
{
	free_pages_array(pipe->pages, pipe->nr_pages);
	kfree(pipe);
}

/* The page holding ring offset pos, allocated if missing; NULL. */
static void *ring_page(struct pipe_inode_info *pipe, size_t pos)
{
	void **slot = &pipe->pages[pos >> PAGE_SHIFT];

	if (!*slot)
		*slot = alloc_page(GFP_KERNEL);
	return *slot;
}

/*
 * Move up to count bytes from the front of the ring into to. Returns
 * the bytes moved, or -EFAULT if the buffer faulted before any.
 * Requires pipe->mutex.
 */
static ssize_t ring_read(struct pipe_inode_info *pipe, struct iov_iter *to,
			 size_t count)
{
	size_t done = 0;

	lockdep_assert_held(&pipe->mutex);
	while (done < count && pipe->len) {
		size_t off = pipe->start & (PAGE_SIZE - 1);
		size_t chunk =
			min(min(count - done, pipe->len), PAGE_SIZE - off);
		char *page = pipe->pages[pipe->start >> PAGE_SHIFT];
		size_t n = copy_to_iter(page + off, chunk, to);

		done += n;
		pipe->len -= n;
		pipe->start = (pipe->start + n) % pipe_cap(pipe);
		if (n < chunk)
			return done ? (ssize_t)done : -EFAULT;
	}
	if (!pipe->len)
		pipe->start = 0;
	return done;
}

/*
 * Append up to count bytes (no more than there is room for) from from.
 * Returns the bytes moved, or -EFAULT/-ENOMEM before any. Requires
 * pipe->mutex.
 */
static ssize_t ring_write(struct pipe_inode_info *pipe, struct iov_iter *from,
			  size_t count)
{
	size_t done = 0;

	lockdep_assert_held(&pipe->mutex);
	while (done < count && pipe->len < pipe_cap(pipe)) {
		size_t pos = (pipe->start + pipe->len) % pipe_cap(pipe);
		size_t off = pos & (PAGE_SIZE - 1);
		size_t room = pipe_cap(pipe) - pipe->len;
		size_t chunk = min(min(count - done, room), PAGE_SIZE - off);
		char *page = ring_page(pipe, pos);
		size_t n;

		if (!page)
			return done ? (ssize_t)done : -ENOMEM;
		n = copy_from_iter(page + off, chunk, from);
		done += n;
		pipe->len += n;
		if (n < chunk)
			return done ? (ssize_t)done : -EFAULT;
	}
	return done;
}

/* Wait conditions: read without the mutex, re-tested under it. */
static bool pipe_readable(const struct pipe_inode_info *pipe)
{
	return READ_ONCE(pipe->len) || !READ_ONCE(pipe->writers);
}

static bool pipe_writable(const struct pipe_inode_info *pipe, size_t need)
{
	return pipe_cap(pipe) - READ_ONCE(pipe->len) >= need ||
	       !READ_ONCE(pipe->readers);
}

static ssize_t pipe_read(struct kiocb *iocb, struct iov_iter *to)
{
	struct pipe_inode_info *pipe = iocb->ki_filp->private_data;
	size_t count = iov_iter_count(to);
	ssize_t ret;

	mutex_lock(&pipe->mutex);
	for (;;) {
		if (pipe->len) {
			ret = ring_read(pipe, to, count);
			break;
		}
		if (!pipe->writers) {
			ret = 0; /* EOF */
			break;
		}
		if (iocb->ki_flags & IOCB_NOWAIT) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		if (wait_event_interruptible(pipe->rd_wait,
					     pipe_readable(pipe)))
			return -ERESTARTSYS;
		mutex_lock(&pipe->mutex);
	}
	mutex_unlock(&pipe->mutex);
	if (ret > 0)
		wake_up(&pipe->wr_wait);
	return ret;
}

/* No reader: SIGPIPE to the writer, and -EPIPE. */
static ssize_t pipe_broken(void)
{
	send_sig(SIGPIPE, current, 1);
	return -EPIPE;
}

static ssize_t pipe_write(struct kiocb *iocb, struct iov_iter *from)
{
	struct pipe_inode_info *pipe = iocb->ki_filp->private_data;
	size_t total = iov_iter_count(from), done = 0;
	/* a write up to PIPE_BUF waits for room for all of it */
	size_t need = total <= PIPE_BUF ? total : 1;
	ssize_t ret = 0;

	mutex_lock(&pipe->mutex);
	while (done < total) {
		if (!pipe->readers) {
			ret = pipe_broken();
			break;
		}
		if (pipe_cap(pipe) - pipe->len >= need) {
			ret = ring_write(pipe, from, total - done);
			if (ret < 0)
				break;
			done += ret;
			continue;
		}
		if (iocb->ki_flags & IOCB_NOWAIT) {
			ret = -EAGAIN;
			break;
		}
		mutex_unlock(&pipe->mutex);
		if (done)
			wake_up(&pipe->rd_wait); /* let readers make room */
		ret = wait_event_interruptible(pipe->wr_wait,
					       pipe_writable(pipe, need));
		mutex_lock(&pipe->mutex);
		if (ret)
			break;
	}
	mutex_unlock(&pipe->mutex);
	if (done)
		wake_up(&pipe->rd_wait);
	return done ? (ssize_t)done : ret;
}

static __poll_t pipe_poll(struct file *f, poll_table *pt)
{
	struct pipe_inode_info *pipe = f->private_data;
	__poll_t mask = 0;
	size_t len;

	poll_wait(f, &pipe->rd_wait, pt);
	poll_wait(f, &pipe->wr_wait, pt);
	len = READ_ONCE(pipe->len);
	if (f->f_mode & FMODE_READ) {
		if (len)
			mask |= EPOLLIN | EPOLLRDNORM;
		if (!READ_ONCE(pipe->writers))
			mask |= EPOLLHUP;
	}
	if (f->f_mode & FMODE_WRITE) {
		if (pipe_cap(pipe) - len >= PIPE_BUF)
			mask |= EPOLLOUT | EPOLLWRNORM;
		if (!READ_ONCE(pipe->readers))
			mask |= EPOLLERR;
	}
	return mask;
}

static long pipe_ioctl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe = f->private_data;
	int count;

	if (cmd != FIONREAD)
		return -ENOTTY;
	mutex_lock(&pipe->mutex);
	count = pipe->len;
	mutex_unlock(&pipe->mutex);
	return put_user(count, (int __user *)arg);
}

/* Drop f's place in pipe->files; the last file frees the ring. */
static void put_pipe_info(struct inode *inode, struct pipe_inode_info *pipe)
{
	bool last;

	mutex_lock(&inode->i_mutex);
	last = !--pipe->files;
	if (last)
		inode->i_pipe = NULL;
	mutex_unlock(&inode->i_mutex);
	if (last)
		free_pipe_info(pipe);
}

static int pipe_release(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = f->private_data;

	mutex_lock(&pipe->mutex);
	if (f->f_mode & FMODE_READ)
		pipe->readers--;
	if (f->f_mode & FMODE_WRITE)
		pipe->writers--;
	mutex_unlock(&pipe->mutex);
	/* EOF for readers, EPIPE for writers, POLLHUP/POLLERR for pollers */
	wake_up(&pipe->rd_wait);
	wake_up(&pipe->wr_wait);
	put_pipe_info(inode, pipe);
	return 0;
}

/* ---- F_GETPIPE_SZ, F_SETPIPE_SZ ---- */

/* Bytes rounded up to a power-of-two number of pages; 0: too big. */
static unsigned int round_pipe_pages(unsigned long size)
{
	unsigned int pages = 1;

	if (size > PIPE_MAX_SIZE)
		return 0;
	while ((unsigned long)pages * PAGE_SIZE < size)
		pages *= 2;
	return pages;
}

/* Give the ring nr_pages pages, keeping its bytes. Requires mutex. */
static long pipe_resize(struct pipe_inode_info *pipe, unsigned int nr_pages)
{
	void **pages;
	size_t pos = 0;

	lockdep_assert_held(&pipe->mutex);
	if (pipe->len > (size_t)nr_pages * PAGE_SIZE)
		return -EBUSY;
	pages = kzalloc(nr_pages * sizeof(void *), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	/* copy the bytes to the front of the new ring */
	while (pos < pipe->len) {
		size_t from = (pipe->start + pos) % pipe_cap(pipe);
		size_t off = from & (PAGE_SIZE - 1);
		size_t chunk = min(pipe->len - pos, PAGE_SIZE - off);
		size_t to_off = pos & (PAGE_SIZE - 1);
		void **slot = &pages[pos >> PAGE_SHIFT];

		chunk = min(chunk, PAGE_SIZE - to_off);
		if (!*slot)
			*slot = alloc_page(GFP_KERNEL);
		if (!*slot) {
			free_pages_array(pages, nr_pages);
			return -ENOMEM;
		}
		memcpy((char *)*slot + to_off,
		       (char *)pipe->pages[from >> PAGE_SHIFT] + off, chunk);
		pos += chunk;
	}
	free_pages_array(pipe->pages, pipe->nr_pages);
	pipe->pages = pages;
	pipe->nr_pages = nr_pages;
	pipe->start = 0;
	return pipe_cap(pipe);
}

/*
 * F_SETPIPE_SZ: at least arg bytes (a power-of-two number of pages);
 * -EBUSY if the bytes in the pipe do not fit, -EPERM above
 * PIPE_MAX_SIZE (Linux's answer to a process without
 * CAP_SYS_RESOURCE: keel has no capabilities to grant more).
 */
long pipe_fcntl(struct file *f, unsigned int cmd, unsigned long arg)
{
	struct pipe_inode_info *pipe;
	unsigned int nr_pages;
	long ret;

	if (f->f_op != &pipefifo_fops)
		return -EBADF;
	pipe = f->private_data;
	switch (cmd) {
	case F_GETPIPE_SZ:
		mutex_lock(&pipe->mutex);
		ret = pipe_cap(pipe);
		mutex_unlock(&pipe->mutex);
		return ret;
	case F_SETPIPE_SZ:
		nr_pages = round_pipe_pages(arg);
		if (!nr_pages)
			return -EPERM;
		mutex_lock(&pipe->mutex);
		ret = pipe_resize(pipe, nr_pages);
		mutex_unlock(&pipe->mutex);
		if (ret > 0) /* more room: writers may go on */
			wake_up(&pipe->wr_wait);
		return ret;
	default: return -EINVAL;
	}
}

/* ---- named FIFOs: open ---- */

/*
 * Wait until *counter moves from cur, its value under pipe->mutex when
 * the caller dropped it (the other side opened): 0 or -ERESTARTSYS.
 */
static int wait_for_partner(struct pipe_inode_info *pipe, unsigned int *counter,
			    unsigned int cur)
{
	return wait_event_interruptible(pipe->rd_wait,
					READ_ONCE(*counter) != cur);
}

static void wake_up_partner(struct pipe_inode_info *pipe)
{
	wake_up(&pipe->rd_wait);
	wake_up(&pipe->wr_wait);
}

/* The inode's pipe, made on the first open, with f counted in files. */
static struct pipe_inode_info *get_pipe_info(struct inode *inode)
{
	struct pipe_inode_info *pipe;

	mutex_lock(&inode->i_mutex);
	pipe = inode->i_pipe;
	if (!pipe) {
		pipe = alloc_pipe_info();
		inode->i_pipe = pipe;
	}
	if (pipe)
		pipe->files++;
	mutex_unlock(&inode->i_mutex);
	return pipe;
}

/*
 * Open a FIFO as Linux does: a reader waits for a writer, a writer for
 * a reader (O_NONBLOCK: a reader goes on, a writer gets -ENXIO);
 * O_RDWR never waits.
 */
static int fifo_open(struct inode *inode, struct file *f)
{
	struct pipe_inode_info *pipe = get_pipe_info(inode);
	bool nonblock = f->f_flags & O_NONBLOCK;
	int err = 0;

	if (!pipe)
		return -ENOMEM;
	f->private_data = pipe;
	f->f_mode |= FMODE_STREAM;
	f->f_mode &= ~FMODE_LSEEK;
	mutex_lock(&pipe->mutex);
	switch (f->f_mode & (FMODE_READ | FMODE_WRITE)) {
	case FMODE_READ:
		pipe->r_counter++;
		if (pipe->readers++ == 0)
			wake_up_partner(pipe);
		if (!pipe->writers && !nonblock) {
			unsigned int cur = pipe->w_counter;

			mutex_unlock(&pipe->mutex);
			err = wait_for_partner(pipe, &pipe->w_counter, cur);
			mutex_lock(&pipe->mutex);
			if (err)
				pipe->readers--;
		}
		break;
	case FMODE_WRITE:
		if (nonblock && !pipe->readers) {
			err = -ENXIO;
			break;
		}
		pipe->w_counter++;
		if (!pipe->writers++)
			wake_up_partner(pipe);
		if (!pipe->readers) {
			unsigned int cur = pipe->r_counter;

			mutex_unlock(&pipe->mutex);
			err = wait_for_partner(pipe, &pipe->r_counter, cur);
			mutex_lock(&pipe->mutex);
			if (err)
				pipe->writers--;
		}
		break;
	default: /* O_RDWR: both ends, no wait */
		pipe->readers++;
		pipe->writers++;
		pipe->r_counter++;
		pipe->w_counter++;
		if (pipe->readers == 1 || pipe->writers == 1)
			wake_up_partner(pipe);
		break;
	}
	mutex_unlock(&pipe->mutex);
	if (err) {
		wake_up_partner(pipe);
		put_pipe_info(inode, pipe);
	}
	return err;
}

const struct file_operations pipefifo_fops = {
	.llseek = no_llseek,
	.read_iter = pipe_read,
	.write_iter = pipe_write,
	.poll = pipe_poll,
	.unlocked_ioctl = pipe_ioctl,
	.open = fifo_open,
	.release = pipe_release,
};

/* ---- pipe(2), pipe2(2): anonymous pipes on pipefs ---- */

static struct dentry *pipefs_mount(struct file_system_type *type, int flags,
				   const char *dev_name, void *data)
{
	struct super_block *sb = sget_anon(type);
	struct inode *root;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_magic = PIPEFS_MAGIC;
	root = new_inode(sb);
	if (!root)
		goto err_sb;
	root->i_mode = S_IFDIR | 0500;
	sb->s_root = d_make_root(root);
	if (!sb->s_root)
		goto err_sb;
	return sb->s_root;
err_sb:
	kfree(sb);
	return ERR_PTR(-ENOMEM);
}

static struct file_system_type pipefs_type = {
	.name = "pipefs",
	.mount = pipefs_mount,
};

static int init_pipe_fs(void)
{
	pipe_mnt = kern_mount(&pipefs_type);
	if (IS_ERR(pipe_mnt)) {
		pr_err("pipe: cannot mount pipefs (%s)\n",
		       errname(PTR_ERR(pipe_mnt)));
		return PTR_ERR(pipe_mnt);
	}
	return 0;
}
core_initcall(init_pipe_fs);

/*
 * A pipefs dentry bound to a new S_IFIFO inode with a pipe, or NULL.
 * It is named "pipe:[INO]" under pipefs's root, so d_path gives
 * "/pipe:[INO]" (Linux's readlink of /proc/PID/fd/N has no slash).
 */
static struct dentry *new_pipe_dentry(void)
{
	struct inode *inode = new_inode(pipe_mnt->mnt_sb);
	char buf[32];
	struct qstr name = { .name = buf };
	struct dentry *d;

	if (!inode)
		return NULL;
	inode->i_mode = S_IFIFO | 0600;
	inode->i_fop = &pipefifo_fops;
	inode->i_pipe = alloc_pipe_info();
	name.len = snprintf(buf, sizeof(buf), "pipe:[%lu]", inode->i_ino);
	d = inode->i_pipe ? d_alloc(pipe_mnt->mnt_root, &name) : NULL;
	if (!d) {
		if (inode->i_pipe)
			free_pipe_info(inode->i_pipe);
		iput(inode);
		return NULL;
	}
	d_instantiate(d, inode);
	return d;
}

static struct file *pipe_file(const struct path *path, int flags)
{
	struct file *f = alloc_empty_file(flags);

	if (IS_ERR(f))
		return f;
	f->f_mode = (flags & O_ACCMODE) == O_RDONLY ? FMODE_READ : FMODE_WRITE;
	f->f_mode |= FMODE_STREAM;
	f->f_path = *path;
	path_get(path);
	f->f_inode = path->dentry->d_inode;
	f->f_op = &pipefifo_fops;
	f->private_data = f->f_inode->i_pipe;
	return f;
}

/* res[0]: the read end, res[1]: the write end; 0 or -ENOMEM/-ENFILE. */
static int create_pipe_files(struct file **res, int flags)
{
	struct path path = { .mnt = pipe_mnt };
	struct pipe_inode_info *pipe;
	int err = -ENOMEM;

	if (IS_ERR_OR_NULL(pipe_mnt))
		return -ENFILE;
	path.dentry = new_pipe_dentry();
	if (!path.dentry)
		return -ENOMEM;
	pipe = path.dentry->d_inode->i_pipe;
	res[0] = pipe_file(&path, O_RDONLY | (flags & O_NONBLOCK));
	if (IS_ERR(res[0])) {
		err = PTR_ERR(res[0]);
		goto err_pipe;
	}
	res[1] = pipe_file(&path, O_WRONLY | (flags & O_NONBLOCK));
	if (IS_ERR(res[1])) {
		err = PTR_ERR(res[1]);
		goto err_read;
	}
	pipe->readers = pipe->writers = 1;
	pipe->files = 2;
	dput(path.dentry);
	return 0;

err_read:
	res[0]->f_op = NULL; /* no release: the pipe is freed below */
	fput(res[0]);
err_pipe:
	free_pipe_info(pipe);
	path.dentry->d_inode->i_pipe = NULL;
	dput(path.dentry);
	return err;
}

static int do_pipe2(int __user *fildes, int flags)
{
	struct file *files[2] = { NULL, NULL };
	int fd[2];
	int err;

	if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT))
		return -EINVAL;
	if (flags & O_DIRECT) /* TODO: packet mode */
		return -EINVAL;
	err = create_pipe_files(files, flags);
	if (err)
		return err;
	fd[0] = get_unused_fd_flags(flags);
	if (fd[0] < 0) {
		err = fd[0];
		goto err_files;
	}
	fd[1] = get_unused_fd_flags(flags);
	if (fd[1] < 0) {
		err = fd[1];
		goto err_fd0;
	}
	if (copy_to_user(fildes, fd, sizeof(fd))) {
		err = -EFAULT;
		goto err_fd1;
	}
	fd_install(fd[0], files[0]);
	fd_install(fd[1], files[1]);
	return 0;

err_fd1:
	put_unused_fd(fd[1]);
err_fd0:
	put_unused_fd(fd[0]);
err_files:
	fput(files[0]);
	fput(files[1]);
	return err;
}

SYSCALL_DEFINE2(pipe2, int __user *, fildes, int, flags)
{
	return do_pipe2(fildes, flags);
}

SYSCALL_DEFINE1(pipe, int __user *, fildes)
{
	return do_pipe2(fildes, 0);
}
