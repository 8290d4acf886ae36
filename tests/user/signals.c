// SPDX-License-Identifier: MIT
/*
 * signals.c - signals: handlers with their siginfo and frame, masks,
 * SA_RESTART against EINTR, sigaltstack, SA_RESETHAND, SA_NODEFER,
 * sigsuspend, process groups, stop/continue through wait4, SIGCHLD
 * (sent, ignored: auto-reap), default actions, a SIGSEGV handler that
 * recovers, forged rt_sigreturn frames, and the error paths.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>

#include "ktap.h"

static volatile sig_atomic_t hits, depth, max_depth, last_sig;
static siginfo_t last_info;
static ucontext_t last_uc; /* copied in the handler: its frame goes */
static unsigned short user_cs, user_ss; /* what this process runs with */
static uintptr_t handler_frame, handler_local;

static void on_info(int sig, siginfo_t *si, void *uc)
{
	hits++;
	last_sig = sig;
	last_info = *si;
	memcpy(&last_uc.uc_mcontext, &((ucontext_t *)uc)->uc_mcontext,
	       sizeof(last_uc.uc_mcontext));
	handler_frame = (uintptr_t)__builtin_frame_address(0);
}

static void on_plain(int sig)
{
	volatile char local;

	hits++;
	last_sig = sig;
	handler_local = (uintptr_t)&local;
}

static volatile sig_atomic_t raised;

static void on_nested(int sig)
{
	depth++;
	if (depth > max_depth)
		max_depth = depth;
	if (!raised++)
		raise(sig); /* runs now with SA_NODEFER, after us without */
	depth--;
}

static int set_handler(int sig, void *fn, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	if (flags & SA_SIGINFO)
		sa.sa_sigaction = fn;
	else
		sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

static void reset(void)
{
	hits = depth = max_depth = last_sig = raised = 0;
}

/* The status of a child running fn. */
static int child_status(void (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void handler_and_siginfo(void)
{
	ucontext_t *uc;

	reset();
	set_handler(SIGUSR1, on_info, SA_SIGINFO);
	kill(getpid(), SIGUSR1);
	ktap_check(hits == 1 && last_sig == SIGUSR1, "handler_runs");
	ktap_check(
		last_info.si_signo == SIGUSR1 && last_info.si_code == SI_USER &&
			last_info.si_pid == getpid() && last_info.si_uid == 0,
		"siginfo_from_kill");
	uc = &last_uc;
	/* the kernel's ucontext: registers, a 64-aligned fxsave area */
	ktap_check(uc->uc_mcontext.fpregs &&
			   ((uintptr_t)uc->uc_mcontext.fpregs & 63) == 0 &&
			   uc->uc_mcontext.gregs[REG_RIP] != 0 &&
			   (uc->uc_mcontext.gregs[REG_CSGSFS] & 0xffff) ==
				   user_cs &&
			   (uc->uc_mcontext.gregs[REG_CSGSFS] >> 48) == user_ss,
		   "ucontext_has_registers_and_fpstate");
	/* entered as if called: rsp + 8 16-aligned, so the frame is too */
	ktap_check((handler_frame & 15) == 0, "handler_stack_aligned");
	reset();
	syscall(SYS_tgkill, getpid(), getpid(), SIGUSR1);
	ktap_check(hits == 1 && last_info.si_code == SI_TKILL,
		   "tgkill_si_tkill");
}

static void mask_blocks_until_unblocked(void)
{
	sigset_t set, pend;

	reset();
	set_handler(SIGUSR2, on_plain, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2); /* a standard signal is pending once */
	sigpending(&pend);
	ktap_check(hits == 0 && sigismember(&pend, SIGUSR2),
		   "blocked_signal_stays_pending");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ktap_check(hits == 1, "delivered_once_on_unblock");
}

static void xmm_survives_handler(void)
{
	unsigned long before = 0x1234567890abcdefUL, after = 0;

	/* the handler (and raise's code) may use xmm7; sigreturn restores */
	__asm__ __volatile__("movq %1, %%xmm7\n\t"
			     "movl $62, %%eax\n\t" /* kill */
			     "movl %2, %%edi\n\t"
			     "movl $10, %%esi\n\t" /* SIGUSR1 */
			     "syscall\n\t"
			     "movq %%xmm7, %0"
			     : "=r"(after)
			     : "r"(before), "r"(getpid())
			     : "rax", "rdi", "rsi", "rcx", "r11", "xmm7",
			       "memory");
	ktap_check(after == before, "fpu_state_restored");
}

static void clobber_xmm7(int sig)
{
	(void)sig;
	__asm__ __volatile__("pxor %%xmm7, %%xmm7" ::: "xmm7");
}

static void child_signals_parent(void)
{
	struct timespec ts = { 0, 30 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	kill(getppid(), SIGUSR1);
	nanosleep(&ts, NULL);
	_exit(7);
}

/* wait4 interrupted by a signal: restarted with SA_RESTART, else EINTR. */
static void restart_or_eintr(void)
{
	int status = 0;
	pid_t pid, r;

	reset();
	set_handler(SIGUSR1, on_plain, SA_RESTART);
	pid = fork();
	if (pid == 0)
		child_signals_parent();
	r = waitpid(pid, &status, 0);
	ktap_check(r == pid && hits == 1 && WIFEXITED(status) &&
			   WEXITSTATUS(status) == 7,
		   "sa_restart_restarts_wait4");

	reset();
	set_handler(SIGUSR1, on_plain, 0);
	pid = fork();
	if (pid == 0)
		child_signals_parent();
	errno = 0;
	r = waitpid(pid, &status, 0);
	ktap_check(r == -1 && errno == EINTR && hits == 1,
		   "no_sa_restart_wait4_eintr");
	waitpid(pid, &status, 0);
}

static void nanosleep_interrupted(void)
{
	struct timespec req = { 5, 0 }, rem = { 0, 0 };
	int status;
	pid_t pid;

	reset();
	set_handler(SIGUSR1, on_plain, SA_RESTART); /* nanosleep: never */
	pid = fork();
	if (pid == 0)
		child_signals_parent();
	errno = 0;
	ktap_check(nanosleep(&req, &rem) == -1 && errno == EINTR && hits == 1 &&
			   rem.tv_sec >= 3 && rem.tv_sec < 5,
		   "nanosleep_eintr_with_rem");
	waitpid(pid, &status, 0);
}

static void altstack(void)
{
	static char stack[16384];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) }, old;

	reset();
	ktap_check(sigaltstack(&ss, NULL) == 0, "sigaltstack_set");
	set_handler(SIGUSR1, on_plain, SA_ONSTACK);
	raise(SIGUSR1);
	ktap_check(hits == 1 && handler_local >= (uintptr_t)stack &&
			   handler_local < (uintptr_t)stack + sizeof(stack),
		   "handler_runs_on_altstack");
	ktap_check(sigaltstack(NULL, &old) == 0 && old.ss_sp == stack &&
			   old.ss_size == sizeof(stack) && old.ss_flags == 0,
		   "sigaltstack_query");
	ss.ss_size = 100;
	ktap_errno(sigaltstack(&ss, NULL), ENOMEM, "sigaltstack_too_small");
	ss.ss_size = sizeof(stack);
	ss.ss_flags = 0x100;
	ktap_errno(sigaltstack(&ss, NULL), EINVAL, "sigaltstack_bad_flags");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
	sigaltstack(NULL, &old);
	ktap_check(old.ss_flags == SS_DISABLE, "sigaltstack_disable");
}

static void resethand_nodefer(void)
{
	struct sigaction sa;

	reset();
	set_handler(SIGUSR2, on_plain, SA_RESETHAND);
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &sa);
	ktap_check(hits == 1 && sa.sa_handler == SIG_DFL,
		   "sa_resethand_back_to_default");

	reset();
	set_handler(SIGUSR2, on_nested, SA_NODEFER);
	raise(SIGUSR2);
	ktap_check(max_depth == 2, "sa_nodefer_nests");
	reset();
	set_handler(SIGUSR2, on_nested, 0);
	raise(SIGUSR2);
	ktap_check(max_depth == 1 && raised == 2, "without_nodefer_deferred");
}

static void suspend(void)
{
	sigset_t block, empty, now;
	int status, r;
	pid_t pid;

	reset();
	set_handler(SIGUSR1, on_plain, 0);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	pid = fork();
	if (pid == 0)
		child_signals_parent();
	sigemptyset(&empty);
	errno = 0;
	r = sigsuspend(&empty);
	sigprocmask(SIG_BLOCK, NULL, &now);
	ktap_check(r == -1 && errno == EINTR && hits == 1,
		   "sigsuspend_returns_after_handler");
	ktap_check(sigismember(&now, SIGUSR1), "sigsuspend_restores_mask");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	waitpid(pid, &status, 0);
}

static void pause_forever(void)
{
	for (;;)
		pause();
}

static void process_group(void)
{
	int s1 = 0, s2 = 0;
	pid_t a, b;

	a = fork();
	if (a == 0) {
		setpgid(0, 0);
		pause_forever();
	}
	setpgid(a, a); /* both sides, as shells do: no race */
	b = fork();
	if (b == 0) {
		setpgid(0, a);
		pause_forever();
	}
	setpgid(b, a);
	ktap_check(getpgid(a) == a && getpgid(b) == a && getpgrp() != a,
		   "setpgid_joins_group");
	ktap_check(getsid(a) == getsid(0), "child_in_parent_session");
	ktap_check(kill(-a, SIGTERM) == 0, "kill_process_group");
	waitpid(a, &s1, 0);
	waitpid(b, &s2, 0);
	ktap_check(WIFSIGNALED(s1) && WTERMSIG(s1) == SIGTERM &&
			   WIFSIGNALED(s2) && WTERMSIG(s2) == SIGTERM,
		   "whole_group_terminated");
	ktap_errno(kill(-a, 0), ESRCH, "kill_empty_group_esrch");
}

static void stop_continue(void)
{
	int status = 0;
	pid_t pid = fork(), r;

	if (pid == 0)
		pause_forever();
	kill(pid, SIGSTOP);
	r = waitpid(pid, &status, WUNTRACED);
	ktap_check(r == pid && WIFSTOPPED(status) &&
			   WSTOPSIG(status) == SIGSTOP,
		   "wait_wuntraced_sees_stop");
	kill(pid, SIGCONT);
	r = waitpid(pid, &status, WCONTINUED);
	ktap_check(r == pid && WIFCONTINUED(status),
		   "wait_wcontinued_sees_cont");
	ktap_check(waitpid(pid, &status, WNOHANG | WUNTRACED | WCONTINUED) == 0,
		   "reported_once");
	kill(pid, SIGTSTP);
	r = waitpid(pid, &status, WUNTRACED);
	ktap_check(r == pid && WIFSTOPPED(status) &&
			   WSTOPSIG(status) == SIGTSTP,
		   "sigtstp_stops");
	kill(pid, SIGKILL); /* a stopped process dies of SIGKILL */
	r = waitpid(pid, &status, 0);
	ktap_check(r == pid && WIFSIGNALED(status) &&
			   WTERMSIG(status) == SIGKILL,
		   "sigkill_ends_stopped");
}

static long elapsed_ms(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 +
	       (b.tv_nsec - a->tv_nsec) / 1000000;
}

/*
 * A stop and continue run no handler: the child's nanosleep goes on
 * (restart_syscall) to its full length. The parent's SIGCHLD handler
 * sees CLD_STOPPED and CLD_CONTINUED.
 */
static void stop_restarts_sleep(void)
{
	struct timespec wait = { 0, 50 * 1000 * 1000 }, t0;
	int status = 0, stopped_code, stopped_status;
	pid_t pid;

	reset();
	set_handler(SIGCHLD, on_info, SA_SIGINFO | SA_RESTART);
	pid = fork();
	if (pid == 0) {
		struct timespec req = { 0, 300 * 1000 * 1000 };
		long r;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = nanosleep(&req, NULL);
		_exit(r == 0 && elapsed_ms(&t0) >= 300 ? 0 : 1);
	}
	nanosleep(&wait, NULL);
	kill(pid, SIGSTOP);
	waitpid(pid, &status, WUNTRACED);
	stopped_code = last_info.si_code;
	stopped_status = last_info.si_status;
	ktap_check(WIFSTOPPED(status) && stopped_code == CLD_STOPPED &&
			   stopped_status == SIGSTOP && last_info.si_pid == pid,
		   "sigchld_cld_stopped");
	kill(pid, SIGCONT);
	waitpid(pid, &status, 0);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "stopped_sleep_restarts_to_full_length");
	ktap_check(hits >= 3, "sigchld_stop_continue_exit");
	signal(SIGCHLD, SIG_DFL);
}

static void autodisarm(void)
{
	static char stack[16384];
	stack_t ss = { .ss_sp = stack,
		       .ss_size = sizeof(stack),
		       .ss_flags = SS_AUTODISARM },
		inside;

	reset();
	sigaltstack(&ss, NULL);
	set_handler(SIGUSR1, on_plain, SA_ONSTACK);
	raise(SIGUSR1);
	sigaltstack(NULL, &inside);
	ktap_check(hits == 1 && handler_local >= (uintptr_t)stack &&
			   handler_local < (uintptr_t)stack + sizeof(stack) &&
			   inside.ss_sp == stack,
		   "ss_autodisarm_altstack_back_after_return");
	ss.ss_flags = SS_DISABLE;
	sigaltstack(&ss, NULL);
}

static void sigchld(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int status;
	pid_t pid;

	reset();
	set_handler(SIGCHLD, on_info, SA_SIGINFO);
	pid = fork();
	if (pid == 0)
		_exit(5);
	waitpid(pid, &status, 0);
	ktap_check(hits == 1 && last_info.si_signo == SIGCHLD &&
			   last_info.si_code == CLD_EXITED &&
			   last_info.si_pid == pid && last_info.si_status == 5,
		   "sigchld_at_exit");

	signal(SIGCHLD, SIG_IGN);
	pid = fork();
	if (pid == 0)
		_exit(0);
	nanosleep(&ts, NULL);
	errno = 0;
	ktap_check(waitpid(pid, &status, 0) == -1 && errno == ECHILD,
		   "sigchld_ignored_autoreaps");
	signal(SIGCHLD, SIG_DFL);
}

static void die_term(void)
{
	raise(SIGTERM);
}

static void die_quit(void)
{
	raise(SIGQUIT);
}

static void blocked_kill(void)
{
	sigset_t all;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	signal(SIGTERM, SIG_IGN);
	raise(SIGKILL);
	_exit(0);
}

static void ignored_term(void)
{
	signal(SIGTERM, SIG_IGN);
	raise(SIGTERM);
	_exit(3);
}

static void default_actions(void)
{
	int s = child_status(die_term);

	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGTERM && !WCOREDUMP(s),
		   "default_terminate_wtermsig");
	s = child_status(die_quit);
	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGQUIT && WCOREDUMP(s),
		   "default_core_bit");
	s = child_status(blocked_kill);
	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL,
		   "sigkill_not_blockable");
	s = child_status(ignored_term);
	ktap_check(WIFEXITED(s) && WEXITSTATUS(s) == 3, "sig_ign_ignores");
}

static sigjmp_buf segv_jmp;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	last_sig = sig;
	last_info = *si;
	siglongjmp(segv_jmp, 1);
}

static void segv_handler(void)
{
	static volatile uintptr_t addr = 8;
	volatile int *bad = (volatile int *)addr;
	volatile int recovered = 0;

	set_handler(SIGSEGV, on_segv, SA_SIGINFO);
	if (!sigsetjmp(segv_jmp, 1))
		(void)*bad;
	else
		recovered = 1;
	ktap_check(recovered && last_sig == SIGSEGV &&
			   last_info.si_code == SEGV_MAPERR &&
			   last_info.si_addr == (void *)8,
		   "sigsegv_handler_recovers");
	signal(SIGSEGV, SIG_DFL);
}

/* rt_sigreturn on a frame built by hand (rsp = &frame->uc, after ret). */
static void __attribute__((noreturn)) sigreturn_with(ucontext_t *uc)
{
	__asm__ __volatile__("movq %0, %%rsp\n\t"
			     "movl $15, %%eax\n\t"
			     "syscall\n\t"
			     "ud2"
			     :
			     : "r"(uc)
			     : "memory");
	__builtin_unreachable();
}

static ucontext_t forged;
static char forged_stack[8192] __attribute__((aligned(16)));

static void landing(void)
{
	unsigned long flags;
	unsigned short cs, ss;

	__asm__ __volatile__("pushfq; popq %0; movw %%cs, %1; movw %%ss, %2"
			     : "=r"(flags), "=r"(cs), "=r"(ss));
	/* user selectors, IOPL 0, interrupts on: the kernel's choice */
	_exit(cs == user_cs && ss == user_ss && !(flags & 0x3000) &&
			      (flags & 0x200) ?
		      42 :
		      1);
}

static void forge(unsigned long rip)
{
	memset(&forged, 0, sizeof(forged));
	forged.uc_mcontext.gregs[REG_RIP] = rip;
	forged.uc_mcontext.gregs[REG_RSP] =
		(unsigned long)(forged_stack + sizeof(forged_stack) - 8);
	/* kernel CS/SS, IOPL 3, IF off: all must be refused */
	forged.uc_mcontext.gregs[REG_CSGSFS] = 0x08 | (0x10UL << 48);
	forged.uc_mcontext.gregs[REG_EFL] = 0x3000 | 0x2;
	forged.uc_mcontext.fpregs = NULL;
}

static void forged_user_rip(void)
{
	forge((unsigned long)landing);
	sigreturn_with(&forged);
}

static void forged_kernel_rip(void)
{
	forge(0xffffffff80100000UL);
	sigreturn_with(&forged);
}

static void forged_noncanonical_rip(void)
{
	forge(0x0000800000000000UL);
	sigreturn_with(&forged);
}

static void forged_bad_fpstate(void)
{
	forge((unsigned long)landing);
	forged.uc_mcontext.fpregs = (void *)0xffff888000000000UL;
	sigreturn_with(&forged);
}

/* No usable stack for the frame: the process dies of SIGSEGV. */
static void bad_stack_delivery(void)
{
	set_handler(SIGUSR1, on_plain, 0);
	set_handler(SIGSEGV, on_plain, 0); /* reset: cannot run either */
	__asm__ __volatile__("movq $0x10000, %%rsp\n\t"
			     "movl $62, %%eax\n\t"
			     "movl %0, %%edi\n\t"
			     "movl $10, %%esi\n\t"
			     "syscall\n\t"
			     "ud2"
			     :
			     : "r"(getpid())
			     : "rax", "rdi", "rsi", "rcx", "r11", "memory");
}

static void frames(void)
{
	int s = child_status(forged_user_rip);

	ktap_check(WIFEXITED(s) && WEXITSTATUS(s) == 42,
		   "forged_frame_selectors_and_flags_sanitized");
	s = child_status(forged_kernel_rip);
	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV,
		   "forged_kernel_rip_segv");
	s = child_status(forged_noncanonical_rip);
	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV,
		   "forged_noncanonical_rip_segv");
	s = child_status(forged_bad_fpstate);
	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV,
		   "forged_kernel_fpstate_segv");
	s = child_status(bad_stack_delivery);
	ktap_check(WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV,
		   "bad_stack_delivery_segv");
}

static void alarm_pause(void)
{
	reset();
	set_handler(SIGALRM, on_plain, 0);
	ktap_check(alarm(1) == 0, "alarm_set");
	errno = 0;
	ktap_check(pause() == -1 && errno == EINTR && last_sig == SIGALRM,
		   "alarm_interrupts_pause");
	alarm(5);
	ktap_check(alarm(0) >= 4, "alarm_returns_seconds_left");
}

struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

static void timedwait(void)
{
	struct timespec zero = { 0, 0 }, shortwait = { 0, 30 * 1000 * 1000 };
	struct timespec bad = { 0, 1000 * 1000 * 1000 };
	sigset_t set;
	siginfo_t si;

	reset();
	set_handler(SIGUSR2, on_plain, 0);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	kill(getpid(), SIGUSR2);
	memset(&si, 0, sizeof(si));
	ktap_check(sigtimedwait(&set, &si, &zero) == SIGUSR2 &&
			   si.si_signo == SIGUSR2 && si.si_pid == getpid() &&
			   hits == 0,
		   "sigtimedwait_takes_pending");
	errno = 0;
	ktap_check(sigtimedwait(&set, &si, &shortwait) == -1 && errno == EAGAIN,
		   "sigtimedwait_times_out");
	ktap_errno(sigtimedwait(&set, &si, &bad), EINVAL,
		   "sigtimedwait_bad_timeout");
	ktap_errno(syscall(SYS_rt_sigtimedwait, &set, NULL, &zero, 4), EINVAL,
		   "sigtimedwait_bad_sigsetsize");
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	ktap_check(hits == 0, "sigtimedwait_consumed_it");
}

static void errors(void)
{
	struct ksigaction ka = { .handler = SIG_IGN };
	sigset_t set;
	pid_t pid;
	int status;

	ktap_errno(syscall(SYS_rt_sigaction, SIGKILL, &ka, NULL, 8), EINVAL,
		   "sigaction_sigkill_einval");
	ktap_errno(syscall(SYS_rt_sigaction, SIGSTOP, &ka, NULL, 8), EINVAL,
		   "sigaction_sigstop_einval");
	ktap_check(syscall(SYS_rt_sigaction, SIGKILL, NULL, &ka, 8) == 0,
		   "sigaction_query_sigkill_ok");
	ktap_errno(syscall(SYS_rt_sigaction, 0, &ka, NULL, 8), EINVAL,
		   "sigaction_sig0_einval");
	ktap_errno(syscall(SYS_rt_sigaction, 65, &ka, NULL, 8), EINVAL,
		   "sigaction_sig65_einval");
	ktap_errno(syscall(SYS_rt_sigaction, SIGUSR1, &ka, NULL, 4), EINVAL,
		   "sigaction_bad_sigsetsize");
	ktap_errno(syscall(SYS_rt_sigaction, SIGUSR1, (void *)8, NULL, 8),
		   EFAULT, "sigaction_bad_pointer");
	ktap_errno(syscall(SYS_rt_sigaction, SIGUSR1, NULL,
			   (void *)0xffffffff80000000UL, 8),
		   EFAULT, "sigaction_kernel_pointer");
	ktap_errno(syscall(SYS_rt_sigprocmask, 7, &set, NULL, 8), EINVAL,
		   "sigprocmask_bad_how");
	ktap_errno(syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 16),
		   EINVAL, "sigprocmask_bad_sigsetsize");
	ktap_errno(syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)8, NULL, 8),
		   EFAULT, "sigprocmask_bad_pointer");
	ktap_errno(syscall(SYS_rt_sigsuspend, &set, 4), EINVAL,
		   "sigsuspend_bad_sigsetsize");
	ktap_errno(kill(getpid(), 65), EINVAL, "kill_bad_signal");
	ktap_errno(kill(-1 - 0x7ffffff, SIGTERM), ESRCH, "kill_no_such_group");
	ktap_errno(syscall(SYS_tgkill, 0, getpid(), 0), EINVAL,
		   "tgkill_bad_tgid");
	ktap_errno(syscall(SYS_tgkill, getpid() + 10000, getpid(), 0), ESRCH,
		   "tgkill_wrong_tgid");
	ktap_errno(setpgid(0, -1), EINVAL, "setpgid_negative");
	ktap_errno(getpgid(0x7ffffff), ESRCH, "getpgid_no_such_pid");
	ktap_errno(getsid(0x7ffffff), ESRCH, "getsid_no_such_pid");
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 50 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		_exit(0);
	}
	ktap_check(kill(pid, 0) == 0, "kill_sig0_probes");
	ktap_errno(kill(0x7ffffff, 0), ESRCH, "kill_no_such_pid");
	ktap_check(kill(-1, 0) == 0, "kill_minus_one_probe");
	waitpid(pid, &status, 0);
	pid = fork();
	if (pid == 0) {
		pid_t me = getpid();
		int ok = setsid() == me && getsid(0) == me && getpgrp() == me;

		/* now a group leader: a second setsid is refused */
		_exit(ok && setsid() == -1 && errno == EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "setsid_new_session_then_eperm");
}

int main(void)
{
	__asm__("movw %%cs, %0; movw %%ss, %1" : "=r"(user_cs), "=r"(user_ss));
	ktap_begin("signals", 79);
	handler_and_siginfo();
	mask_blocks_until_unblocked();
	set_handler(SIGUSR1, clobber_xmm7, 0);
	xmm_survives_handler();
	restart_or_eintr();
	nanosleep_interrupted();
	altstack();
	resethand_nodefer();
	suspend();
	process_group();
	stop_continue();
	stop_restarts_sleep();
	sigchld();
	autodisarm();
	default_actions();
	segv_handler();
	frames();
	alarm_pause();
	timedwait();
	errors();
	return ktap_end();
}
