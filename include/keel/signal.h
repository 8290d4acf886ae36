/* SPDX-License-Identifier: MIT */
/*
 * keel/signal.h - signals, process groups and sessions: the interface
 * the rest of the kernel uses (kernel/signal.c).
 *
 * Numbers and user-visible layouts are Linux's x86_64 ones. A task is a
 * process (there are no threads yet): a signal sent to a PID goes to
 * that task. Each task keeps its handlers, blocked mask, pending set
 * (with the siginfo of one instance of each signal), sigaltstack,
 * process group and session, all under its siglock (struct task_signal
 * below, in struct task). Delivery happens on every return to user mode
 * (exit_to_user_mode()); the user frame is arch/x86_64/signal.c's.
 * docs/userspace.md, "Signals", says what works and what does not.
 *
 * Kernel threads ignore every signal. Sending wakes a task that sleeps
 * TASK_INTERRUPTIBLE (wait_event_interruptible, nanosleep, wait4,
 * pause, sigsuspend, a stop), never a TASK_BLOCKED one.
 */
#ifndef _KEEL_SIGNAL_H
#define _KEEL_SIGNAL_H

#include <keel/compiler.h>
#include <keel/spinlock.h>
#include <keel/timer.h>
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

/* sa_handler's special values */
#define SIG_DFL ((void __user *)0)
#define SIG_IGN ((void __user *)1)

/* sa_flags (x86_64) */
#define SA_NOCLDSTOP 0x00000001
#define SA_NOCLDWAIT 0x00000002
#define SA_SIGINFO   0x00000004
#define SA_RESTORER  0x04000000
#define SA_ONSTACK   0x08000000
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

/* rt_sigprocmask's how */
#define SIG_BLOCK   0
#define SIG_UNBLOCK 1
#define SIG_SETMASK 2

/* sigaltstack */
#define SS_ONSTACK    1
#define SS_DISABLE    2
#define SS_AUTODISARM (1U << 31)
#define MINSIGSTKSZ   2048

/* si_code */
#define SI_USER	      0
#define SI_KERNEL     0x80
#define SI_TKILL      (-6)
#define CLD_EXITED    1
#define CLD_KILLED    2
#define CLD_DUMPED    3
#define CLD_STOPPED   5
#define CLD_CONTINUED 6
#define SEGV_MAPERR   1
#define SEGV_ACCERR   2
#define ILL_ILLOPN    2
#define FPE_INTDIV    1
#define FPE_FLTINV    7
#define BUS_ADRERR    2

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

#define sigmask(sig) (1UL << ((sig)-1))

/* struct sigaction as rt_sigaction(2) passes it on x86_64 (32 bytes). */
struct sigaction {
	void __user *sa_handler; /* or sa_sigaction */
	unsigned long sa_flags;
	void __user *sa_restorer;
	sigset_t sa_mask;
};

struct k_sigaction {
	struct sigaction sa;
};

/* sigaltstack(2)'s stack_t (24 bytes). */
typedef struct sigaltstack {
	void __user *ss_sp;
	int ss_flags;
	size_t ss_size;
} stack_t;

/*
 * The kernel's siginfo: the first 48 bytes of the user's 128-byte
 * siginfo_t, in its layout (copy_siginfo_to_user() clears the rest).
 */
typedef struct kernel_siginfo {
	int si_signo;
	int si_errno;
	int si_code;
	int __pad0;
	union {
		struct {
			int pid;
			unsigned int uid;
		} kill;
		struct {
			int pid;
			unsigned int uid;
			int status;
			int __pad1;
			long utime, stime;
		} sigchld;
		struct {
			void __user *addr;
		} sigfault;
	} sifields;
} kernel_siginfo_t;

#define si_pid	  sifields.kill.pid
#define si_uid	  sifields.kill.uid
#define si_status sifields.sigchld.status
#define si_addr	  sifields.sigfault.addr

#define SI_MAX_SIZE 128 /* the user's siginfo_t */

/* Pending signals: the set and one siginfo per signal. */
struct sigpending {
	sigset_t signal;
	kernel_siginfo_t info[_NSIG];
};

/* What a restarted call (restart_syscall) needs (ERESTART_RESTARTBLOCK). */
struct restart_block {
	long (*fn)(struct restart_block *rb);
	int clockid;
	u64 end_ns;
	void __user *rmtp;
};

/* task_signal.jobctl */
#define JOBCTL_STOPPED	     0x1 /* stopped by a stop signal */
#define JOBCTL_STOP_REPORT   0x2 /* wait4(WUNTRACED) may report the stop */
#define JOBCTL_CONT_REPORT   0x4 /* wait4(WCONTINUED) may report it */
#define JOBCTL_CLD_CONTINUED 0x8 /* tell the parent (SIGCHLD) we continued */

/* A task's signal state (struct task's sig; kernel/signal.c). */
struct task_signal {
	spinlock_t siglock; /* everything below but pgrp/session */
	struct k_sigaction action[_NSIG];
	sigset_t blocked;
	sigset_t real_blocked;	/* sigtimedwait: blocked before the wait */
	sigset_t saved_sigmask; /* sigsuspend, ppoll: restored later */
	bool restore_sigmask;	/* saved_sigmask to come back */
	struct sigpending pending;
	unsigned long sas_ss_sp;
	size_t sas_ss_size;
	unsigned int sas_ss_flags;
	unsigned int jobctl; /* JOBCTL_* */
	int stop_sig;	     /* the signal that stopped it */
	int exit_signal;     /* sent to the parent at exit (SIGCHLD) */
	int pgrp, session;   /* process group and session IDs */
	bool did_exec;	     /* setpgid refuses a child that exec'd */
	struct restart_block restart_block;
	struct timer_list alarm; /* alarm, ITIMER_REAL: sends SIGALRM */
	u64 alarm_interval;	 /* ITIMER_REAL's period (jiffies) */
	unsigned long forced;	 /* pending signals the kernel forced */
	/* the last user fault, for the signal frame's sigcontext */
	unsigned long fault_trapno, fault_err;
};

/* A signal being delivered to a user handler. */
struct ksignal {
	struct k_sigaction ka;
	kernel_siginfo_t info;
	int sig;
};

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

/* p's signal sets as /proc shows them (a snapshot under its siglock). */
struct task_sig_masks {
	unsigned long pending, blocked, ignored, caught;
};
void task_sig_masks(struct task *p, struct task_sig_masks *m);

/* p's process group and session IDs. */
int task_pgrp_nr(struct task *p);
int task_session_nr(struct task *p);

/* ---- for the process and arch code ---- */

/*
 * A fault in user mode (traps.c): sig with si_code code and si_addr
 * addr to current, delivered on the way out. A blocked or ignored one is
 * unblocked and reset to SIG_DFL first (the program cannot go on).
 * Returns whether a user handler will run (the caller logs otherwise).
 */
bool force_sig_fault(int sig, int code, void __user *addr);
/* Delivery failed (bad user stack): kill current with SIGSEGV. */
void force_sigsegv(int sig);
/*
 * The work before any return to user mode: reschedule, deliver
 * pending signals, restart or end an interrupted system call. Called
 * with regs = current's user frame; returns with interrupts off.
 */
void exit_to_user_mode(struct pt_regs *regs);
/* fork: the child's signal state from current's (exit_signal: clone's). */
void copy_signal(struct task *child, int exit_signal);
/* execve: handlers back to SIG_DFL (ignored ones stay), no altstack. */
void flush_signal_handlers(struct task *p);
/* PID 1 (/init): its own session and process group. */
void signal_init_process(struct task *p);
/* exit: stop p's alarm. */
void exit_signal_state(struct task *p);
/*
 * Tell p's parent that p exited (wait status status): its exit_signal
 * with CLD_* siginfo. Returns true if p is to be reaped at once (the
 * parent ignores SIGCHLD or has SA_NOCLDWAIT). process_lock held.
 */
bool do_notify_parent(struct task *p, int status);
/* The mask to report in a signal frame (saved_sigmask after sigsuspend). */
sigset_t *sigmask_to_save(void);
/* Replace current's blocked mask (SIGKILL and SIGSTOP stay unblocked). */
void set_current_blocked(sigset_t *newset);
/*
 * Pick the next signal to deliver (default actions happen inside: a
 * stop sleeps, a fatal one exits). True: ksig holds one with a handler.
 */
bool get_signal(struct ksignal *ksig);
/* After the arch built (or failed to build: failed) the frame. */
void signal_setup_done(bool failed, struct ksignal *ksig);
/* Is sp on current's alternate signal stack (never with SS_AUTODISARM)? */
bool on_sig_stack(unsigned long sp);
/* ... whatever its flags say (the frame must fit on it). */
bool __on_sig_stack(unsigned long sp);
/* sigaltstack's flags for sp: SS_ONSTACK, SS_DISABLE or 0. */
int sas_ss_flags(unsigned long sp);
/* rt_sigreturn: restore the stack_t from the frame. 0 or -EFAULT. */
int restore_altstack(const stack_t __user *uss);
/* siginfo to user (128 bytes, the rest zeroed). 0 or -EFAULT. */
int copy_siginfo_to_user(void __user *to, const kernel_siginfo_t *from);

/* arch (arch/x86_64/signal.c): deliver or restart, on the way out. */
void arch_do_signal_or_restart(struct pt_regs *regs, bool has_signal);

#endif
