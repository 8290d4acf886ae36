// SPDX-License-Identifier: MIT
/*
 * array.c - the texts of /proc/PID/: stat, status, statm, maps,
 * cmdline, environ, in Linux's formats (fs/proc/array.c,
 * task_mmu.c), which ps, top and friends parse.
 *
 * True values where keel keeps them: state, ids, times (clock ticks,
 * USER_HZ 100), memory from the VMAs, limits. Fields keel has no notion
 * of are Linux's "nothing" values (page-fault counts, real-time
 * priority, ...). TODO: tty_nr/tpgid (the controlling tty) read 0/-1:
 * drivers/tty gives no way to read them yet.
 */
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/mm_user.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/time.h>

#include "internal.h"

#define USER_HZ		 100
#define PF_KTHREAD_LINUX 0x00200000 /* what Linux's flags say for one */

static u64 ticks_to_clock_t(u64 ticks)
{
	return ticks * USER_HZ / HZ;
}

/* Linux's state letter and name. */
static const char *task_state_str(struct task *p)
{
	if (READ_ONCE(p->exit_state) == EXIT_ZOMBIE)
		return "Z (zombie)";
	switch (task_state(p)) {
	case TS_RUNNING:
	case TS_RUNNABLE:
	case TS_NEW: return "R (running)";
	case TS_BLOCKED: return "S (sleeping)";
	default: return "X (dead)";
	}
}

/* What stat, status and statm say about an mm (mmap_lock taken). */
struct mm_stats {
	unsigned long vsize, rss_pages, stack, data, exe;
	unsigned long start_code, end_code, start_stack, start_brk;
	unsigned long arg_start, arg_end, env_start, env_end;
};

static void mm_stats_get(struct mm_struct *mm, struct mm_stats *st)
{
	struct vm_area_struct *vma;

	memset(st, 0, sizeof(*st));
	if (!mm)
		return;
	mutex_lock(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->vmas, vm_list) {
		unsigned long len = vma->vm_end - vma->vm_start;
		bool stack = vma->vm_start <= mm->start_stack &&
			     vma->vm_end >= mm->start_stack;

		st->vsize += len;
		if (stack)
			st->stack += len;
		else if (vma->vm_flags & VM_WRITE)
			st->data += len;
	}
	st->rss_pages = mm->nr_pages;
	st->start_code = mm->start_code;
	st->end_code = mm->end_code;
	st->exe = mm->end_code - mm->start_code;
	st->start_stack = mm->start_stack;
	st->start_brk = mm->start_brk;
	st->arg_start = mm->arg_start;
	st->arg_end = mm->arg_end;
	st->env_start = mm->env_start;
	st->env_end = mm->env_end;
	mutex_unlock(&mm->mmap_lock);
}

static void task_mm_stats(struct task *p, struct mm_stats *st)
{
	struct mm_struct *mm = get_task_mm(p);

	mm_stats_get(mm, st);
	if (mm)
		mmput(mm);
}

/* Linux's do_task_stat: 52 fields. */
int proc_pid_stat(struct seq_buf *s, struct task *p)
{
	char comm[TASK_COMM_LEN];
	struct task_sig_masks sm;
	struct mm_stats st;
	bool zombie = READ_ONCE(p->exit_state) == EXIT_ZOMBIE;

	get_task_comm(comm, p);
	task_mm_stats(p, &st);
	seq_buf_printf(s, "%d (%s) %c %d %d %d %d %d %u ", p->pid, comm,
		       task_state_str(p)[0], task_ppid(p), task_pgrp_nr(p),
		       task_session_nr(p), 0, -1,
		       p->flags & PF_KTHREAD ? PF_KTHREAD_LINUX : 0);
	seq_buf_printf(s, "0 0 0 0 %llu %llu %llu %llu %d %d 1 0 %llu ",
		       ticks_to_clock_t(READ_ONCE(p->utime)),
		       ticks_to_clock_t(READ_ONCE(p->stime)),
		       ticks_to_clock_t(READ_ONCE(p->cutime)),
		       ticks_to_clock_t(READ_ONCE(p->cstime)),
		       20 + READ_ONCE(p->nice), READ_ONCE(p->nice),
		       p->start_time_ns / (NSEC_PER_SEC / USER_HZ));
	seq_buf_printf(s, "%lu %lu %lu %lu %lu %lu 0 0 ", st.vsize,
		       st.rss_pages, p->rlim[RLIMIT_RSS].rlim_cur,
		       st.start_code, st.end_code, st.start_stack);
	/* signal blocked sigignore sigcatch wchan nswap cnswap */
	task_sig_masks(p, &sm);
	seq_buf_printf(s, "%lu %lu %lu %lu 0 0 0 %d %u 0 0 0 0 0 ", sm.pending,
		       sm.blocked, sm.ignored, sm.caught,
		       READ_ONCE(p->sig.exit_signal), READ_ONCE(p->cpu));
	seq_buf_printf(s, "0 0 %lu %lu %lu %lu %lu %d\n", st.start_brk,
		       st.arg_start, st.arg_end, st.env_start, st.env_end,
		       zombie ? READ_ONCE(p->wait_status) : 0);
	return 0;
}

static void status_kb(struct seq_buf *s, const char *name, unsigned long b)
{
	seq_buf_printf(s, "%s\t%8lu kB\n", name, b / 1024);
}

static void status_mm(struct seq_buf *s, struct task *p)
{
	struct mm_struct *mm = get_task_mm(p);
	unsigned long rss;
	struct mm_stats st;

	if (!mm)
		return; /* kernel threads and zombies have no Vm lines */
	mm_stats_get(mm, &st);
	mmput(mm);
	rss = st.rss_pages * PAGE_SIZE;
	status_kb(s, "VmPeak:", st.vsize); /* TODO: the peaks */
	status_kb(s, "VmSize:", st.vsize);
	status_kb(s, "VmLck:", 0);
	status_kb(s, "VmPin:", 0);
	status_kb(s, "VmHWM:", rss);
	status_kb(s, "VmRSS:", rss);
	status_kb(s, "RssAnon:", rss);
	status_kb(s, "RssFile:", 0);
	status_kb(s, "RssShmem:", 0);
	status_kb(s, "VmData:", st.data);
	status_kb(s, "VmStk:", st.stack);
	status_kb(s, "VmExe:", st.exe);
	status_kb(s, "VmLib:", 0);
	status_kb(s, "VmPTE:", 0);
	status_kb(s, "VmSwap:", 0);
}

/* p's umask, or -1 (no fs_struct: it exited). */
static int task_umask(struct task *p)
{
	unsigned long flags;
	int umask = -1;

	spin_lock_irqsave(&p->pi_lock, flags);
	if (p->fs)
		umask = READ_ONCE(p->fs->umask);
	else if (!p->mm && !p->exit_state)
		umask = init_fs.umask;
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return umask;
}

/* The size of p's fd table (exit_files clears p->files under pi_lock). */
static unsigned int task_fdsize(struct task *p)
{
	unsigned long flags;
	unsigned int n = 0;

	spin_lock_irqsave(&p->pi_lock, flags);
	if (p->files)
		n = READ_ONCE(p->files->fdt.max_fds);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return n;
}

int proc_pid_status(struct seq_buf *s, struct task *p)
{
	char comm[TASK_COMM_LEN];
	struct cred c = p->cred;
	int umask = task_umask(p), pgrp = task_pgrp_nr(p);
	int sid = task_session_nr(p);
	struct task_sig_masks sm;
	unsigned int cpu;
	bool first = true;

	get_task_comm(comm, p);
	seq_buf_printf(s, "Name:\t%s\n", comm);
	if (umask >= 0)
		seq_buf_printf(s, "Umask:\t%04o\n", umask);
	seq_buf_printf(s, "State:\t%s\n", task_state_str(p));
	seq_buf_printf(s, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", p->pid,
		       p->pid, task_ppid(p));
	seq_buf_printf(s, "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\n", c.uid,
		       c.euid, c.suid, c.fsuid);
	seq_buf_printf(s, "Gid:\t%u\t%u\t%u\t%u\n", c.gid, c.egid, c.sgid,
		       c.fsgid);
	seq_buf_printf(s, "FDSize:\t%u\nGroups:\t", task_fdsize(p));
	for (unsigned int i = 0; i < c.ngroups && i < NGROUPS_KEEL; i++)
		seq_buf_printf(s, "%u ", c.groups[i]);
	seq_buf_printf(s,
		       "\nNStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		       p->pid, p->pid, pgrp, sid);
	status_mm(s, p);
	seq_buf_printf(s, "Threads:\t1\nSigQ:\t0/%lu\n",
		       p->rlim[RLIMIT_SIGPENDING].rlim_cur);
	task_sig_masks(p, &sm);
	seq_buf_printf(s, "SigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n",
		       sm.pending, sm.pending, sm.blocked);
	seq_buf_printf(s, "SigIgn:\t%016lx\nSigCgt:\t%016lx\n", sm.ignored,
		       sm.caught);
	seq_buf_printf(s, "CapInh:\t%016x\nCapPrm:\t%016llx\n", 0,
		       c.euid ? 0ULL : 0x1ffffffffffULL);
	seq_buf_printf(s, "CapEff:\t%016llx\nCapBnd:\t%016llx\n",
		       c.euid ? 0ULL : 0x1ffffffffffULL, 0x1ffffffffffULL);
	seq_buf_printf(s, "CapAmb:\t%016x\nNoNewPrivs:\t0\nSeccomp:\t0\n", 0);
	seq_buf_printf(s, "Cpus_allowed:\t%llx\nCpus_allowed_list:\t",
		       (unsigned long long)(READ_ONCE(p->allowed) &
					    READ_ONCE(cpu_online_mask)));
	for_each_cpu(cpu, READ_ONCE(p->allowed) & READ_ONCE(cpu_online_mask)) {
		seq_buf_printf(s, first ? "%u" : ",%u", cpu);
		first = false;
	}
	seq_buf_printf(s, "\nvoluntary_ctxt_switches:\t%llu\n",
		       READ_ONCE(p->nr_switches));
	seq_buf_printf(s, "nonvoluntary_ctxt_switches:\t0\n");
	return 0;
}

/* size resident shared text lib data dt, in pages. */
int proc_pid_statm(struct seq_buf *s, struct task *p)
{
	struct mm_stats st;

	task_mm_stats(p, &st);
	seq_buf_printf(s, "%lu %lu 0 %lu 0 %lu 0\n", st.vsize / PAGE_SIZE,
		       st.rss_pages, st.exe / PAGE_SIZE,
		       (st.data + st.stack) / PAGE_SIZE);
	return 0;
}

/* Linux's show_map_vma: the name starts at column 73 (64-bit). */
static void show_map(struct seq_buf *s, struct mm_struct *mm,
		     struct vm_area_struct *vma)
{
	unsigned long f = vma->vm_flags;
	const char *name = NULL;
	size_t start = seq_buf_used(s);

	seq_buf_printf(s, "%08lx-%08lx %c%c%c%c %08x %02x:%02x %u ",
		       vma->vm_start, vma->vm_end, f & VM_READ ? 'r' : '-',
		       f & VM_WRITE ? 'w' : '-', f & VM_EXEC ? 'x' : '-', 'p',
		       0, 0, 0, 0);
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk &&
	    mm->brk > mm->start_brk)
		name = "[heap]";
	else if (vma->vm_start <= mm->start_stack &&
		 vma->vm_end >= mm->start_stack)
		name = "[stack]";
	if (name) {
		size_t used = seq_buf_used(s) - start;

		/* seq_setwidth(72), seq_pad(' '): spaces to 72, one more */
		seq_buf_printf(s, "%*s %s", used < 72 ? (int)(72 - used) : 0,
			       "", name);
	}
	seq_buf_printf(s, "\n");
}

/* TODO: file names and offsets once VMAs can map files. */
int proc_pid_maps(struct seq_buf *s, struct task *p)
{
	struct mm_struct *mm = get_task_mm(p);
	struct vm_area_struct *vma;

	if (!mm)
		return 0;
	mutex_lock(&mm->mmap_lock);
	list_for_each_entry(vma, &mm->vmas, vm_list)
		show_map(s, mm, vma);
	mutex_unlock(&mm->mmap_lock);
	mmput(mm);
	return 0;
}

/* The bytes of [start, end) of p's memory (at most ARG_MAX-ish). */
static int dump_user(struct seq_buf *s, struct mm_struct *mm,
		     unsigned long start, unsigned long end, bool cmdline)
{
	size_t len = end > start ? min(end - start, 256UL * 1024) : 0;
	char *buf;

	if (!len)
		return 0;
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = access_remote_vm(mm, start, buf, len);
	/* argv's last NUL overwritten: setproctitle(), up to a NUL */
	if (cmdline && len && buf[len - 1])
		len = strnlen(buf, len);
	seq_buf_putmem(s, buf, len);
	kfree(buf);
	return 0;
}

int proc_pid_cmdline(struct seq_buf *s, struct task *p)
{
	struct mm_struct *mm = get_task_mm(p);
	int err;

	if (!mm)
		return 0; /* kernel threads: empty, as on Linux */
	err = dump_user(s, mm, READ_ONCE(mm->arg_start), READ_ONCE(mm->arg_end),
			true);
	mmput(mm);
	return err;
}

int proc_pid_environ(struct seq_buf *s, struct task *p)
{
	struct mm_struct *mm;
	int err;

	if (current->cred.euid && current->cred.euid != p->cred.uid)
		return -EACCES;
	mm = get_task_mm(p);
	if (!mm)
		return 0;
	err = dump_user(s, mm, READ_ONCE(mm->env_start), READ_ONCE(mm->env_end),
			false);
	mmput(mm);
	return err;
}
