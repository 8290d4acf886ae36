/* SPDX-License-Identifier: MIT */
/*
 * keel/signal.h - signals, process groups and sessions: the interface
 * the rest of the kernel uses (kernel/signal.c).
 *
 * Numbers and user-visible layouts are Linux's x86_64 ones. A task is a
 * process (there are no threads yet): a signal sent to a PID goes to
 * that task.
 *
 * TODO: kernel/signal.c is a placeholder that delivers nothing
 * (signal_pending() is always false, sending returns -ENOSYS) until the
 * signal work lands; callers are written against this interface now.
 */
#ifndef _KEEL_SIGNAL_H
#define _KEEL_SIGNAL_H

#include <keel/compiler.h>
#include <keel/types.h>

struct task;
struct pt_regs;

#define SIGHUP	  1
#define SIGINT	  2
#define SIGQUIT	  3
#define SIGILL	  4
#define SIGTRAP	  5
#define SIGABRT	  6
#define SIGBUS	  7
#define SIGFPE	  8
#define SIGKILL	  9
#define SIGUSR1	  10
#define SIGSEGV	  11
#define SIGUSR2	  12
#define SIGPIPE	  13
#define SIGALRM	  14
#define SIGTERM	  15
#define SIGSTKFLT 16
#define SIGCHLD	  17
#define SIGCONT	  18
#define SIGSTOP	  19
#define SIGTSTP	  20
#define SIGTTIN	  21
#define SIGTTOU	  22
#define SIGURG	  23
#define SIGXCPU	  24
#define SIGXFSZ	  25
#define SIGVTALRM 26
#define SIGPROF	  27
#define SIGWINCH  28
#define SIGIO	  29
#define SIGPWR	  30
#define SIGSYS	  31
#define SIGRTMIN  32
#define _NSIG	  64 /* signals 1.._NSIG; the kernel's sigset is 64 bits */

/*
 * Send sig (1.._NSIG) to p. priv: sent by the kernel (a fault, a broken
 * pipe, the tty), not on behalf of a user's kill(). Returns 0 or -Exxx.
 */
int send_sig(int sig, struct task *p, int priv);
/* Send sig to every process in process group pgrp; 0 or -ESRCH. */
int kill_pgrp(int pgrp, int sig, int priv);

/* Has p a signal waiting that it does not block? (Racy but safe.) */
bool signal_pending(struct task *p);
/* ... one that will end it (SIGKILL, or a fatal default action)? */
bool fatal_signal_pending(struct task *p);

/* The kernel's signal set (Linux's: one 64-bit word on x86_64). */
typedef struct {
	unsigned long sig[1];
} sigset_t;

/*
 * ppoll/pselect6/epoll_pwait: block the signals in the user's set
 * (sigsetsize must be sizeof(sigset_t), else -EINVAL; NULL: no change)
 * for the rest of the call, keeping the old mask. Then, on the way out,
 * restore_saved_sigmask_unless(interrupted): with interrupted (the call
 * returns -EINTR/-ERESTART*), the old mask comes back only after the
 * signal's handler has run, as Linux does; else at once.
 */
int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize);
void restore_saved_sigmask_unless(bool interrupted);

/* p's process group and session IDs. */
int task_pgrp_nr(struct task *p);
int task_session_nr(struct task *p);

#endif
