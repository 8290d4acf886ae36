/* SPDX-License-Identifier: MIT */
/* fs/proc/internal.h - the generated files of /proc (fs/proc/). */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <keel/fs.h>
#include <keel/seq_buf.h>

struct task;

/* A file under the root whose whole text show() writes at open. */
struct proc_entry {
	const char *name; /* "net/dev": in the directory "net" */
	umode_t mode;
	void (*show)(struct seq_buf *s);
};

/*
 * A file of /proc/PID/: a text (show, may fail with -Exxx), a symlink
 * (link: the target into buf, or ERR_PTR) or a directory (the fd/
 * directory: dir_iop, dir_fop).
 */
struct pid_entry {
	const char *name;
	umode_t mode;
	int (*show)(struct seq_buf *s, struct task *p);
	const char *(*link)(struct task *p, int fd, char *buf, int buflen);
	const struct inode_operations *dir_iop;
	const struct file_operations *dir_fop;
	const struct file_operations *fop; /* NULL: the text file's */
};

/* What a proc inode is (inode->i_private, freed with the inode). */
struct proc_inode {
	int pid; /* 0: not a process's file */
	int fd;	 /* /proc/PID/fd/N: N */
	const struct proc_entry *entry;
	const struct pid_entry *pid_entry;
};

static inline struct proc_inode *PROC_I(const struct inode *inode)
{
	return inode->i_private;
}

/* root.c */
struct inode *proc_new_inode(struct super_block *sb, umode_t mode, int pid,
			     int fd);
/* The text of a file: show(s, arg), grown until it fits. 0 or -Exxx. */
int proc_open_text(struct file *f, int (*show)(struct seq_buf *, void *),
		   void *arg);
extern const struct file_operations proc_text_fops;
/* The task of inode's process, referenced, or NULL (it exited). */
struct task *proc_task(const struct inode *inode);
/* A number in a name ("123"), or -1. */
int proc_name_to_int(const struct qstr *name);

/* base.c: /proc/PID/ */
extern const struct inode_operations proc_pid_dir_iops;
extern const struct file_operations proc_pid_dir_fops;
extern const struct inode_operations proc_link_iops;
void proc_pid_dir_fill(struct inode *inode, struct task *p);

/* array.c: the texts of /proc/PID/ */
int proc_pid_stat(struct seq_buf *s, struct task *p);
int proc_pid_status(struct seq_buf *s, struct task *p);
int proc_pid_statm(struct seq_buf *s, struct task *p);
int proc_pid_maps(struct seq_buf *s, struct task *p);
int proc_pid_cmdline(struct seq_buf *s, struct task *p);
int proc_pid_environ(struct seq_buf *s, struct task *p);

/* files.c: the root's texts */
void proc_meminfo_show(struct seq_buf *s);
void proc_uptime_show(struct seq_buf *s);
void proc_cpuinfo_show(struct seq_buf *s);
void proc_mounts_show(struct seq_buf *s);
void proc_loadavg_show(struct seq_buf *s);
void proc_stat_show(struct seq_buf *s);
void proc_version_show(struct seq_buf *s);
void proc_filesystems_show(struct seq_buf *s);
void proc_net_dev_show(struct seq_buf *s);
void proc_slabinfo_show(struct seq_buf *s);

#endif
