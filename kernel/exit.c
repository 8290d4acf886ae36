// SPDX-License-Identifier: MIT
/*
 * exit.c - the end of a process: exit, exit_group, fatal faults, and
 * wait4 reaping the zombies.
 *
 * do_exit() frees the address space, hands the children to
 * child_reaper, records the wait status and wakes the parent, then
 * switches away for good (do_task_dead). The struct task stays as a
 * zombie, holding the parent's reference, until wait4 takes the status
 * and drops that reference (which frees it). A process whose parent is
 * not a user process (the kernel started it: the boot context before it
 * became /init) has no one to wait for it:
 * it drops that reference itself as it exits ("autoreap").
 *
 * process_lock protects every parent/children link and exit_state.
 * At exit the parent gets the child's exit signal (SIGCHLD) with its
 * status (kernel/signal.c do_notify_parent); a parent that ignores
 * SIGCHLD or set SA_NOCLDWAIT has its children reaped at once. wait4
 * also reports children that stopped (WUNTRACED) or continued
 * (WCONTINUED), and a signal interrupts its sleep.
 */
#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/mm_user.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <keel/syscalls.h>
#include <keel/wait.h>

#include "sched/sched.h"

#define WNOHANG	   0x00000001
#define WUNTRACED  0x00000002
#define WCONTINUED 0x00000008
#define __WALL	   0x40000000
#define __WCLONE   0x80000000

static DEFINE_SPINLOCK(process_lock);
struct task *child_reaper = &init_task;

void process_link_child(struct task *parent, struct task *child)
{
	unsigned long flags;

	spin_lock_irqsave(&process_lock, flags);
	child->parent = parent;
	list_add_tail(&child->sibling, &parent->children);
	spin_unlock_irqrestore(&process_lock, flags);
}

struct task *get_task_parent(struct task *p)
{
	unsigned long flags;
	struct task *parent;

	spin_lock_irqsave(&process_lock, flags);
	parent = p->parent;
	if (parent)
		get_task(parent);
	spin_unlock_irqrestore(&process_lock, flags);
	return parent;
}

bool task_is_child_of(struct task *p, struct task *parent)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&process_lock, flags);
	ret = p->parent == parent;
	spin_unlock_irqrestore(&process_lock, flags);
	return ret;
}

int task_ppid(struct task *p)
{
	unsigned long flags;
	int ppid;

	spin_lock_irqsave(&process_lock, flags);
	ppid = p->parent ? p->parent->pid : 0;
	spin_unlock_irqrestore(&process_lock, flags);
	return ppid;
}

static bool is_user_process(const struct task *p)
{
	return p && p->mm;
}

/*
 * Give p's children to child_reaper, or let them go (reaped now if
 * already zombies) when it is not a user process. process_lock held;
 * the zombies to drop are moved onto *drop.
 */
static void forget_children(struct task *p, struct list_head *drop)
{
	struct task *reaper = child_reaper, *c, *n;
	bool adopt = reaper != p && is_user_process(reaper);

	list_for_each_entry_safe(c, n, &p->children, sibling) {
		if (c->pdeath_signal && c->exit_state != EXIT_ZOMBIE)
			send_sig(c->pdeath_signal, c, 1); /* prctl */
		list_del_init(&c->sibling);
		c->parent = adopt ? reaper : NULL;
		if (adopt)
			list_add_tail(&c->sibling, &reaper->children);
		else if (c->exit_state == EXIT_ZOMBIE) {
			WRITE_ONCE(c->exit_state, EXIT_DEAD);
			list_add_tail(&c->sibling, drop);
		}
	}
	if (adopt)
		wake_up(&reaper->wait_chldexit);
}

/* Become a zombie; returns true if nobody will reap us (autoreap). */
static bool exit_notify(struct task *p, int status)
{
	struct task *parent, *c, *n;
	unsigned long flags;
	LIST_HEAD(drop);

	spin_lock_irqsave(&process_lock, flags);
	forget_children(p, &drop);
	p->wait_status = status;
	p->exit_state = EXIT_ZOMBIE;
	parent = p->parent;
	if (parent &&
	    (!is_user_process(parent) || do_notify_parent(p, status))) {
		list_del_init(&p->sibling);
		p->parent = NULL;
	}
	if (!p->parent) /* autoreaped: nobody will see the zombie */
		WRITE_ONCE(p->exit_state, EXIT_DEAD);
	if (parent)
		wake_up(&parent->wait_chldexit);
	spin_unlock_irqrestore(&process_lock, flags);
	list_for_each_entry_safe(c, n, &drop, sibling) {
		list_del_init(&c->sibling);
		put_task(c);
	}
	return !p->parent;
}

static void exit_mm(struct task *p)
{
	struct mm_struct *mm = p->mm;

	if (p->clear_child_tid)
		put_user(0, p->clear_child_tid); /* TODO: futex wake */
	if (!mm)
		return;
	switch_mm(NULL);
	mmput(mm);
}

void exit_files_fs(struct task *p)
{
	exit_files(p);
	exit_fs(p);
}

void do_exit(int status)
{
	struct task *p = current;

	if (p == child_reaper && is_user_process(p))
		panic("Attempted to kill init! exitcode=0x%08x", status);
	exit_signal_state(p);
	exit_mm(p);
	exit_files_fs(p);
	if (exit_notify(p, status))
		put_task(p); /* the reference a parent's wait4 would drop */
	do_task_dead();
}

SYSCALL_DEFINE1(exit, int, error_code)
{
	do_exit((error_code & 0xff) << 8);
}

SYSCALL_DEFINE1(exit_group, int, error_code)
{
	do_exit((error_code & 0xff) << 8);
}

static bool child_matches(const struct task *c, int pid)
{
	if (pid == -1)
		return true;
	if (pid == 0)
		return task_pgrp_nr((struct task *)c) == task_pgrp_nr(current);
	if (pid < -1)
		return task_pgrp_nr((struct task *)c) == -pid;
	return c->pid == pid;
}

/*
 * What wait4 may take from c now: 1 a zombie (reap it), 2 a stop or 3
 * a continue to report (consumed when take), else 0. *status is set.
 * process_lock held.
 */
static int child_event(struct task *c, int options, int *status, bool take)
{
	int ret = 0;

	if (c->exit_state == EXIT_ZOMBIE) {
		*status = c->wait_status;
		return 1;
	}
	spin_lock(&c->sig.siglock);
	if ((options & WUNTRACED) && (c->sig.jobctl & JOBCTL_STOP_REPORT)) {
		*status = (c->sig.stop_sig << 8) | 0x7f;
		if (take)
			c->sig.jobctl &= ~JOBCTL_STOP_REPORT;
		ret = 2;
	} else if ((options & WCONTINUED) &&
		   (c->sig.jobctl & JOBCTL_CONT_REPORT)) {
		*status = 0xffff;
		if (take)
			c->sig.jobctl &= ~JOBCTL_CONT_REPORT;
		ret = 3;
	}
	spin_unlock(&c->sig.siglock);
	return ret;
}

/*
 * Is there something for wait4 (a zombie, a stop, a continue), or
 * nothing left to wait for?
 */
static bool wait_ready(int pid, int options)
{
	unsigned long flags;
	bool found = false, ready = false;
	struct task *c;
	int status;

	spin_lock_irqsave(&process_lock, flags);
	list_for_each_entry(c, &current->children, sibling) {
		if (!child_matches(c, pid))
			continue;
		found = true;
		ready |= child_event(c, options, &status, false) != 0;
	}
	spin_unlock_irqrestore(&process_lock, flags);
	return ready || !found;
}

/* Try once: a reaped or reported pid, 0 (children, none ready), -ECHILD. */
static long wait_once(int pid, int options, int *status)
{
	struct task *c, *z = NULL;
	unsigned long flags;
	bool found = false;
	long ret = 0;

	spin_lock_irqsave(&process_lock, flags);
	list_for_each_entry(c, &current->children, sibling) {
		int ev;

		if (!child_matches(c, pid))
			continue;
		found = true;
		ev = child_event(c, options, status, true);
		if (!ev)
			continue;
		ret = c->pid;
		if (ev == 1) {
			list_del_init(&c->sibling);
			WRITE_ONCE(c->exit_state, EXIT_DEAD);
			z = c;
		}
		break;
	}
	spin_unlock_irqrestore(&process_lock, flags);
	if (z) {
		/* Linux's __exit_signal: the reaper gets the child's times */
		current->cutime += z->utime + z->cutime;
		current->cstime += z->stime + z->cstime;
		current->cnr_switches += z->nr_switches + z->cnr_switches;
		put_task(z); /* frees it once its last switch is done */
	}
	if (!found)
		return -ECHILD;
	return ret;
}

/*
 * SYSCALL wait4: pid > 0 that child, -1 any, 0 any in our process
 * group, < -1 any in group -pid. WNOHANG, WUNTRACED, WCONTINUED. A
 * signal ends the wait (-ERESTARTSYS: -EINTR or a restart). rusage is
 * cleared (TODO: times).
 */
SYSCALL_DEFINE4(wait4, int, pid, int __user *, stat_addr, int, options,
		void __user *, ru)
{
	int status = 0;
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE))
		return -EINVAL;
	for (;;) {
		ret = wait_once(pid, options, &status);
		if (ret || (options & WNOHANG))
			break;
		ret = wait_event_interruptible(current->wait_chldexit,
					       wait_ready(pid, options));
		if (ret)
			return ret;
	}
	if (ret > 0 && stat_addr && put_user(status, stat_addr))
		return -EFAULT;
	if (ret > 0 && ru && clear_user(ru, 144))
		return -EFAULT;
	return ret;
}
