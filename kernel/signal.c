// SPDX-License-Identifier: MIT
/*
 * signal.c - signals (keel/signal.h): sending, the pending set, default
 * actions (terminate, core, ignore, stop, continue), the work on every
 * return to user mode, the signal system calls, process groups and
 * sessions, alarm.
 *
 * A task is a process (no threads yet). Its signal state (p->sig) is
 * under p->sig.siglock, taken with interrupts off (timers and the tty
 * send from interrupts). Lock order: tasklist_lock -> process_lock ->
 * siglock -> pi_lock -> rq locks; nothing that holds a siglock takes
 * another lock of this list but pi_lock and rq (a wake-up).
 *
 * Sending puts the signal into the target's pending set with its
 * siginfo (a standard signal already pending is not queued twice; a
 * real-time one neither: TODO: queue real-time signals) and wakes the
 * target if it sleeps TASK_INTERRUPTIBLE, or kicks its CPU if it runs
 * elsewhere so that it passes exit_to_user_mode() soon. The target
 * itself takes the signal there (get_signal): a handler gets a frame
 * (arch/x86_64/signal.c), a default action runs in its context.
 */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <asm/ptrace.h>
#include <keel/errno.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/timer.h>
#include <keel/uaccess.h>
#include <keel/wait.h>

#include "sched/sched.h"

#define M(sig) sigmask(sig)

/* Default action classes (Linux's). */
#define SIG_KERNEL_ONLY_MASK (M(SIGKILL) | M(SIGSTOP))
#define SIG_KERNEL_STOP_MASK (M(SIGSTOP) | M(SIGTSTP) | M(SIGTTIN) | M(SIGTTOU))
#define SIG_KERNEL_COREDUMP_MASK                                        \
	(M(SIGQUIT) | M(SIGILL) | M(SIGTRAP) | M(SIGABRT) | M(SIGFPE) | \
	 M(SIGSEGV) | M(SIGBUS) | M(SIGSYS) | M(SIGXCPU) | M(SIGXFSZ))
#define SIG_KERNEL_IGNORE_MASK \
	(M(SIGCONT) | M(SIGCHLD) | M(SIGWINCH) | M(SIGURG))
/* Fault signals: delivered before the others. */
#define SYNCHRONOUS_MASK                                               \
	(M(SIGSEGV) | M(SIGBUS) | M(SIGILL) | M(SIGTRAP) | M(SIGFPE) | \
	 M(SIGSYS))

static bool in_mask(int sig, unsigned long mask)
{
	return sig >= 1 && sig <= 31 && (mask & M(sig));
}

#define sig_kernel_only(sig)	 in_mask(sig, SIG_KERNEL_ONLY_MASK)
#define sig_kernel_stop(sig)	 in_mask(sig, SIG_KERNEL_STOP_MASK)
#define sig_kernel_coredump(sig) in_mask(sig, SIG_KERNEL_COREDUMP_MASK)
#define sig_kernel_ignore(sig)	 in_mask(sig, SIG_KERNEL_IGNORE_MASK)

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= _NSIG;
}

static struct k_sigaction *action(struct task *p, int sig)
{
	return &p->sig.action[sig - 1];
}

/* Does p take signals at all? Kernel threads and zombies do not. */
static bool takes_signals(struct task *p)
{
	return !(p->flags & PF_KTHREAD) && p->mm && !p->exit_state;
}

/* The signals p can take now. */
static unsigned long deliverable(struct task *p)
{
	return READ_ONCE(p->sig.pending.signal.sig[0]) &
	       ~READ_ONCE(p->sig.blocked.sig[0]);
}

bool signal_pending(struct task *p)
{
	return deliverable(p) != 0;
}

/* Would sig, taken now, end p? */
static bool sig_fatal(struct task *p, int sig)
{
	void __user *h = action(p, sig)->sa.sa_handler;

	if (sig == SIGKILL)
		return true;
	return h == SIG_DFL && !sig_kernel_ignore(sig) && !sig_kernel_stop(sig);
}

bool fatal_signal_pending(struct task *p)
{
	unsigned long set = deliverable(p);

	for (int sig = 1; set; sig++, set >>= 1)
		if ((set & 1) && sig_fatal(p, sig))
			return true;
	return false;
}

/*
 * Would p drop sig at once? Blocked signals are kept (the handler may
 * change before they are unblocked). PID 1 ignores what it has no
 * handler for, SIGKILL included, unless the kernel forces it.
 */
static bool sig_ignored(struct task *p, int sig, bool force)
{
	void __user *h = action(p, sig)->sa.sa_handler;

	/*
	 * Blocked signals are never ignored: the handler may change before
	 * they are unblocked, and sigtimedwait takes them from the queue
	 * (real_blocked: what was blocked before it unblocked the waited
	 * set). So is PID 1's blocked SIGCHLD that busybox init waits for.
	 */
	if ((p->sig.blocked.sig[0] | p->sig.real_blocked.sig[0]) & M(sig) &&
	    !sig_kernel_only(sig))
		return false;
	if (p == child_reaper && h == SIG_DFL && !force)
		return true;
	if (sig_kernel_only(sig))
		return false;
	return h == SIG_IGN || (h == SIG_DFL && sig_kernel_ignore(sig));
}

/* Let p notice a signal: wake its interruptible sleep or kick its CPU. */
static void signal_wake_up(struct task *p)
{
	if (wake_up_interruptible_task(p))
		return;
	if (READ_ONCE(p->on_cpu) && READ_ONCE(p->cpu) != smp_processor_id())
		smp_send_reschedule(READ_ONCE(p->cpu));
}

static void sigdelsetmask(struct sigpending *q, unsigned long mask)
{
	q->signal.sig[0] &= ~mask;
}

/*
 * Stop and continue act at sending time (Linux's prepare_signal): a
 * stop signal discards a pending SIGCONT; SIGCONT discards pending stop
 * signals and wakes a stopped p. siglock held. Returns false if sig is
 * to be dropped.
 */
static bool prepare_signal(int sig, struct task *p, bool force)
{
	struct task_signal *s = &p->sig;

	if (sig_kernel_stop(sig)) {
		sigdelsetmask(&s->pending, M(SIGCONT));
	} else if (sig == SIGCONT) {
		sigdelsetmask(&s->pending, SIG_KERNEL_STOP_MASK);
		if (s->jobctl & JOBCTL_STOPPED) {
			s->jobctl &= ~(JOBCTL_STOPPED | JOBCTL_STOP_REPORT);
			s->jobctl |= JOBCTL_CONT_REPORT | JOBCTL_CLD_CONTINUED;
			wake_up_interruptible_task(p);
		}
	}
	return !sig_ignored(p, sig, force);
}

/* Queue sig with info for p. siglock held. */
static void send_signal_locked(int sig, const kernel_siginfo_t *info,
			       struct task *p, bool force)
{
	struct sigpending *q = &p->sig.pending;

	if (!prepare_signal(sig, p, force))
		return;
	if (q->signal.sig[0] & M(sig))
		return; /* one instance of each (TODO: rt queueing) */
	q->info[sig - 1] = *info;
	q->signal.sig[0] |= M(sig);
	if (!(p->sig.blocked.sig[0] & M(sig)) || sig == SIGKILL)
		signal_wake_up(p);
}

static int send_signal_info(int sig, const kernel_siginfo_t *info,
			    struct task *p, bool force)
{
	unsigned long flags;

	if (!valid_signal(sig))
		return -EINVAL;
	if (!takes_signals(p))
		return 0; /* kernel threads ignore signals */
	spin_lock_irqsave(&p->sig.siglock, flags);
	send_signal_locked(sig, info, p, force);
	spin_unlock_irqrestore(&p->sig.siglock, flags);
	return 0;
}

static void user_info(kernel_siginfo_t *info, int sig, int code)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	info->si_code = code;
	if (code <= 0) { /* from a process */
		info->si_pid = current->mm ? current->pid : 0;
		info->si_uid = 0;
	}
}

int send_sig(int sig, struct task *p, int priv)
{
	kernel_siginfo_t info;

	user_info(&info, sig, priv ? SI_KERNEL : SI_USER);
	return send_signal_info(sig, &info, p, false);
}

/* For each user process matching (tasklist_lock held), send sig. */
static int kill_matching(int sig, const kernel_siginfo_t *info,
			 bool (*match)(struct task *p, int arg), int arg)
{
	unsigned long flags;
	struct task *p;
	int found = 0, err = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks) {
		if ((p->flags & (PF_IDLE | PF_KTHREAD)) || !p->mm ||
		    p->exit_state || !match(p, arg))
			continue;
		found++;
		if (sig) {
			int e = send_signal_info(sig, info, p, false);

			if (e)
				err = e;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found ? err : -ESRCH;
}

static bool in_pgrp(struct task *p, int pgrp)
{
	return READ_ONCE(p->sig.pgrp) == pgrp;
}

static bool kill_all_match(struct task *p, int unused)
{
	(void)unused;
	return p != child_reaper && p != current;
}

int kill_pgrp(int pgrp, int sig, int priv)
{
	kernel_siginfo_t info;

	if (!valid_signal(sig))
		return -EINVAL;
	user_info(&info, sig, priv ? SI_KERNEL : SI_USER);
	return kill_matching(sig, &info, in_pgrp, pgrp);
}

/* The kill(2) family to one pid (sig 0: does it exist?). */
static int kill_pid_info(int sig, const kernel_siginfo_t *info, int pid)
{
	struct task *p = find_task_by_pid(pid);
	int err = 0;

	if (!p)
		return -ESRCH;
	if (p->flags & PF_IDLE)
		err = -ESRCH;
	else if (sig)
		err = send_signal_info(sig, info, p, false);
	put_task(p);
	return err;
}

SYSCALL_DEFINE2(kill, int, pid, int, sig)
{
	kernel_siginfo_t info;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	user_info(&info, sig, SI_USER);
	if (pid > 0)
		return kill_pid_info(sig, &info, pid);
	if (pid == -1)
		return kill_matching(sig, &info, kill_all_match, 0);
	if (pid == 0)
		return kill_matching(sig, &info, in_pgrp, current->sig.pgrp);
	if (pid == INT_MIN)
		return -ESRCH; /* Linux: -INT_MIN is no pgrp */
	return kill_matching(sig, &info, in_pgrp, -pid);
}

static long do_tkill(int tgid, int pid, int sig)
{
	kernel_siginfo_t info;
	struct task *p;
	long err = 0;

	if (pid <= 0 || sig < 0 || sig > _NSIG)
		return -EINVAL;
	user_info(&info, sig, SI_TKILL);
	p = find_task_by_pid(pid);
	if (!p)
		return -ESRCH;
	if ((p->flags & PF_IDLE) || (tgid > 0 && p->pid != tgid))
		err = -ESRCH; /* a task is its own thread group */
	else if (sig)
		err = send_signal_info(sig, &info, p, false);
	put_task(p);
	return err;
}

SYSCALL_DEFINE2(tkill, int, pid, int, sig)
{
	return do_tkill(0, pid, sig);
}

SYSCALL_DEFINE3(tgkill, int, tgid, int, pid, int, sig)
{
	if (tgid <= 0)
		return -EINVAL;
	return do_tkill(tgid, pid, sig);
}

bool force_sig_fault(int sig, int code, void __user *addr)
{
	struct task *p = current;
	struct k_sigaction *ka = action(p, sig);
	kernel_siginfo_t info;
	unsigned long flags;
	bool handled;

	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_code = code;
	info.si_addr = addr;
	spin_lock_irqsave(&p->sig.siglock, flags);
	/* blocked or ignored: the program cannot go on, take the default */
	if (ka->sa.sa_handler == SIG_IGN || (p->sig.blocked.sig[0] & M(sig))) {
		ka->sa.sa_handler = SIG_DFL;
		p->sig.blocked.sig[0] &= ~M(sig);
	}
	handled = ka->sa.sa_handler != SIG_DFL;
	p->sig.forced |= M(sig);
	send_signal_locked(sig, &info, p, true);
	spin_unlock_irqrestore(&p->sig.siglock, flags);
	return handled;
}

void force_sigsegv(int sig)
{
	struct task *p = current;
	unsigned long flags;

	spin_lock_irqsave(&p->sig.siglock, flags);
	if (sig == SIGSEGV)
		action(p, SIGSEGV)->sa.sa_handler = SIG_DFL;
	spin_unlock_irqrestore(&p->sig.siglock, flags);
	force_sig_fault(SIGSEGV, SI_KERNEL, NULL);
}

/* ---- masks ---- */

void set_current_blocked(sigset_t *newset)
{
	unsigned long flags;

	newset->sig[0] &= ~SIG_KERNEL_ONLY_MASK;
	spin_lock_irqsave(&current->sig.siglock, flags);
	current->sig.blocked = *newset;
	spin_unlock_irqrestore(&current->sig.siglock, flags);
}

sigset_t *sigmask_to_save(void)
{
	if (current->sig.restore_sigmask)
		return &current->sig.saved_sigmask;
	return &current->sig.blocked;
}

static void restore_saved_sigmask(void)
{
	if (current->sig.restore_sigmask) {
		current->sig.restore_sigmask = false;
		set_current_blocked(&current->sig.saved_sigmask);
	}
}

int set_user_sigmask(const sigset_t __user *umask, size_t sigsetsize)
{
	sigset_t kmask;

	if (!umask)
		return 0;
	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&kmask, umask, sizeof(kmask)))
		return -EFAULT;
	current->sig.restore_sigmask = true;
	current->sig.saved_sigmask = current->sig.blocked;
	set_current_blocked(&kmask);
	return 0;
}

void restore_saved_sigmask_unless(bool interrupted)
{
	if (!interrupted)
		restore_saved_sigmask();
	/* else: after the handler's frame took the old mask (or at exit) */
}

SYSCALL_DEFINE4(rt_sigprocmask, int, how, sigset_t __user *, nset,
		sigset_t __user *, oset, size_t, sigsetsize)
{
	sigset_t old = current->sig.blocked, set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (nset) {
		if (copy_from_user(&set, nset, sizeof(set)))
			return -EFAULT;
		switch (how) {
		case SIG_BLOCK: set.sig[0] |= old.sig[0]; break;
		case SIG_UNBLOCK: set.sig[0] = old.sig[0] & ~set.sig[0]; break;
		case SIG_SETMASK: break;
		default: return -EINVAL;
		}
		set_current_blocked(&set);
	}
	if (oset && copy_to_user(oset, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigpending, sigset_t __user *, uset, size_t, sigsetsize)
{
	sigset_t set;

	if (sigsetsize > sizeof(sigset_t))
		return -EINVAL;
	set.sig[0] = READ_ONCE(current->sig.pending.signal.sig[0]) &
		     READ_ONCE(current->sig.blocked.sig[0]);
	if (copy_to_user(uset, &set, sigsetsize))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE2(rt_sigsuspend, sigset_t __user *, unewset, size_t, sigsetsize)
{
	sigset_t set;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&set, unewset, sizeof(set)))
		return -EFAULT;
	current->sig.saved_sigmask = current->sig.blocked;
	set_current_blocked(&set);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	current->sig.restore_sigmask = true;
	return -ERESTARTNOHAND;
}

SYSCALL_DEFINE0(pause)
{
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
	return -ERESTARTNOHAND;
}

static int dequeue_signal(struct task *p, unsigned long mask,
			  kernel_siginfo_t *info, bool *forced);

struct sigtimedwait_ts {
	long tv_sec, tv_nsec;
};

/*
 * Take a signal of uthese (normally blocked) from the pending set, or
 * wait for one up to *uts (NULL: forever; zero: just look). Another
 * signal ends the wait with -EINTR, the time with -EAGAIN.
 */
SYSCALL_DEFINE4(rt_sigtimedwait, const sigset_t __user *, uthese, void __user *,
		uinfo, const struct sigtimedwait_ts __user *, uts, size_t,
		sigsetsize)
{
	struct task_signal *s = &current->sig;
	long timeout = MAX_SCHEDULE_TIMEOUT;
	struct sigtimedwait_ts ts;
	kernel_siginfo_t info;
	unsigned long flags;
	sigset_t these, saved;
	bool forced;
	int sig;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (copy_from_user(&these, uthese, sizeof(these)))
		return -EFAULT;
	if (uts) {
		if (copy_from_user(&ts, uts, sizeof(ts)))
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 ||
		    ts.tv_nsec >= (long)NSEC_PER_SEC)
			return -EINVAL;
		if (ts.tv_sec > LONG_MAX / (long)NSEC_PER_SEC - 1)
			timeout = MAX_SCHEDULE_TIMEOUT - 1;
		else
			timeout = (ts.tv_sec * (long)NSEC_PER_SEC + ts.tv_nsec +
				   TICK_NSEC - 1) /
				  TICK_NSEC;
	}
	these.sig[0] &= ~SIG_KERNEL_ONLY_MASK;
	spin_lock_irqsave(&s->siglock, flags);
	sig = dequeue_signal(current, these.sig[0], &info, &forced);
	if (!sig && timeout) {
		/* let these wake us while we wait: unblock them meanwhile */
		saved = s->blocked;
		s->real_blocked = saved;
		s->blocked.sig[0] &= ~these.sig[0];
		spin_unlock_irqrestore(&s->siglock, flags);
		set_current_state(TASK_INTERRUPTIBLE);
		if (!signal_pending(current))
			timeout = schedule_timeout(timeout);
		set_current_state(TASK_RUNNING);
		spin_lock_irqsave(&s->siglock, flags);
		s->blocked = saved;
		s->real_blocked.sig[0] = 0;
		sig = dequeue_signal(current, these.sig[0], &info, &forced);
	}
	spin_unlock_irqrestore(&s->siglock, flags);
	if (!sig)
		return timeout ? -EINTR : -EAGAIN;
	if (uinfo && copy_siginfo_to_user(uinfo, &info))
		return -EFAULT;
	return sig;
}

/* ---- sigaction ---- */

/* Drop pending instances of sig from p (it became ignored). */
static void flush_ignored(struct task *p, int sig)
{
	sigdelsetmask(&p->sig.pending, M(sig));
}

SYSCALL_DEFINE4(rt_sigaction, int, sig, const struct sigaction __user *, act,
		struct sigaction __user *, oact, size_t, sigsetsize)
{
	struct task *p = current;
	struct sigaction new, old;
	unsigned long flags;

	if (sigsetsize != sizeof(sigset_t))
		return -EINVAL;
	if (!valid_signal(sig) || (act && sig_kernel_only(sig)))
		return -EINVAL;
	if (act && copy_from_user(&new, act, sizeof(new)))
		return -EFAULT;
	spin_lock_irqsave(&p->sig.siglock, flags);
	old = action(p, sig)->sa;
	if (act) {
		new.sa_mask.sig[0] &= ~SIG_KERNEL_ONLY_MASK;
		action(p, sig)->sa = new;
		if (new.sa_handler == SIG_IGN ||
		    (new.sa_handler == SIG_DFL &&sig_kernel_ignore(sig)))
			flush_ignored(p, sig);
	}
	spin_unlock_irqrestore(&p->sig.siglock, flags);
	if (oact && copy_to_user(oact, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- the alternate stack ---- */

bool __on_sig_stack(unsigned long sp)
{
	struct task_signal *s = &current->sig;

	return sp > s->sas_ss_sp && sp - s->sas_ss_sp <= s->sas_ss_size;
}

bool on_sig_stack(unsigned long sp)
{
	/* SS_AUTODISARM: the stack is free again once we leave it */
	if (current->sig.sas_ss_flags & SS_AUTODISARM)
		return false;
	return __on_sig_stack(sp);
}

int sas_ss_flags(unsigned long sp)
{
	if (!current->sig.sas_ss_size)
		return SS_DISABLE;
	return on_sig_stack(sp) ? SS_ONSTACK : 0;
}

static int do_sigaltstack(const stack_t *ss, stack_t *oss, unsigned long sp)
{
	struct task_signal *s = &current->sig;

	if (oss) {
		memset(oss, 0, sizeof(*oss));
		oss->ss_sp = (void __user *)s->sas_ss_sp;
		oss->ss_size = s->sas_ss_size;
		oss->ss_flags = sas_ss_flags(sp) |
				(s->sas_ss_flags & SS_AUTODISARM);
	}
	if (ss) {
		unsigned int ss_flags = ss->ss_flags;
		unsigned int mode = ss_flags & ~SS_AUTODISARM;

		if (on_sig_stack(sp))
			return -EPERM;
		if (mode != SS_DISABLE && mode != SS_ONSTACK && mode != 0)
			return -EINVAL;
		if (mode == SS_DISABLE) {
			s->sas_ss_sp = 0;
			s->sas_ss_size = 0;
			s->sas_ss_flags = 0;
		} else {
			if (ss->ss_size < MINSIGSTKSZ)
				return -ENOMEM;
			s->sas_ss_sp = (unsigned long)ss->ss_sp;
			s->sas_ss_size = ss->ss_size;
			s->sas_ss_flags = ss_flags & SS_AUTODISARM;
		}
	}
	return 0;
}

SYSCALL_DEFINE2(sigaltstack, const stack_t __user *, uss, stack_t __user *,
		uoss)
{
	stack_t new, old;
	int err;

	if (uss && copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	err = do_sigaltstack(uss ? &new : NULL, &old, current_pt_regs()->rsp);
	if (!err && uoss && copy_to_user(uoss, &old, sizeof(old)))
		err = -EFAULT;
	return err;
}

int restore_altstack(const stack_t __user *uss)
{
	stack_t new;

	if (copy_from_user(&new, uss, sizeof(new)))
		return -EFAULT;
	(void)do_sigaltstack(&new, NULL, current_pt_regs()->rsp);
	return 0; /* errors are ignored, as Linux does */
}

int copy_siginfo_to_user(void __user *to, const kernel_siginfo_t *from)
{
	if (copy_to_user(to, from, sizeof(*from)))
		return -EFAULT;
	if (clear_user((char __user *)to + sizeof(*from),
		       SI_MAX_SIZE - sizeof(*from)))
		return -EFAULT;
	return 0;
}

/* ---- taking a signal ---- */

/* The next signal of set to take (SIGKILL, faults, then the lowest). */
static int next_signal(unsigned long set)
{
	if (!set)
		return 0;
	if (set & M(SIGKILL))
		return SIGKILL;
	if (set & SYNCHRONOUS_MASK)
		set &= SYNCHRONOUS_MASK;
	return __builtin_ctzl(set) + 1;
}

/* Take the next pending signal of mask off p's pending set. siglock. */
static int dequeue_signal(struct task *p, unsigned long mask,
			  kernel_siginfo_t *info, bool *forced)
{
	int sig = next_signal(p->sig.pending.signal.sig[0] & mask);

	if (sig) {
		*info = p->sig.pending.info[sig - 1];
		sigdelsetmask(&p->sig.pending, M(sig));
		*forced = p->sig.forced & M(sig);
		p->sig.forced &= ~M(sig);
	}
	return sig;
}

/*
 * p stopped (why CLD_STOPPED) or continued (CLD_CONTINUED): SIGCHLD to
 * its parent unless it set SA_NOCLDSTOP, and wake the parent's wait4.
 */
static void do_notify_parent_cldstop(struct task *p, int why)
{
	struct task *parent = get_task_parent(p);
	struct k_sigaction *ka;
	kernel_siginfo_t info;
	unsigned long flags;

	if (!parent)
		return;
	memset(&info, 0, sizeof(info));
	info.si_signo = SIGCHLD;
	info.si_code = why;
	info.si_pid = p->pid;
	info.si_status = why == CLD_CONTINUED ? SIGCONT : p->sig.stop_sig;
	if (takes_signals(parent)) {
		spin_lock_irqsave(&parent->sig.siglock, flags);
		ka = action(parent, SIGCHLD);
		if (!(ka->sa.sa_flags & SA_NOCLDSTOP))
			send_signal_locked(SIGCHLD, &info, parent, false);
		spin_unlock_irqrestore(&parent->sig.siglock, flags);
	}
	wake_up(&parent->wait_chldexit);
	put_task(parent);
}

bool do_notify_parent(struct task *p, int status)
{
	struct task *parent = p->parent;
	int sig = p->sig.exit_signal;
	struct k_sigaction *ka;
	kernel_siginfo_t info;
	unsigned long flags;
	bool autoreap = false;

	if (!parent || !takes_signals(parent))
		return false;
	memset(&info, 0, sizeof(info));
	info.si_signo = sig;
	info.si_pid = p->pid;
	if ((status & 0x7f) == 0) {
		info.si_code = CLD_EXITED;
		info.si_status = (status >> 8) & 0xff;
	} else {
		info.si_code = status & 0x80 ? CLD_DUMPED : CLD_KILLED;
		info.si_status = status & 0x7f;
	}
	spin_lock_irqsave(&parent->sig.siglock, flags);
	ka = action(parent, SIGCHLD);
	if (sig == SIGCHLD && (ka->sa.sa_handler == SIG_IGN ||
			       (ka->sa.sa_flags & SA_NOCLDWAIT))) {
		autoreap = true;
		if (ka->sa.sa_handler == SIG_IGN)
			sig = 0;
	}
	if (valid_signal(sig))
		send_signal_locked(sig, &info, parent, false);
	spin_unlock_irqrestore(&parent->sig.siglock, flags);
	return autoreap;
}

/* Stop current with signr; sleeps until SIGCONT or SIGKILL. */
static void do_signal_stop(int signr, unsigned long flags)
{
	struct task_signal *s = &current->sig;

	s->jobctl |= JOBCTL_STOPPED | JOBCTL_STOP_REPORT;
	s->jobctl &= ~JOBCTL_CONT_REPORT;
	s->stop_sig = signr;
	spin_unlock_irqrestore(&s->siglock, flags);
	do_notify_parent_cldstop(current, CLD_STOPPED);
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!(READ_ONCE(s->jobctl) & JOBCTL_STOPPED) ||
		    (READ_ONCE(s->pending.signal.sig[0]) & M(SIGKILL)))
			break;
		schedule();
	}
	set_current_state(TASK_RUNNING);
}

bool get_signal(struct ksignal *ksig)
{
	struct task *p = current;
	struct task_signal *s = &p->sig;
	unsigned long flags;
	bool forced = false;
	int signr;

relock:
	spin_lock_irqsave(&s->siglock, flags);
	if (s->jobctl & JOBCTL_CLD_CONTINUED) {
		s->jobctl &= ~JOBCTL_CLD_CONTINUED;
		spin_unlock_irqrestore(&s->siglock, flags);
		do_notify_parent_cldstop(p, CLD_CONTINUED);
		goto relock;
	}
	for (;;) {
		struct k_sigaction *ka;

		signr = dequeue_signal(p, ~s->blocked.sig[0], &ksig->info,
				       &forced);
		if (!signr)
			break;
		ka = action(p, signr);
		if (ka->sa.sa_handler == SIG_IGN)
			continue;
		if (ka->sa.sa_handler != SIG_DFL) {
			ksig->ka = *ka;
			if (ka->sa.sa_flags & SA_RESETHAND)
				ka->sa.sa_handler = SIG_DFL;
			break;
		}
		if (sig_kernel_ignore(signr))
			continue;
		/* PID 1 takes no default action but a forced fault's */
		if (p == child_reaper && !forced)
			continue;
		if (sig_kernel_stop(signr)) {
			do_signal_stop(signr, flags);
			goto relock;
		}
		spin_unlock_irqrestore(&s->siglock, flags);
		do_exit(signr | (sig_kernel_coredump(signr) ? 0x80 : 0));
	}
	spin_unlock_irqrestore(&s->siglock, flags);
	ksig->sig = signr;
	return signr > 0;
}

void signal_setup_done(bool failed, struct ksignal *ksig)
{
	sigset_t blocked;

	if (failed) {
		force_sigsegv(ksig->sig);
		return;
	}
	current->sig.restore_sigmask = false; /* the frame holds the mask */
	blocked.sig[0] = current->sig.blocked.sig[0] |
			 ksig->ka.sa.sa_mask.sig[0];
	if (!(ksig->ka.sa.sa_flags & SA_NODEFER))
		blocked.sig[0] |= M(ksig->sig);
	set_current_blocked(&blocked);
}

/* Is there signal work for this frame: a signal, or a call to restart? */
static bool signal_work(struct pt_regs *regs)
{
	long ret = (long)regs->rax;

	if (signal_pending(current) || current->sig.restore_sigmask ||
	    (READ_ONCE(current->sig.jobctl) & JOBCTL_CLD_CONTINUED))
		return true;
	return regs->vector == SYSCALL_VECTOR_MARK &&
	       (long)regs->error_code >= 0 && ret <= -ERESTARTSYS &&
	       ret >= -ERESTART_RESTARTBLOCK;
}

void exit_to_user_mode(struct pt_regs *regs)
{
	local_irq_disable();
	for (;;) {
		bool resched = this_cpu_read(need_resched);
		bool sigwork = signal_work(regs);

		if (!resched && !sigwork)
			break;
		local_irq_enable();
		if (resched)
			preempt_check_resched();
		if (sigwork) {
			arch_do_signal_or_restart(
				regs, signal_pending(current) ||
					      (current->sig.jobctl &
					       JOBCTL_CLD_CONTINUED));
			if (current->sig.restore_sigmask &&
			    !signal_pending(current))
				restore_saved_sigmask();
		}
		local_irq_disable();
	}
}

/* ---- fork, exec, exit ---- */

void copy_signal(struct task *child, int exit_signal)
{
	struct task_signal *s = &current->sig, *c = &child->sig;
	unsigned long flags;

	spin_lock_init(&c->siglock);
	spin_lock_irqsave(&s->siglock, flags);
	memcpy(c->action, s->action, sizeof(c->action));
	c->blocked = s->blocked;
	c->sas_ss_sp = s->sas_ss_sp;
	c->sas_ss_size = s->sas_ss_size;
	c->sas_ss_flags = s->sas_ss_flags;
	spin_unlock_irqrestore(&s->siglock, flags);
	c->pgrp = READ_ONCE(s->pgrp);
	c->session = READ_ONCE(s->session);
	c->exit_signal = exit_signal;
}

void flush_signal_handlers(struct task *p)
{
	unsigned long flags;

	spin_lock_irqsave(&p->sig.siglock, flags);
	for (int i = 0; i < _NSIG; i++) {
		struct k_sigaction *ka = &p->sig.action[i];

		if (ka->sa.sa_handler != SIG_IGN)
			ka->sa.sa_handler = SIG_DFL;
		ka->sa.sa_flags = 0;
		ka->sa.sa_restorer = NULL;
		ka->sa.sa_mask.sig[0] = 0;
	}
	p->sig.sas_ss_sp = 0;
	p->sig.sas_ss_size = 0;
	p->sig.sas_ss_flags = 0;
	p->sig.did_exec = true;
	spin_unlock_irqrestore(&p->sig.siglock, flags);
}

void signal_init_process(struct task *p)
{
	p->sig.pgrp = p->pid;
	p->sig.session = p->pid;
	if (!p->sig.exit_signal)
		p->sig.exit_signal = SIGCHLD;
}

void exit_signal_state(struct task *p)
{
	p->sig.alarm_interval = 0;
	if (p->sig.alarm.function)
		del_timer_sync(&p->sig.alarm);
}

/* ---- process groups and sessions ---- */

void task_sig_masks(struct task *p, struct task_sig_masks *m)
{
	unsigned long flags;

	*m = (struct task_sig_masks){};
	spin_lock_irqsave(&p->sig.siglock, flags);
	m->pending = p->sig.pending.signal.sig[0];
	m->blocked = p->sig.blocked.sig[0];
	for (int sig = 1; sig <= _NSIG; sig++) {
		void __user *h = p->sig.action[sig - 1].sa.sa_handler;

		if (h == SIG_IGN)
			m->ignored |= M(sig);
		else if (h != SIG_DFL)
			m->caught |= M(sig);
	}
	spin_unlock_irqrestore(&p->sig.siglock, flags);
}

int task_pgrp_nr(struct task *p)
{
	return READ_ONCE(p->sig.pgrp);
}

int task_session_nr(struct task *p)
{
	return READ_ONCE(p->sig.session);
}

/* Is there a user process in group pgrp of session sid? */
static bool pgrp_in_session_match(struct task *p, int pgrp)
{
	return in_pgrp(p, pgrp) &&
	       READ_ONCE(p->sig.session) == READ_ONCE(current->sig.session);
}

static bool pgrp_leader_match(struct task *p, int pgrp)
{
	return in_pgrp(p, pgrp);
}

SYSCALL_DEFINE2(setpgid, int, pid, int, pgid)
{
	struct task *p;
	long err = 0;

	if (pgid < 0)
		return -EINVAL;
	if (!pid)
		pid = current->pid;
	if (!pgid)
		pgid = pid;
	p = find_task_by_pid(pid);
	if (!p)
		return -ESRCH;
	if (p != current && !task_is_child_of(p, current)) {
		err = -ESRCH;
		goto out;
	}
	if (p != current && p->sig.did_exec) {
		err = -EACCES;
		goto out;
	}
	if (p->sig.session == p->pid ||
	    p->sig.session != current->sig.session) {
		err = -EPERM;
		goto out;
	}
	if (pgid != pid &&
	    kill_matching(0, NULL, pgrp_in_session_match, pgid) == -ESRCH) {
		err = -EPERM;
		goto out;
	}
	WRITE_ONCE(p->sig.pgrp, pgid);
out:
	put_task(p);
	return err;
}

static long pid_attr(int pid, bool session)
{
	struct task *p;
	long ret;

	if (!pid)
		return session ? current->sig.session : current->sig.pgrp;
	if (pid < 0)
		return -ESRCH;
	p = find_task_by_pid(pid);
	if (!p)
		return -ESRCH;
	ret = (p->flags & PF_IDLE) ? -ESRCH :
	      session		   ? READ_ONCE(p->sig.session) :
				     READ_ONCE(p->sig.pgrp);
	put_task(p);
	return ret;
}

SYSCALL_DEFINE1(getpgid, int, pid)
{
	return pid_attr(pid, false);
}

SYSCALL_DEFINE0(getpgrp)
{
	return current->sig.pgrp;
}

SYSCALL_DEFINE1(getsid, int, pid)
{
	return pid_attr(pid, true);
}

SYSCALL_DEFINE0(setsid)
{
	int pid = current->pid;

	/* a process group leader (or a group named as its pid) may not */
	if (kill_matching(0, NULL, pgrp_leader_match, pid) != -ESRCH)
		return -EPERM;
	WRITE_ONCE(current->sig.session, pid);
	WRITE_ONCE(current->sig.pgrp, pid);
	return pid;
}

/* ---- alarm, ITIMER_REAL ---- */

#define ITIMER_REAL    0
#define ITIMER_VIRTUAL 1
#define ITIMER_PROF    2

struct kernel_itimerval {
	struct {
		long tv_sec, tv_usec;
	} it_interval, it_value;
};

static void alarm_fire(struct timer_list *t)
{
	struct task *p = container_of(t, struct task, sig.alarm);
	kernel_siginfo_t info;

	user_info(&info, SIGALRM, SI_KERNEL);
	send_signal_info(SIGALRM, &info, p, false);
	if (p->sig.alarm_interval)
		mod_timer(t, READ_ONCE(jiffies) + p->sig.alarm_interval);
}

/* Stop current's real timer; the jiffies it had left (0: none). */
static u64 alarm_stop(void)
{
	struct timer_list *t = &current->sig.alarm;
	u64 now = READ_ONCE(jiffies);

	if (!t->function)
		timer_setup(t, alarm_fire);
	current->sig.alarm_interval = 0;
	if (!del_timer_sync(t))
		return 0;
	return t->expires > now ? t->expires - now : 1;
}

SYSCALL_DEFINE1(alarm, unsigned int, seconds)
{
	u64 left = alarm_stop();

	if (seconds)
		mod_timer(&current->sig.alarm,
			  READ_ONCE(jiffies) + (u64)seconds * HZ);
	/* Linux: rounded to the nearest second, a pending one at least 1 */
	return left ? max((left + HZ / 2) / HZ, 1ULL) : 0;
}

static u64 tv_to_jiffies(long sec, long usec)
{
	u64 us = (u64)sec * 1000000 + usec;

	return (us * HZ + 999999) / 1000000;
}

static void jiffies_to_tv(u64 j, long *sec, long *usec)
{
	*sec = j / HZ;
	*usec = (j % HZ) * (1000000 / HZ);
}

static int itimer_get(struct kernel_itimerval *v)
{
	struct timer_list *t = &current->sig.alarm;
	u64 now = READ_ONCE(jiffies), left = 0;

	memset(v, 0, sizeof(*v));
	if (t->function && timer_pending(t))
		left = t->expires > now ? t->expires - now : 1;
	jiffies_to_tv(left, &v->it_value.tv_sec, &v->it_value.tv_usec);
	jiffies_to_tv(current->sig.alarm_interval, &v->it_interval.tv_sec,
		      &v->it_interval.tv_usec);
	return 0;
}

SYSCALL_DEFINE2(getitimer, int, which, struct kernel_itimerval __user *, value)
{
	struct kernel_itimerval v;

	if (which != ITIMER_REAL)
		return which == ITIMER_VIRTUAL || which == ITIMER_PROF ?
			       -ENOSYS : /* TODO: CPU-time timers */
			       -EINVAL;
	itimer_get(&v);
	if (copy_to_user(value, &v, sizeof(v)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE3(setitimer, int, which, const struct kernel_itimerval __user *,
		value, struct kernel_itimerval __user *, ovalue)
{
	struct kernel_itimerval v, old;
	u64 j;

	if (which != ITIMER_REAL)
		return which == ITIMER_VIRTUAL || which == ITIMER_PROF ?
			       -ENOSYS :
			       -EINVAL;
	if (value && copy_from_user(&v, value, sizeof(v)))
		return -EFAULT;
	if (value &&
	    (v.it_value.tv_sec < 0 || v.it_value.tv_usec < 0 ||
	     v.it_value.tv_usec >= 1000000 || v.it_interval.tv_sec < 0 ||
	     v.it_interval.tv_usec < 0 || v.it_interval.tv_usec >= 1000000))
		return -EINVAL;
	itimer_get(&old);
	if (value) {
		alarm_stop();
		j = tv_to_jiffies(v.it_value.tv_sec, v.it_value.tv_usec);
		if (j) {
			current->sig.alarm_interval = tv_to_jiffies(
				v.it_interval.tv_sec, v.it_interval.tv_usec);
			mod_timer(&current->sig.alarm, READ_ONCE(jiffies) + j);
		}
	}
	if (ovalue && copy_to_user(ovalue, &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/* ---- restart_syscall ---- */

SYSCALL_DEFINE0(restart_syscall)
{
	struct restart_block *rb = &current->sig.restart_block;

	if (!rb->fn)
		return -EINTR;
	return rb->fn(rb);
}
