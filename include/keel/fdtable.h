/* SPDX-License-Identifier: MIT */
/*
 * keel/fdtable.h - a task's open files: the fd table (Linux's
 * files_struct, fs/file.c).
 *
 * fd numbers index fd[]; the lowest free number is handed out first (as
 * POSIX requires). file_lock protects the table; a struct file found
 * there is referenced (get_file) before the lock drops, so fget()'s
 * result stays valid however the table changes. Tasks share one table
 * (CLONE_FILES: get_files_struct) or get a copy (fork: dup_fd). The
 * table grows by doubling up to NR_OPEN_MAX entries (RLIMIT_NOFILE's
 * default soft limit); past it, -EMFILE.
 *
 * The functions without a files_struct argument work on current's
 * table (current->files); a task without one gets -EBADF/-EMFILE.
 */
#ifndef _KEEL_FDTABLE_H
#define _KEEL_FDTABLE_H

#include <keel/refcount.h>
#include <keel/spinlock.h>

#define NR_OPEN_DEFAULT 64
#define NR_OPEN_MAX	1024

struct file;

struct fdtable {
	unsigned int max_fds;
	struct file **fd;
	unsigned long *close_on_exec; /* bitmap */
	unsigned long *open_fds; /* bitmap: allocated (maybe not installed) */
};

struct files_struct {
	refcount_t count;
	spinlock_t file_lock;
	unsigned int next_fd; /* no free fd below this */
	struct fdtable fdt;
};

/* An empty table (NULL if memory is short). */
struct files_struct *files_struct_alloc(void);
/* fork: a copy sharing every open file; ERR_PTR(-ENOMEM). */
struct files_struct *dup_fd(struct files_struct *old);
struct files_struct *get_files_struct(struct files_struct *files);
/* Drop a reference; the last one closes every file. */
void put_files_struct(struct files_struct *files);

struct task;
#define CLONE_FS    0x00000200
#define CLONE_FILES 0x00000400
/*
 * fork/clone: the child's table - current's shared (CLONE_FILES) or a
 * copy; NULL if current has none; ERR_PTR(-ENOMEM).
 */
struct files_struct *copy_files(unsigned long clone_flags);
/* exit: drop tsk's table (closing its files if it was the last user). */
void exit_files(struct task *tsk);

/* Reserve the lowest free fd >= 0 (O_CLOEXEC in flags sets the bit). */
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
/* Put file (its reference moves to the table) in a reserved fd. */
void fd_install(unsigned int fd, struct file *file);
/* The file at fd, referenced (fput it), or NULL. */
struct file *fget(unsigned int fd);
/* Close fd: 0 or -EBADF. */
int close_fd(unsigned int fd);
/* dup(2): -EBADF, -EMFILE. */
int ksys_dup(unsigned int oldfd);
/* dup3(2) (dup2 when flags has no O_CLOEXEC and old == new is fine). */
int ksys_dup3(unsigned int oldfd, unsigned int newfd, int flags);
int ksys_dup2(unsigned int oldfd, unsigned int newfd);
/* F_DUPFD: the lowest free fd >= from, sharing file. */
int f_dupfd(unsigned int from, struct file *file, unsigned int flags);
void set_close_on_exec(unsigned int fd, int flag);
bool get_close_on_exec(unsigned int fd);
/* execve: close every fd with FD_CLOEXEC. */
void do_close_on_exec(struct files_struct *files);

#endif
