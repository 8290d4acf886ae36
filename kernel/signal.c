// SPDX-License-Identifier: MIT
/*
 * signal.c - signals (keel/signal.h).
 *
 * TODO: a placeholder until signal delivery lands: nothing is ever
 * pending and nothing can be sent, a task's process group and session
 * are its own PID, and a signal mask cannot be set.
 */
#include <keel/errno.h>
#include <keel/sched.h>
#include <keel/signal.h>

int send_sig(int sig, struct task *p, int priv)
{
	(void)sig;
	(void)p;
	(void)priv;
	return -ENOSYS;
}

int kill_pgrp(int pgrp, int sig, int priv)
{
	(void)pgrp;
	(void)sig;
	(void)priv;
	return -ENOSYS;
}

bool signal_pending(struct task *p)
{
	(void)p;
	return false;
}

bool fatal_signal_pending(struct task *p)
{
	(void)p;
	return false;
}

int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	if (!umask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	return -ENOSYS;
}

void restore_saved_sigmask_unless(bool interrupted)
{
	(void)interrupted;
}

int task_pgrp_nr(struct task *p)
{
	return p->pid;
}

int task_session_nr(struct task *p)
{
	return p->pid;
}
