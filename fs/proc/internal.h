/* SPDX-License-Identifier: MIT */
/* fs/proc/internal.h - the generated files of /proc (fs/proc/). */
#ifndef _FS_PROC_INTERNAL_H
#define _FS_PROC_INTERNAL_H

#include <keel/fs.h>
#include <keel/seq_buf.h>

/* A file whose whole text show() writes at open. */
struct proc_entry {
	const char *name;
	umode_t mode;
	void (*show)(struct seq_buf *s);
};

void proc_meminfo_show(struct seq_buf *s);
void proc_uptime_show(struct seq_buf *s);
void proc_cpuinfo_show(struct seq_buf *s);
void proc_mounts_show(struct seq_buf *s);
void proc_slabinfo_show(struct seq_buf *s);

#endif
