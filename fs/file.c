// SPDX-License-Identifier: MIT
/*
 * file.c - fd tables (keel/fdtable.h).
 *
 * The table is three arrays: the files, a bitmap of fds in use
 * (allocated, possibly not yet installed) and a bitmap of close-on-exec
 * fds. file_lock protects all three and next_fd. Growing allocates the
 * larger arrays with the lock dropped (GFP_KERNEL may sleep), then
 * swaps them in under the lock if nobody grew the table meanwhile.
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/lockdep.h>
#include <keel/resource.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/string.h>

#define BITS_PER_LONG	64
#define BITMAP_LONGS(n) (((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)

static bool test_fd(const unsigned long *map, unsigned int fd)
{
	return map[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void assign_fd(unsigned long *map, unsigned int fd, bool set)
{
	unsigned long bit = 1UL << (fd % BITS_PER_LONG);

	if (set)
		map[fd / BITS_PER_LONG] |= bit;
	else
		map[fd / BITS_PER_LONG] &= ~bit;
}

/* Arrays for nr fds, zeroed; -ENOMEM. */
static int alloc_fdtable(struct fdtable *t, unsigned int nr)
{
	size_t map = BITMAP_LONGS(nr) * sizeof(long);

	t->fd = kzalloc(nr * sizeof(struct file *), GFP_KERNEL);
	t->open_fds = kzalloc(map, GFP_KERNEL);
	t->close_on_exec = kzalloc(map, GFP_KERNEL);
	t->max_fds = nr;
	if (t->fd && t->open_fds && t->close_on_exec)
		return 0;
	kfree(t->fd);
	kfree(t->open_fds);
	kfree(t->close_on_exec);
	return -ENOMEM;
}

static void free_fdtable(struct fdtable *t)
{
	kfree(t->fd);
	kfree(t->open_fds);
	kfree(t->close_on_exec);
}

/* Copy the smaller table src into dst (dst->max_fds >= src's). */
static void copy_fdtable(struct fdtable *dst, const struct fdtable *src)
{
	memcpy(dst->fd, src->fd, src->max_fds * sizeof(struct file *));
	memcpy(dst->open_fds, src->open_fds,
	       BITMAP_LONGS(src->max_fds) * sizeof(long));
	memcpy(dst->close_on_exec, src->close_on_exec,
	       BITMAP_LONGS(src->max_fds) * sizeof(long));
}

struct files_struct *files_struct_alloc(void)
{
	struct files_struct *f = kzalloc(sizeof(*f), GFP_KERNEL);

	if (!f)
		return NULL;
	if (alloc_fdtable(&f->fdt, NR_OPEN_DEFAULT)) {
		kfree(f);
		return NULL;
	}
	refcount_set(&f->count, 1);
	spin_lock_init(&f->file_lock);
	return f;
}

/*
 * Make room for fd nr: 0 if the table already has it, 1 if it grew
 * (recheck), -EMFILE past NR_OPEN_MAX, -ENOMEM. Called and returns with
 * file_lock held; drops it to allocate.
 */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	struct fdtable new, old;
	unsigned int size = files->fdt.max_fds;

	lockdep_assert_held(&files->file_lock);
	if (nr < size)
		return 0;
	if (nr >= NR_OPEN_MAX)
		return -EMFILE;
	while (size <= nr)
		size *= 2;
	size = min(size, (unsigned int)NR_OPEN_MAX);
	spin_unlock(&files->file_lock);
	if (alloc_fdtable(&new, size)) {
		spin_lock(&files->file_lock);
		return -ENOMEM;
	}
	spin_lock(&files->file_lock);
	if (files->fdt.max_fds >= size) {
		old = new; /* somebody else grew it */
	} else {
		copy_fdtable(&new, &files->fdt);
		old = files->fdt;
		files->fdt = new;
	}
	spin_unlock(&files->file_lock);
	free_fdtable(&old);
	spin_lock(&files->file_lock);
	return 1;
}

/* The lowest fd >= start not in use, or max_fds. */
static unsigned int find_free_fd(const struct fdtable *t, unsigned int start)
{
	for (unsigned int fd = start; fd < t->max_fds; fd++)
		if (!test_fd(t->open_fds, fd))
			return fd;
	return t->max_fds;
}

/* current's RLIMIT_NOFILE, which NR_OPEN_MAX bounds (keel/resource.h). */
static unsigned int nofile_limit(void)
{
	return min(rlimit(RLIMIT_NOFILE), (unsigned long)NR_OPEN_MAX);
}

/* Reserve the lowest free fd >= start in files; -EMFILE, -ENOMEM. */
static int alloc_fd(struct files_struct *files, unsigned int start,
		    unsigned int flags)
{
	unsigned int fd;
	int err;

	if (!files)
		return -EMFILE;
	spin_lock(&files->file_lock);
	do {
		fd = find_free_fd(&files->fdt, max(start, files->next_fd));
		err = fd >= nofile_limit() ? -EMFILE : expand_files(files, fd);
	} while (err > 0);
	if (err < 0)
		goto out;
	assign_fd(files->fdt.open_fds, fd, true);
	assign_fd(files->fdt.close_on_exec, fd, flags & O_CLOEXEC);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	err = fd;
out:
	spin_unlock(&files->file_lock);
	return err;
}

int get_unused_fd_flags(unsigned int flags)
{
	return alloc_fd(current->files, 0, flags);
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	lockdep_assert_held(&files->file_lock);
	assign_fd(files->fdt.open_fds, fd, false);
	if (fd < files->next_fd)
		files->next_fd = fd;
}

void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(unsigned int fd, struct file *file)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	WARN_ON_ONCE(files->fdt.fd[fd]);
	files->fdt.fd[fd] = file;
	spin_unlock(&files->file_lock);
}

struct file *fget(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f = NULL;

	if (!files)
		return NULL;
	spin_lock(&files->file_lock);
	if (fd < files->fdt.max_fds && files->fdt.fd[fd])
		f = get_file(files->fdt.fd[fd]);
	spin_unlock(&files->file_lock);
	return f;
}

/* Take the file out of fd (under file_lock); NULL if none. */
static struct file *pick_file(struct files_struct *files, unsigned int fd)
{
	struct file *f;

	lockdep_assert_held(&files->file_lock);
	if (fd >= files->fdt.max_fds || !files->fdt.fd[fd])
		return NULL;
	f = files->fdt.fd[fd];
	files->fdt.fd[fd] = NULL;
	assign_fd(files->fdt.close_on_exec, fd, false);
	__put_unused_fd(files, fd);
	return f;
}

int close_fd(unsigned int fd)
{
	struct files_struct *files = current->files;
	struct file *f;

	if (!files)
		return -EBADF;
	spin_lock(&files->file_lock);
	f = pick_file(files, fd);
	spin_unlock(&files->file_lock);
	if (!f)
		return -EBADF;
	fput(f);
	return 0;
}

int f_dupfd(unsigned int from, struct file *file, unsigned int flags)
{
	int fd;

	if (from >= nofile_limit())
		return -EINVAL;
	fd = alloc_fd(current->files, from, flags);
	if (fd >= 0)
		fd_install(fd, get_file(file));
	return fd;
}

int ksys_dup(unsigned int oldfd)
{
	struct file *f = fget(oldfd);
	int fd;

	if (!f)
		return -EBADF;
	fd = f_dupfd(0, f, 0);
	fput(f);
	return fd;
}

/*
 * Put file into newfd, closing what was there. An fd reserved but not
 * yet installed (an open in progress on another thread) is -EBUSY, as
 * in Linux. Returns newfd.
 */
static int do_dup2(struct files_struct *files, struct file *file,
		   unsigned int newfd, unsigned int flags)
{
	struct file *old;
	int err;

	spin_lock(&files->file_lock);
	do {
		err = expand_files(files, newfd);
	} while (err > 0);
	if (err < 0)
		goto out_unlock;
	old = files->fdt.fd[newfd];
	err = -EBUSY;
	if (!old && test_fd(files->fdt.open_fds, newfd))
		goto out_unlock;
	files->fdt.fd[newfd] = get_file(file);
	assign_fd(files->fdt.open_fds, newfd, true);
	assign_fd(files->fdt.close_on_exec, newfd, flags & O_CLOEXEC);
	spin_unlock(&files->file_lock);
	if (old)
		fput(old);
	return newfd;
out_unlock:
	spin_unlock(&files->file_lock);
	return err;
}

int ksys_dup3(unsigned int oldfd, unsigned int newfd, int flags)
{
	struct file *f;
	int err;

	if (flags & ~O_CLOEXEC)
		return -EINVAL;
	if (oldfd == newfd)
		return -EINVAL;
	if (newfd >= nofile_limit())
		return -EBADF;
	f = fget(oldfd);
	if (!f)
		return -EBADF;
	err = do_dup2(current->files, f, newfd, flags);
	fput(f);
	return err;
}

int ksys_dup2(unsigned int oldfd, unsigned int newfd)
{
	struct file *f;

	if (oldfd == newfd) {
		f = fget(oldfd);
		if (!f)
			return -EBADF;
		fput(f);
		return newfd;
	}
	return ksys_dup3(oldfd, newfd, 0);
}

void set_close_on_exec(unsigned int fd, int flag)
{
	struct files_struct *files = current->files;

	spin_lock(&files->file_lock);
	if (fd < files->fdt.max_fds)
		assign_fd(files->fdt.close_on_exec, fd, flag);
	spin_unlock(&files->file_lock);
}

bool get_close_on_exec(unsigned int fd)
{
	struct files_struct *files = current->files;
	bool ret = false;

	spin_lock(&files->file_lock);
	if (fd < files->fdt.max_fds)
		ret = test_fd(files->fdt.close_on_exec, fd);
	spin_unlock(&files->file_lock);
	return ret;
}

/* Close every fd for which want() holds; the lock drops around fput. */
static void close_files_if(struct files_struct *files,
			   bool (*want)(struct fdtable *t, unsigned int fd))
{
	spin_lock(&files->file_lock);
	for (unsigned int fd = 0; fd < files->fdt.max_fds; fd++) {
		struct file *f;

		if (!files->fdt.fd[fd] || !want(&files->fdt, fd))
			continue;
		f = pick_file(files, fd);
		spin_unlock(&files->file_lock);
		fput(f);
		spin_lock(&files->file_lock);
	}
	spin_unlock(&files->file_lock);
}

static bool fd_is_cloexec(struct fdtable *t, unsigned int fd)
{
	return test_fd(t->close_on_exec, fd);
}

static bool fd_any(struct fdtable *t, unsigned int fd)
{
	return true;
}

void do_close_on_exec(struct files_struct *files)
{
	close_files_if(files, fd_is_cloexec);
}

struct files_struct *get_files_struct(struct files_struct *files)
{
	refcount_inc(&files->count);
	return files;
}

void put_files_struct(struct files_struct *files)
{
	if (!files || !refcount_dec_and_test(&files->count))
		return;
	close_files_if(files, fd_any);
	free_fdtable(&files->fdt);
	kfree(files);
}

/* Reference every installed file of t (under the old table's lock). */
static void get_all_files(struct fdtable *t)
{
	for (unsigned int fd = 0; fd < t->max_fds; fd++) {
		if (t->fd[fd])
			get_file(t->fd[fd]);
		else
			assign_fd(t->open_fds, fd, false); /* not installed */
	}
}

struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *f = files_struct_alloc();
	unsigned int size;

	if (!f)
		return ERR_PTR(-ENOMEM);
	spin_lock(&old->file_lock);
	while ((size = old->fdt.max_fds) > f->fdt.max_fds) {
		spin_unlock(&old->file_lock);
		free_fdtable(&f->fdt);
		if (alloc_fdtable(&f->fdt, size)) {
			kfree(f);
			return ERR_PTR(-ENOMEM);
		}
		spin_lock(&old->file_lock);
	}
	copy_fdtable(&f->fdt, &old->fdt);
	f->next_fd = old->next_fd;
	get_all_files(&f->fdt);
	spin_unlock(&old->file_lock);
	f->next_fd = find_free_fd(&f->fdt, 0);
	return f;
}

struct files_struct *copy_files(unsigned long clone_flags)
{
	struct files_struct *files = current->files;

	if (!files)
		return NULL;
	if (clone_flags & CLONE_FILES)
		return get_files_struct(files);
	return dup_fd(files);
}

void exit_files(struct task *tsk)
{
	struct files_struct *files;
	unsigned long flags;

	/* pi_lock: /proc/PID/fd reads another task's table under it */
	spin_lock_irqsave(&tsk->pi_lock, flags);
	files = tsk->files;
	tsk->files = NULL;
	spin_unlock_irqrestore(&tsk->pi_lock, flags);
	put_files_struct(files);
}
