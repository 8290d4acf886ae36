// SPDX-License-Identifier: MIT
/*
 * signal.c - signals (keel/signal.h).
 *
 * TODO: a placeholder until signal delivery lands: nothing is ever
 * pending and nothing can be sent, a task's process group and session
 * are its own PID.
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

int task_pgrp_nr(struct task *p)
{
	return p->pid;
}

int task_session_nr(struct task *p)
{
	return p->pid;
}
