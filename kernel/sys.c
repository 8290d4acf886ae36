// SPDX-License-Identifier: MIT
/*
 * sys.c - the small system calls about the process and the system:
 * ids (get/set*id, groups), resource limits, prctl, the robust-list
 * head, CPU affinity, priorities, uname with sethostname and
 * setdomainname, syslog, getrusage, times, getcpu, sched_yield,
 * set_tid_address, reboot. (read, write and the other file calls are
 * in fs/.)
 *
 * Credentials (keel/cred.h) follow Linux's rules, with "privileged"
 * meaning euid 0 (keel has no capabilities; TODO). Limits are
 * keel/resource.h's. Errors are Linux's: -EFAULT for a bad pointer,
 * -EINVAL for a bad argument, -EPERM for a forbidden change, -ESRCH for
 * a pid with no process.
 */
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/mm_user.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/mutex.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/time.h>
#include <keel/timer.h>
#include <keel/version.h>

struct new_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

SYSCALL_DEFINE0(getpid)
{
	return current->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	return task_ppid(current);
}

/* ---- user and group ids ---- */

#define NGROUPS_MAX 65536
#define INVALID_ID  ((u32)-1)

/* Stands in for CAP_SETUID, CAP_SETGID, CAP_SYS_ADMIN... (no caps yet). */
static bool capable(void)
{
	return current->cred.euid == 0;
}

SYSCALL_DEFINE0(getuid)
{
	return current->cred.uid;
}

SYSCALL_DEFINE0(geteuid)
{
	return current->cred.euid;
}

SYSCALL_DEFINE0(getgid)
{
	return current->cred.gid;
}

SYSCALL_DEFINE0(getegid)
{
	return current->cred.egid;
}

/* One of the ids a process holds (real, effective, saved)? */
static bool id_held(u32 id, u32 r, u32 e, u32 s)
{
	return id == r || id == e || id == s;
}

/*
 * setresuid/setresgid's core on the triple (*r, *e, *s) and fs id *fs:
 * INVALID_ID leaves one unchanged; without privilege each new id must
 * be one already held.
 */
static long set_res(u32 *r, u32 *e, u32 *s, u32 *fs, u32 nr, u32 ne, u32 ns)
{
	if (!capable()) {
		if ((nr != INVALID_ID && !id_held(nr, *r, *e, *s)) ||
		    (ne != INVALID_ID && !id_held(ne, *r, *e, *s)) ||
		    (ns != INVALID_ID && !id_held(ns, *r, *e, *s)))
			return -EPERM;
	}
	if (nr != INVALID_ID)
		*r = nr;
	if (ne != INVALID_ID)
		*e = ne;
	if (ns != INVALID_ID)
		*s = ns;
	*fs = *e;
	return 0;
}

/* setreuid/setregid: Linux's rules for the saved id included. */
static long set_re(u32 *r, u32 *e, u32 *s, u32 *fs, u32 nr, u32 ne)
{
	u32 old_r = *r;

	if (!capable()) {
		if (nr != INVALID_ID && nr != *r && nr != *e)
			return -EPERM;
		if (ne != INVALID_ID && !id_held(ne, *r, *e, *s))
			return -EPERM;
	}
	if (nr != INVALID_ID)
		*r = nr;
	if (ne != INVALID_ID)
		*e = ne;
	if (nr != INVALID_ID || (ne != INVALID_ID && ne != old_r))
		*s = *e;
	*fs = *e;
	return 0;
}

/* setuid/setgid: all ids with privilege, else only the effective one. */
static long set_one(u32 *r, u32 *e, u32 *s, u32 *fs, u32 id)
{
	if (id == INVALID_ID)
		return -EINVAL;
	if (capable()) {
		*r = *e = *s = *fs = id;
		return 0;
	}
	if (id != *r && id != *s)
		return -EPERM;
	*e = *fs = id;
	return 0;
}

SYSCALL_DEFINE1(setuid, u32, uid)
{
	struct cred *c = &current->cred;

	return set_one(&c->uid, &c->euid, &c->suid, &c->fsuid, uid);
}

SYSCALL_DEFINE1(setgid, u32, gid)
{
	struct cred *c = &current->cred;

	return set_one(&c->gid, &c->egid, &c->sgid, &c->fsgid, gid);
}

SYSCALL_DEFINE2(setreuid, u32, ruid, u32, euid)
{
	struct cred *c = &current->cred, n = *c;
	long err = set_re(&n.uid, &n.euid, &n.suid, &n.fsuid, ruid, euid);

	if (!err)
		*c = n;
	return err;
}

SYSCALL_DEFINE2(setregid, u32, rgid, u32, egid)
{
	struct cred *c = &current->cred, n = *c;
	long err;

	/* the gid rules ask for CAP_SETGID: euid 0, like the uid ones */
	err = set_re(&n.gid, &n.egid, &n.sgid, &n.fsgid, rgid, egid);
	if (!err)
		*c = n;
	return err;
}

SYSCALL_DEFINE3(setresuid, u32, ruid, u32, euid, u32, suid)
{
	struct cred *c = &current->cred, n = *c;
	long err =
		set_res(&n.uid, &n.euid, &n.suid, &n.fsuid, ruid, euid, suid);

	if (!err)
		*c = n;
	return err;
}

SYSCALL_DEFINE3(setresgid, u32, rgid, u32, egid, u32, sgid)
{
	struct cred *c = &current->cred, n = *c;
	long err =
		set_res(&n.gid, &n.egid, &n.sgid, &n.fsgid, rgid, egid, sgid);

	if (!err)
		*c = n;
	return err;
}

static long put_res(u32 r, u32 e, u32 s, u32 __user *rp, u32 __user *ep,
		    u32 __user *sp)
{
	if (put_user(r, rp) || put_user(e, ep) || put_user(s, sp))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(getresuid, u32 __user *, ruid, u32 __user *, euid, u32 __user *,
		suid)
{
	const struct cred *c = &current->cred;

	return put_res(c->uid, c->euid, c->suid, ruid, euid, suid);
}

SYSCALL_DEFINE3(getresgid, u32 __user *, rgid, u32 __user *, egid, u32 __user *,
		sgid)
{
	const struct cred *c = &current->cred;

	return put_res(c->gid, c->egid, c->sgid, rgid, egid, sgid);
}

/* setfsuid/setfsgid: the old value, always; a change only if allowed. */
static long set_fs_id(u32 *fs, u32 r, u32 e, u32 s, u32 id)
{
	u32 old = *fs;

	if (id != INVALID_ID &&
	    (capable() || id_held(id, r, e, s) || id == old))
		*fs = id;
	return old;
}

SYSCALL_DEFINE1(setfsuid, u32, uid)
{
	struct cred *c = &current->cred;

	return set_fs_id(&c->fsuid, c->uid, c->euid, c->suid, uid);
}

SYSCALL_DEFINE1(setfsgid, u32, gid)
{
	struct cred *c = &current->cred;

	return set_fs_id(&c->fsgid, c->gid, c->egid, c->sgid, gid);
}

SYSCALL_DEFINE2(getgroups, int, size, u32 __user *, list)
{
	const struct cred *c = &current->cred;

	if (size < 0)
		return -EINVAL;
	if (!size)
		return c->ngroups;
	if ((unsigned int)size < c->ngroups)
		return -EINVAL;
	if (copy_to_user(list, c->groups, c->ngroups * sizeof(u32)))
		return -EFAULT;
	return c->ngroups;
}

/* keel keeps NGROUPS_KEEL groups: more is -EINVAL (Linux: NGROUPS_MAX). */
SYSCALL_DEFINE2(setgroups, int, size, const u32 __user *, list)
{
	u32 groups[NGROUPS_KEEL];

	if (!capable())
		return -EPERM;
	if (size < 0 || size > NGROUPS_MAX || size > NGROUPS_KEEL)
		return -EINVAL;
	if (copy_from_user(groups, list, size * sizeof(u32)))
		return -EFAULT;
	memcpy(current->cred.groups, groups, size * sizeof(u32));
	current->cred.ngroups = size;
	return 0;
}

/* ---- resource limits ---- */

static DEFINE_SPINLOCK(rlimit_lock); /* any task's rlim[] (prlimit64) */

void rlimits_init(struct rlimit *rlim)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		rlim[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	rlim[RLIMIT_STACK].rlim_cur = STACK_SIZE;
	rlim[RLIMIT_CORE].rlim_cur = 0;
	rlim[RLIMIT_NOFILE] = (struct rlimit){ NR_OPEN_MAX, NR_OPEN_MAX };
	rlim[RLIMIT_MEMLOCK] = (struct rlimit){ 8UL << 20, 8UL << 20 };
	rlim[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	rlim[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
	rlim[RLIMIT_MSGQUEUE] = (struct rlimit){ 819200, 819200 };
	rlim[RLIMIT_SIGPENDING] = (struct rlimit){ 63937, 63937 };
	rlim[RLIMIT_NPROC] = (struct rlimit){ 63937, 63937 };
}

unsigned long rlimit(unsigned int resource)
{
	return READ_ONCE(current->rlim[resource].rlim_cur);
}

/* Linux's do_prlimit: read *old and/or set *new on p. */
static long do_prlimit(struct task *p, unsigned int resource,
		       const struct rlimit *new, struct rlimit *old)
{
	unsigned long flags;
	struct rlimit *r;
	long err = 0;

	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	r = &p->rlim[resource];
	if (new &&new->rlim_cur > new->rlim_max)
		return -EINVAL;
	if (new &&resource == RLIMIT_NOFILE &&new->rlim_max > NR_OPEN_MAX)
		return -EPERM; /* above fs.nr_open */
	spin_lock_irqsave(&rlimit_lock, flags);
	if (new &&new->rlim_max > r->rlim_max && !capable())
		err = -EPERM;
	if (!err && old)
		*old = *r;
	if (!err && new)
		*r = *new;
	spin_unlock_irqrestore(&rlimit_lock, flags);
	return err;
}

SYSCALL_DEFINE2(getrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit r;
	long err = do_prlimit(current, resource, NULL, &r);

	if (!err && copy_to_user(rlim, &r, sizeof(r)))
		err = -EFAULT;
	return err;
}

SYSCALL_DEFINE2(setrlimit, unsigned int, resource, struct rlimit __user *, rlim)
{
	struct rlimit r;

	if (copy_from_user(&r, rlim, sizeof(r)))
		return -EFAULT;
	return do_prlimit(current, resource, &r, NULL);
}

/* current (pid 0) or the task pid, referenced; ERR_PTR(-ESRCH). */
static struct task *task_or_current(int pid)
{
	struct task *p;

	if (pid < 0)
		return ERR_PTR(-EINVAL);
	if (!pid) {
		get_task(current);
		return current;
	}
	p = find_task_by_pid(pid);
	return p ? p : ERR_PTR(-ESRCH);
}

SYSCALL_DEFINE4(prlimit64, int, pid, unsigned int, resource,
		const struct rlimit64 __user *, new_rlim,
		struct rlimit64 __user *, old_rlim)
{
	struct rlimit64 n64;
	struct rlimit n, o;
	struct task *p;
	long err;

	if (new_rlim) {
		if (copy_from_user(&n64, new_rlim, sizeof(n64)))
			return -EFAULT;
		n.rlim_cur = n64.rlim_cur;
		n.rlim_max = n64.rlim_max;
	}
	p = task_or_current(pid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	err = do_prlimit(p, resource, new_rlim ? &n : NULL,
			 old_rlim ? &o : NULL);
	put_task(p);
	if (!err && old_rlim) {
		struct rlimit64 o64 = { o.rlim_cur, o.rlim_max };

		if (copy_to_user(old_rlim, &o64, sizeof(o64)))
			err = -EFAULT;
	}
	return err;
}

/* ---- prctl, comm, the robust list ---- */

#define PR_SET_PDEATHSIG 1
#define PR_GET_PDEATHSIG 2
#define PR_SET_NAME	 15
#define PR_GET_NAME	 16

void get_task_comm(char *buf, struct task *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	memcpy(buf, p->name, TASK_COMM_LEN);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	buf[TASK_COMM_LEN - 1] = '\0';
}

void set_task_comm(struct task *p, const char *name)
{
	unsigned long flags;

	spin_lock_irqsave(&p->pi_lock, flags);
	strlcpy(p->name, name, TASK_COMM_LEN);
	spin_unlock_irqrestore(&p->pi_lock, flags);
}

SYSCALL_DEFINE5(prctl, int, option, unsigned long, arg2, unsigned long, arg3,
		unsigned long, arg4, unsigned long, arg5)
{
	char comm[TASK_COMM_LEN];
	long n;

	switch (option) {
	case PR_SET_PDEATHSIG:
		if (arg2 > _NSIG)
			return -EINVAL;
		current->pdeath_signal = arg2;
		return 0;
	case PR_GET_PDEATHSIG:
		return put_user(current->pdeath_signal, (int __user *)arg2) ?
			       -EFAULT :
			       0;
	case PR_SET_NAME:
		n = strncpy_from_user(comm, (const char __user *)arg2,
				      sizeof(comm) - 1);
		if (n < 0)
			return -EFAULT;
		comm[n] = '\0';
		set_task_comm(current, comm);
		return 0;
	case PR_GET_NAME:
		get_task_comm(comm, current);
		return copy_to_user((char __user *)arg2, comm, sizeof(comm)) ?
			       -EFAULT :
			       0;
	default: return -EINVAL; /* TODO: the other options */
	}
}

/* struct robust_list_head: list, futex_offset, list_op_pending */
#define ROBUST_LIST_HEAD_SIZE 24

SYSCALL_DEFINE2(set_robust_list, void __user *, head, size_t, len)
{
	if (len != ROBUST_LIST_HEAD_SIZE)
		return -EINVAL;
	current->robust_list = head;
	current->robust_list_len = len;
	return 0;
}

SYSCALL_DEFINE3(get_robust_list, int, pid, void __user *__user *, head_ptr,
		size_t __user *, len_ptr)
{
	struct task *p = task_or_current(pid);
	void __user *head;

	if (IS_ERR(p))
		return PTR_ERR(p);
	head = p->robust_list;
	put_task(p);
	if (put_user(ROBUST_LIST_HEAD_SIZE, len_ptr) ||
	    put_user(head, head_ptr))
		return -EFAULT;
	return 0;
}

/* ---- scheduling: affinity, priority, getcpu ---- */

SYSCALL_DEFINE3(sched_getaffinity, int, pid, unsigned int, len,
		unsigned long __user *, user_mask_ptr)
{
	struct task *p;
	cpumask_t mask;

	if (len * 8 < NR_CPUS || (len & (sizeof(long) - 1)))
		return -EINVAL;
	p = task_or_current(pid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	mask = READ_ONCE(p->allowed) & READ_ONCE(cpu_online_mask);
	put_task(p);
	if (copy_to_user(user_mask_ptr, &mask, sizeof(mask)))
		return -EFAULT;
	return sizeof(mask);
}

SYSCALL_DEFINE3(sched_setaffinity, int, pid, unsigned int, len,
		const unsigned long __user *, user_mask_ptr)
{
	cpumask_t mask = 0;
	struct task *p;
	long err;

	if (copy_from_user(&mask, user_mask_ptr, min(len, sizeof(mask))))
		return -EFAULT;
	p = task_or_current(pid);
	if (IS_ERR(p))
		return PTR_ERR(p);
	err = sched_setaffinity(p, mask);
	put_task(p);
	return err;
}

#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2

/*
 * Call fn on each process that which/who names (Linux's
 * get/setpriority walk); -ESRCH if none, else the first error or 0.
 */
static long for_each_prio_task(int which, int who,
			       long (*fn)(struct task *p, void *arg), void *arg)
{
	long ret = -ESRCH;
	int pid = 1;

	if (which < PRIO_PROCESS || which > PRIO_USER)
		return -EINVAL;
	if (!who && which == PRIO_PGRP)
		who = task_pgrp_nr(current);
	if (!who && which == PRIO_USER)
		who = current->cred.uid;
	if (!who && which == PRIO_PROCESS)
		who = current->pid;
	while ((pid = task_next_pid(pid, NULL)) != 0) {
		struct task *p = find_task_by_pid(pid++);
		bool match;
		long r;

		if (!p)
			continue;
		match = (which == PRIO_PROCESS && p->pid == who) ||
			(which == PRIO_PGRP && p->mm &&
			 task_pgrp_nr(p) == who) ||
			(which == PRIO_USER && p->mm &&
			 p->cred.uid == (u32)who);
		r = match ? fn(p, arg) : 0;
		put_task(p);
		if (match && (ret == -ESRCH || (ret == 0 && r < 0)))
			ret = r;
	}
	return ret;
}

static long prio_get(struct task *p, void *arg)
{
	long *best = arg, v = 20 - READ_ONCE(p->nice); /* nice_to_rlimit */

	if (v > *best)
		*best = v;
	return 0;
}

static long prio_set(struct task *p, void *arg)
{
	int nice = *(int *)arg;

	if (p->cred.uid != current->cred.euid &&
	    p->cred.euid != current->cred.euid && !capable())
		return -EPERM;
	if (nice < READ_ONCE(p->nice) && !capable() &&
	    20 - nice > (long)rlimit(RLIMIT_NICE))
		return -EACCES;
	return sched_set_nice(p, nice);
}

SYSCALL_DEFINE2(getpriority, int, which, int, who)
{
	long best = 0, err = for_each_prio_task(which, who, prio_get, &best);

	return err ? err : best;
}

SYSCALL_DEFINE3(setpriority, int, which, int, who, int, niceval)
{
	int nice = niceval < NICE_MIN ? NICE_MIN :
		   niceval > NICE_MAX ? NICE_MAX :
					niceval;

	return for_each_prio_task(which, who, prio_set, &nice);
}

SYSCALL_DEFINE3(getcpu, unsigned int __user *, cpup, unsigned int __user *,
		nodep, void __user *, unused)
{
	unsigned int cpu = READ_ONCE(current->cpu);

	if (cpup && put_user(cpu, cpup))
		return -EFAULT;
	if (nodep && put_user(0U, nodep))
		return -EFAULT;
	return 0;
}

/* ---- host and domain names ---- */

#define __NEW_UTS_LEN 64

static DEFINE_SPINLOCK(uts_lock);
static char uts_nodename[__NEW_UTS_LEN + 1] = "keel";
static char uts_domainname[__NEW_UTS_LEN + 1] = "(none)";

static long set_uts_name(char *dst, const char __user *name, int len)
{
	char tmp[__NEW_UTS_LEN + 1];

	if (!capable())
		return -EPERM;
	if (len < 0 || len > __NEW_UTS_LEN)
		return -EINVAL;
	if (copy_from_user(tmp, name, len))
		return -EFAULT;
	tmp[len] = '\0';
	spin_lock(&uts_lock);
	memcpy(dst, tmp, len + 1);
	spin_unlock(&uts_lock);
	return 0;
}

SYSCALL_DEFINE2(sethostname, const char __user *, name, int, len)
{
	return set_uts_name(uts_nodename, name, len);
}

SYSCALL_DEFINE2(setdomainname, const char __user *, name, int, len)
{
	return set_uts_name(uts_domainname, name, len);
}

/* ---- CPU time: getrusage, times ---- */

struct kernel_old_timeval {
	long tv_sec;
	long tv_usec;
};

struct rusage {
	struct kernel_old_timeval ru_utime, ru_stime;
	long ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt;
	long ru_nswap, ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv;
	long ru_nsignals, ru_nvcsw, ru_nivcsw;
};

_Static_assert(sizeof(struct rusage) == 144, "Linux's rusage size");

static struct kernel_old_timeval ticks_to_tv(u64 ticks)
{
	u64 us = ticks * (1000000 / HZ);

	return (struct kernel_old_timeval){ us / 1000000, us % 1000000 };
}

void task_rusage(struct task *p, int who, struct rusage *ru)
{
	struct mm_struct *mm = who == RUSAGE_CHILDREN ? NULL : get_task_mm(p);

	memset(ru, 0, sizeof(*ru));
	if (who == RUSAGE_CHILDREN) {
		ru->ru_utime = ticks_to_tv(READ_ONCE(p->cutime));
		ru->ru_stime = ticks_to_tv(READ_ONCE(p->cstime));
		ru->ru_nvcsw = READ_ONCE(p->cnr_switches);
		return;
	}
	ru->ru_utime = ticks_to_tv(READ_ONCE(p->utime));
	ru->ru_stime = ticks_to_tv(READ_ONCE(p->stime));
	ru->ru_nvcsw = READ_ONCE(p->nr_switches);
	if (mm) {
		/* TODO: the peak; keel keeps only the current size */
		ru->ru_maxrss = READ_ONCE(mm->nr_pages) * (PAGE_SIZE / 1024);
		mmput(mm);
	}
}

SYSCALL_DEFINE2(getrusage, int, who, struct rusage __user *, ru)
{
	struct rusage r;

	if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN &&
	    who != RUSAGE_THREAD)
		return -EINVAL;
	task_rusage(current, who, &r);
	return copy_to_user(ru, &r, sizeof(r)) ? -EFAULT : 0;
}

struct tms {
	long tms_utime, tms_stime, tms_cutime, tms_cstime;
};

/* USER_HZ is HZ (100): ticks are clock_t units as they are. */
SYSCALL_DEFINE1(times, struct tms __user *, tbuf)
{
	struct task *p = current;
	struct tms t = { READ_ONCE(p->utime), READ_ONCE(p->stime),
			 READ_ONCE(p->cutime), READ_ONCE(p->cstime) };

	if (tbuf && copy_to_user(tbuf, &t, sizeof(t)))
		return -EFAULT;
	return ktime_get_ns() / (NSEC_PER_SEC / HZ);
}
SYSCALL_DEFINE0(sched_yield)
{
	sched_yield();
	return 0;
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "keel", sizeof(u.sysname));
	spin_lock(&uts_lock);
	strlcpy(u.nodename, uts_nodename, sizeof(u.nodename));
	strlcpy(u.domainname, uts_domainname, sizeof(u.domainname));
	spin_unlock(&uts_lock);
	/* the Linux ABI level keel speaks; C libraries check it */
	strlcpy(u.release, "6.1.0-keel", sizeof(u.release));
	snprintf(u.version, sizeof(u.version), "#1 SMP keel %s (%s)",
		 KEEL_VERSION, KEEL_GIT_REV);
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

#define LINUX_REBOOT_MAGIC1	   0xfee1dead
#define LINUX_REBOOT_MAGIC2	   672274793
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT	   0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		pr_info("reboot: power down (by %d %s)\n", current->pid,
			current->name);
		kernel_power_off();
	case LINUX_REBOOT_CMD_RESTART: kernel_restart();
	default: return -EINVAL;
	}
}

/* ---- syslog: the kernel log ring (busybox dmesg, klogd) ---- */

#define SYSLOG_ACTION_CLOSE	    0
#define SYSLOG_ACTION_OPEN	    1
#define SYSLOG_ACTION_READ	    2
#define SYSLOG_ACTION_READ_ALL	    3
#define SYSLOG_ACTION_READ_CLEAR    4
#define SYSLOG_ACTION_CLEAR	    5
#define SYSLOG_ACTION_CONSOLE_OFF   6
#define SYSLOG_ACTION_CONSOLE_ON    7
#define SYSLOG_ACTION_CONSOLE_LEVEL 8
#define SYSLOG_ACTION_SIZE_UNREAD   9
#define SYSLOG_ACTION_SIZE_BUFFER   10
#define MINIMUM_CONSOLE_LOGLEVEL    1

static DEFINE_MUTEX(syslog_mutex);
static u64 syslog_clear_pos; /* READ_ALL starts here (CLEAR moves it) */
static u64 syslog_read_pos;  /* READ consumes from here */
static int saved_console_loglevel = -1;

/*
 * The newest bytes from from on, at most len, starting at a line: copied
 * to buf. Returns the count. syslog_mutex held.
 */
static size_t syslog_copy(u64 from, char *buf, size_t len)
{
	u64 total = log_buf_total(), pos = from;
	size_t n = 0, got, skip = 0;

	if (total - from > len)
		pos = total - len;
	while (n < len && (got = log_buf_read(&pos, buf + n, len - n)) != 0)
		n += got;
	if (pos - n != from) { /* cut at the front: start at a whole line */
		while (skip < n && buf[skip] != '\n')
			skip++;
		skip = skip < n ? skip + 1 : 0;
		memmove(buf, buf + skip, n - skip);
	}
	return n - skip;
}

/* SYSLOG_ACTION_READ: wait for unread bytes, then consume them. */
static long syslog_read(char __user *ubuf, size_t len, char *kbuf)
{
	size_t n;

	for (;;) {
		mutex_lock(&syslog_mutex);
		n = log_buf_read(&syslog_read_pos, kbuf, len);
		mutex_unlock(&syslog_mutex);
		if (n)
			break;
		if (signal_pending(current))
			return -ERESTARTSYS;
		/* TODO: a wait queue woken by printk instead of polling */
		msleep(20);
	}
	return copy_to_user(ubuf, kbuf, n) ? -EFAULT : (long)n;
}

SYSCALL_DEFINE3(syslog, int, type, char __user *, buf, int, len)
{
	char *kbuf;
	long ret;

	if (!capable()) /* dmesg_restrict = 1 */
		return -EPERM;
	switch (type) {
	case SYSLOG_ACTION_CLOSE:
	case SYSLOG_ACTION_OPEN: return 0;
	case SYSLOG_ACTION_READ:
	case SYSLOG_ACTION_READ_ALL:
	case SYSLOG_ACTION_READ_CLEAR:
		if (!buf || len < 0)
			return -EINVAL;
		if (!len)
			return 0;
		if (!access_ok(buf, len))
			return -EFAULT;
		len = min(len, (int)LOG_BUF_SIZE);
		kbuf = kmalloc(len, GFP_KERNEL);
		if (!kbuf)
			return -ENOMEM;
		if (type == SYSLOG_ACTION_READ) {
			ret = syslog_read(buf, len, kbuf);
			kfree(kbuf);
			return ret;
		}
		mutex_lock(&syslog_mutex);
		ret = syslog_copy(syslog_clear_pos, kbuf, len);
		if (type == SYSLOG_ACTION_READ_CLEAR)
			syslog_clear_pos = log_buf_total();
		mutex_unlock(&syslog_mutex);
		if (copy_to_user(buf, kbuf, ret))
			ret = -EFAULT;
		kfree(kbuf);
		return ret;
	case SYSLOG_ACTION_CLEAR:
		mutex_lock(&syslog_mutex);
		syslog_clear_pos = log_buf_total();
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_CONSOLE_OFF:
		mutex_lock(&syslog_mutex);
		if (saved_console_loglevel < 0)
			saved_console_loglevel = console_loglevel;
		console_loglevel = MINIMUM_CONSOLE_LOGLEVEL;
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_CONSOLE_ON:
		mutex_lock(&syslog_mutex);
		if (saved_console_loglevel >= 0)
			console_loglevel = saved_console_loglevel;
		saved_console_loglevel = -1;
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_CONSOLE_LEVEL:
		if (len < 1 || len > 8)
			return -EINVAL;
		mutex_lock(&syslog_mutex);
		console_loglevel = max(len, MINIMUM_CONSOLE_LOGLEVEL);
		saved_console_loglevel = -1;
		mutex_unlock(&syslog_mutex);
		return 0;
	case SYSLOG_ACTION_SIZE_UNREAD: {
		u64 total = log_buf_total(), pos;

		mutex_lock(&syslog_mutex);
		pos = syslog_read_pos;
		mutex_unlock(&syslog_mutex);
		if (total - pos > LOG_BUF_SIZE)
			pos = total - LOG_BUF_SIZE;
		return total - pos;
	}
	case SYSLOG_ACTION_SIZE_BUFFER: return LOG_BUF_SIZE;
	default: return -EINVAL;
	}
}
