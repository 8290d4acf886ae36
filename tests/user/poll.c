// SPDX-License-Identifier: MIT
/*
 * poll.c - poll, ppoll, select and pselect6 (fs/select.c) on pipes:
 * readiness, wake-ups from another process, timeouts (never shorter
 * than asked), the time left written back, POLLHUP/POLLERR when the
 * other end closes, POLLNVAL and EBADF for bad fds, and the EINVAL and
 * EFAULT paths.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "ktap.h"

#define KERNEL_PTR ((void *)0xffffffff80100000UL)
#define UNMAPPED   ((void *)0x1000)
#define MANY	   200

#define CASES 43

static void ktap_skip(const char *name, const char *why)
{
	ktap_line("    ok %d %s # SKIP %s", ++ktap_case, name, why);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A child that sleeps ms, then writes one byte to fd and exits. */
static pid_t write_later(int fd, long ms)
{
	pid_t pid = fork();

	if (pid == 0) {
		sleep_ms(ms);
		_exit(write(fd, "x", 1) == 1 ? 0 : 1);
	}
	return pid;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A child that sends sig to its parent after ms milliseconds. */
static pid_t signal_later(int sig, long ms)
{
	pid_t parent = getpid(), pid = fork();

	if (pid == 0) {
		sleep_ms(ms);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

/*
 * A signal with a handler ends the wait with EINTR, SA_RESTART or not
 * (Linux restarts none of these after a handler); ppoll's mask holds a
 * pending signal off only while it waits.
 */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_usr1, .sa_flags = SA_RESTART };
	struct pollfd pf;
	sigset_t block, none;
	fd_set rd;
	int p[2], status;
	pid_t pid;

	if (sigaction(SIGUSR1, &sa, NULL)) {
		ktap_skip("poll_eintr", "no signal delivery");
		ktap_skip("select_eintr_despite_sa_restart",
			  "no signal delivery");
		ktap_skip("ppoll_mask_lets_pending_signal_in",
			  "no signal delivery");
		return;
	}
	pipe(p);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pid = signal_later(SIGUSR1, 100);
	ktap_errno(poll(&pf, 1, -1), EINTR, "poll_eintr");
	waitpid(pid, &status, 0);

	pid = signal_later(SIGUSR1, 100);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ktap_errno(select(p[0] + 1, &rd, NULL, NULL, NULL), EINTR,
		   "select_eintr_despite_sa_restart");
	waitpid(pid, &status, 0);

	/* pending while blocked; ppoll's empty mask lets it in at once */
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, NULL);
	kill(getpid(), SIGUSR1);
	sigemptyset(&none);
	ktap_errno(ppoll(&pf, 1, NULL, &none), EINTR,
		   "ppoll_mask_lets_pending_signal_in");
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

static void poll_pipes(void)
{
	struct pollfd pf[2];
	int p[2], status;
	double t0;
	char c;
	pid_t pid;
	int r;

	pipe(p);
	pf[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
	pf[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	ktap_check(poll(pf, 2, 0) == 1 && pf[0].revents == 0 &&
			   pf[1].revents == POLLOUT,
		   "poll_empty_pipe_writable_not_readable");
	t0 = now_s();
	r = poll(pf, 1, 100);
	ktap_check(r == 0 && now_s() - t0 >= 0.1,
		   "poll_timeout_at_least_asked");
	write(p[1], "x", 1);
	ktap_check(poll(pf, 1, 0) == 1 && pf[0].revents == POLLIN,
		   "poll_readable_after_write");
	read(p[0], &c, 1);

	pid = write_later(p[1], 100);
	t0 = now_s();
	r = poll(pf, 1, -1);
	ktap_check(r == 1 && pf[0].revents == POLLIN && now_s() - t0 > 0.05,
		   "poll_sleeps_until_child_writes");
	waitpid(pid, &status, 0);
	read(p[0], &c, 1);

	/* the writer closes while the reader waits: POLLHUP wakes it */
	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		_exit(0);
	}
	close(p[1]);
	pf[0].events = POLLIN;
	r = poll(pf, 1, 5000);
	waitpid(pid, &status, 0);
	ktap_check(r == 1 && pf[0].revents == POLLHUP,
		   "pollhup_after_writer_closes");
	close(p[0]);

	pipe(p);
	close(p[0]);
	pf[0] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
	ktap_check(poll(pf, 1, 0) == 1 && (pf[0].revents & POLLERR),
		   "pollerr_after_reader_closes");
	close(p[1]);
}

static void poll_special(void)
{
	struct pollfd pf[3] = {
		{ .fd = 999, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
		{ .fd = open("/dev/null", O_RDWR), .events = POLLIN | POLLOUT },
	};
	int r = poll(pf, 3, 1000);

	ktap_check(r == 2 && pf[0].revents == POLLNVAL && pf[1].revents == 0,
		   "pollnval_bad_fd_negative_ignored");
	ktap_check(pf[2].revents == (POLLIN | POLLOUT),
		   "poll_dev_null_always_ready");
	close(pf[2].fd);
	ktap_errno(poll(pf, 100000, 0), EINVAL, "poll_too_many_fds_einval");
	ktap_errno(poll(NULL, 1, 0), EFAULT, "poll_null_efault");
	ktap_errno(poll(KERNEL_PTR, 1, 0), EFAULT,
		   "poll_kernel_pointer_efault");
	ktap_check(poll(NULL, 0, 10) == 0, "poll_no_fds_sleeps");
}

/* More fds than one page of wait entries; only the last gets data. */
static void poll_many(void)
{
	static struct pollfd pf[MANY];
	static int p[MANY][2];
	int status, r, ok = 1;
	pid_t pid;

	for (int i = 0; i < MANY; i++) {
		if (pipe(p[i]))
			ok = 0;
		pf[i] = (struct pollfd){ .fd = p[i][0], .events = POLLIN };
	}
	pid = write_later(p[MANY - 1][1], 50);
	r = poll(pf, MANY, 5000);
	waitpid(pid, &status, 0);
	ktap_check(ok && r == 1 && pf[MANY - 1].revents == POLLIN &&
			   pf[0].revents == 0,
		   "poll_200_pipes_wakes_on_last");
	for (int i = 0; i < MANY; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
}

static void selects(void)
{
	struct timeval tv;
	fd_set rd, wr;
	int p[2], r, status;
	double t0;
	pid_t pid;

	pipe(p);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 0, 100000 };
	t0 = now_s();
	/* raw calls: musl's select and ppoll hide the time left */
	r = syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv);
	ktap_check(r == 0 && now_s() - t0 >= 0.1 && !FD_ISSET(p[0], &rd),
		   "select_timeout_at_least_asked");
	ktap_check(tv.tv_sec == 0 && tv.tv_usec == 0,
		   "select_timeout_left_zero");

	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	ktap_check(select(p[1] + 1, &rd, &wr, NULL, NULL) == 1 &&
			   !FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr),
		   "select_write_end_writable");

	pid = write_later(p[1], 100);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	tv = (struct timeval){ 5, 0 };
	r = syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv);
	waitpid(pid, &status, 0);
	ktap_check(r == 1 && FD_ISSET(p[0], &rd), "select_wakes_on_write");
	ktap_check(tv.tv_sec == 4 && tv.tv_usec > 0,
		   "select_writes_back_time_left");

	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	FD_SET(60, &rd);
	ktap_errno(select(61, &rd, NULL, NULL, NULL), EBADF,
		   "select_closed_fd_ebadf");
	ktap_errno(select(-1, NULL, NULL, NULL, NULL), EINVAL,
		   "select_negative_n_einval");
	tv = (struct timeval){ 0, -1 };
	ktap_errno(syscall(SYS_select, 1, NULL, NULL, NULL, &tv), EINVAL,
		   "select_negative_usec_einval");
	ktap_errno(select(p[0] + 1, UNMAPPED, NULL, NULL, NULL), EFAULT,
		   "select_bad_set_efault");
	ktap_errno(syscall(SYS_select, 1, NULL, NULL, NULL, KERNEL_PTR), EFAULT,
		   "select_kernel_timeval_efault");
	tv = (struct timeval){ 0, 1500000 }; /* 1.5 s, folded */
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	ktap_check(syscall(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv) == 1 &&
			   tv.tv_sec == 1,
		   "select_usec_over_a_second_folds");
	close(p[1]);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	read(p[0], &r, 1);
	ktap_check(select(p[0] + 1, &rd, NULL, NULL, NULL) == 1 &&
			   FD_ISSET(p[0], &rd),
		   "select_readable_at_eof");
	close(p[0]);
}

static void ppolls(void)
{
	struct pollfd pf;
	struct timespec ts;
	sigset_t mask;
	int p[2], r;
	double t0;

	pipe(p);
	pf = (struct pollfd){ .fd = p[0], .events = POLLIN };
	ts = (struct timespec){ 0, 100 * 1000 * 1000 };
	t0 = now_s();
	r = syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8);
	ktap_check(r == 0 && now_s() - t0 >= 0.1,
		   "ppoll_timeout_at_least_asked");
	ktap_check(ts.tv_sec == 0 && ts.tv_nsec == 0, "ppoll_time_left_zero");
	write(p[1], "x", 1);
	ts = (struct timespec){ 3, 0 };
	ktap_check(syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8) == 1 &&
			   pf.revents == POLLIN && ts.tv_sec == 2,
		   "ppoll_ready_writes_back_time_left");
	ktap_check(ppoll(&pf, 1, NULL, NULL) == 1, "ppoll_no_timeout");
	ts = (struct timespec){ 0, 1000000000 };
	ktap_errno(syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8), EINVAL,
		   "ppoll_bad_nsec_einval");
	ts = (struct timespec){ -1, 0 };
	ktap_errno(syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8), EINVAL,
		   "ppoll_negative_einval");
	ktap_errno(syscall(SYS_ppoll, &pf, 1, UNMAPPED, NULL, 8), EFAULT,
		   "ppoll_bad_timespec_efault");
	sigemptyset(&mask);
	ktap_errno(syscall(SYS_ppoll, &pf, 1, NULL, &mask, 4), EINVAL,
		   "ppoll_bad_sigsetsize_einval");
	r = syscall(SYS_ppoll, &pf, 1, NULL, &mask, 8);
	if (r == -1 && errno == ENOSYS)
		ktap_skip("ppoll_with_sigmask", "no signal masks yet");
	else
		ktap_check(r == 1, "ppoll_with_sigmask");
	close(p[0]);
	close(p[1]);
}

struct argpack {
	const sigset_t *p;
	size_t size;
};

static void pselects(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	struct argpack pack = { NULL, 8 };
	sigset_t mask;
	fd_set rd;
	int p[2], r;
	double t0;

	pipe(p);
	FD_ZERO(&rd);
	FD_SET(p[0], &rd);
	t0 = now_s();
	r = syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, &pack);
	ktap_check(r == 0 && now_s() - t0 >= 0.1 && ts.tv_nsec == 0,
		   "pselect6_timeout_at_least_asked");
	write(p[1], "x", 1);
	FD_SET(p[0], &rd);
	ktap_check(syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, NULL,
			   NULL) == 1 &&
			   FD_ISSET(p[0], &rd),
		   "pselect6_readable");
	sigemptyset(&mask);
	pack = (struct argpack){ &mask, 4 };
	ktap_errno(syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, NULL,
			   &pack),
		   EINVAL, "pselect6_bad_sigsetsize_einval");
	ktap_errno(syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, NULL,
			   UNMAPPED),
		   EFAULT, "pselect6_bad_argpack_efault");
	pack = (struct argpack){ &mask, 8 };
	FD_SET(p[0], &rd);
	r = syscall(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, NULL, &pack);
	if (r == -1 && errno == ENOSYS)
		ktap_skip("pselect6_with_sigmask", "no signal masks yet");
	else
		ktap_check(r == 1, "pselect6_with_sigmask");
	close(p[0]);
	close(p[1]);
}

/* A full pipe's writer, in select, is woken when a reader drains it. */
static void select_full_pipe(void)
{
	char buf[4096] = { 0 };
	int p[2], status, r;
	fd_set wr;
	pid_t pid;

	pipe2(p, O_NONBLOCK);
	while (write(p[1], buf, sizeof(buf)) > 0)
		;
	pid = fork();
	if (pid == 0) {
		sleep_ms(50);
		_exit(read(p[0], buf, sizeof(buf)) == sizeof(buf) ? 0 : 1);
	}
	FD_ZERO(&wr);
	FD_SET(p[1], &wr);
	r = select(p[1] + 1, NULL, &wr, NULL, NULL);
	waitpid(pid, &status, 0);
	ktap_check(r == 1 && FD_ISSET(p[1], &wr) && status == 0,
		   "select_full_pipe_wakes_when_drained");
	close(p[0]);
	close(p[1]);
}

int main(void)
{
	ktap_begin("poll", CASES);
	poll_pipes();
	poll_special();
	poll_many();
	selects();
	ppolls();
	pselects();
	select_full_pipe();
	interrupted();
	return ktap_end();
}
