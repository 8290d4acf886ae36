// SPDX-License-Identifier: MIT
/*
 * tty.c - the console tty from user space (drivers/tty/): isatty, the
 * termios round trip and its kernel ABI (TCGETS writes 36 bytes), the
 * window size, flushing, FIONREAD, job control (setsid + TIOCSCTTY,
 * TIOCGPGRP/TIOCSPGRP/TIOCGSID, /dev/tty, TIOCNOTTY), O_NONBLOCK and
 * poll on an idle console, a read interrupted by a signal, and the
 * error paths (EFAULT, EINVAL, ENOTTY, EPERM, ENXIO).
 *
 * The user tier runs this with the console as fds 0-2 and nobody
 * typing: reads find no input.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>

#include "ktap.h"

#define KERNEL_PTR ((void *)0xffffffff80100000UL)
#define UNMAPPED   ((void *)0x1000)
#define CASES	   33

/* the raw ioctl, as the kernel sees it (no libc translation) */
static long raw_ioctl(int fd, unsigned long cmd, void *arg)
{
	return syscall(SYS_ioctl, fd, cmd, arg);
}

static void isatty_cases(void)
{
	int null = open("/dev/null", O_RDWR);

	ktap_check(isatty(0) && isatty(1), "isatty_console");
	errno = 0;
	ktap_check(null >= 0 && !isatty(null) && errno == ENOTTY,
		   "isatty_dev_null_enotty");
	close(null);
}

static void termios_cases(void)
{
	struct termios t, saved, back;
	unsigned char raw[64];

	ktap_check(tcgetattr(0, &saved) == 0, "tcgetattr");
	ktap_check((saved.c_lflag & (ICANON | ECHO | ISIG)) ==
			   (ICANON | ECHO | ISIG) &&
		   (saved.c_oflag & (OPOST | ONLCR)) == (OPOST | ONLCR) &&
		   (saved.c_iflag & ICRNL),
		   "defaults_canonical_echo_isig_onlcr_icrnl");
	ktap_check(saved.c_cc[VINTR] == 3 && saved.c_cc[VEOF] == 4 &&
			   saved.c_cc[VERASE] == 0177 &&
			   saved.c_cc[VKILL] == 025 && saved.c_cc[VMIN] == 1,
		   "defaults_control_chars");
	t = saved;
	cfmakeraw(&t);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 3;
	ktap_check(tcsetattr(0, TCSANOW, &t) == 0, "tcsetattr_raw");
	memset(&back, 0, sizeof(back));
	tcgetattr(0, &back);
	ktap_check(back.c_lflag == t.c_lflag && back.c_iflag == t.c_iflag &&
			   back.c_oflag == t.c_oflag &&
			   back.c_cc[VTIME] == 3 && back.c_cc[VMIN] == 0,
		   "termios_round_trip");
	ktap_check(tcsetattr(0, TCSAFLUSH, &saved) == 0 &&
			   tcgetattr(0, &back) == 0 &&
			   back.c_lflag == saved.c_lflag,
		   "tcsetattr_flush_restores");
	/* the kernel ABI: struct termios of 36 bytes, no speeds */
	memset(raw, 0xaa, sizeof(raw));
	ktap_check(raw_ioctl(0, TCGETS, raw) == 0 && raw[35] != 0xaa &&
			   raw[36] == 0xaa && raw[63] == 0xaa,
		   "tcgets_writes_36_bytes");
	ktap_errno(raw_ioctl(0, TCGETS, UNMAPPED), EFAULT,
		   "tcgets_bad_pointer_efault");
	ktap_errno(raw_ioctl(0, TCGETS, KERNEL_PTR), EFAULT,
		   "tcgets_kernel_pointer_efault");
	ktap_errno(raw_ioctl(0, TCSETS, KERNEL_PTR), EFAULT,
		   "tcsets_kernel_pointer_efault");
}

static void winsize_cases(void)
{
	struct winsize ws, big = { .ws_row = 50, .ws_col = 132 }, back;

	ktap_check(ioctl(0, TIOCGWINSZ, &ws) == 0 && ws.ws_row == 24 &&
			   ws.ws_col == 80,
		   "tiocgwinsz_80x24");
	ktap_check(ioctl(0, TIOCSWINSZ, &big) == 0 &&
			   ioctl(0, TIOCGWINSZ, &back) == 0 &&
			   back.ws_row == 50 && back.ws_col == 132,
		   "tiocswinsz_round_trip");
	ioctl(0, TIOCSWINSZ, &ws);
	ktap_errno(raw_ioctl(0, TIOCGWINSZ, KERNEL_PTR), EFAULT,
		   "tiocgwinsz_kernel_pointer_efault");
}

static void misc_ioctl_cases(void)
{
	int null = open("/dev/null", O_RDWR), n = -1;
	struct termios t;

	ktap_check(ioctl(0, FIONREAD, &n) == 0 && n == 0, "fionread_empty");
	ktap_check(tcflush(0, TCIFLUSH) == 0, "tcflush");
	ktap_errno(ioctl(0, TCFLSH, 7), EINVAL, "tcflsh_bad_arg_einval");
	ktap_check(ioctl(0, TCXONC, TCOON) == 0, "tcxonc_accepted");
	ktap_errno(ioctl(0, TCXONC, 9), EINVAL, "tcxonc_bad_arg_einval");
	ktap_errno(raw_ioctl(0, 0x54ff, NULL), ENOTTY,
		   "unknown_tty_ioctl_enotty");
	ktap_errno(tcgetattr(null, &t), ENOTTY, "tcgetattr_dev_null_enotty");
	ktap_errno(ioctl(null, TIOCGWINSZ, &t), ENOTTY,
		   "tiocgwinsz_dev_null_enotty");
	close(null);
}

static volatile sig_atomic_t hups;

static void on_hup(int sig)
{
	(void)sig;
	hups++;
}

/*
 * In a child: a new session takes the console as controlling tty, then
 * gives it up; as in Linux, the leader's TIOCNOTTY sends SIGHUP to the
 * foreground group, here the leader's own.
 */
static int session_child(void)
{
	int bad = 0, sid, fd;
	pid_t me = getpid();

	signal(SIGHUP, on_hup);
	if (setsid() != me)
		return 1;
	if (tcgetpgrp(0) != -1 || errno != ENOTTY)
		bad |= 2; /* not yet our tty */
	if (ioctl(0, TIOCSCTTY, 0) != 0)
		return bad | 4;
	if (tcgetpgrp(0) != me)
		bad |= 8;
	if (ioctl(0, TIOCGSID, &sid) != 0 || sid != me)
		bad |= 16;
	if (tcsetpgrp(0, -5) != -1 || errno != EINVAL)
		bad |= 32;
	fd = open("/dev/tty", O_RDWR);
	if (fd < 0)
		bad |= 64;
	close(fd);
	if (ioctl(0, TIOCNOTTY) != 0 || hups != 1)
		bad |= 128;
	if (tcgetpgrp(0) != -1 || errno != ENOTTY)
		bad |= 256;
	if (open("/dev/tty", O_RDWR) != -1 || errno != ENXIO)
		bad |= 512;
	return bad;
}

/* A leader takes the console and exits without giving it up. */
static int leader_exits_child(void)
{
	setsid();
	return ioctl(0, TIOCSCTTY, 0) == 0 ? 0 : 1;
}

/*
 * The next session's leader opens /dev/ttyS0 (not O_NOCTTY): the dead
 * session's claim is gone, so the open makes the tty its own.
 */
static int next_leader_child(void)
{
	int fd;

	setsid();
	fd = open("/dev/ttyS0", O_RDWR);
	if (fd < 0)
		return 1;
	return tcgetpgrp(fd) == getpid() ? 0 : 2;
}

static int run_child(int (*fn)(void))
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0)
		_exit(fn());
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 0x100 | status;
}

static void job_control_cases(void)
{
	int status = -1;
	pid_t pid;

	ktap_errno(tcgetpgrp(0), ENOTTY, "tiocgpgrp_not_ctty_enotty");
	ktap_errno(ioctl(0, TIOCSCTTY, 0), EPERM,
		   "tiocsctty_not_leader_eperm");
	pid = fork();
	if (pid == 0)
		_exit(session_child());
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		ktap_line("    # session child: status %#x", status);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "setsid_tiocsctty_pgrp_sid_devtty_notty");
	ktap_check(run_child(leader_exits_child) == 0 &&
			   run_child(next_leader_child) == 0,
		   "leader_exit_frees_tty_next_leader_opens_ttys0");
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* A child that reads the idle console; exits 0 if a signal ends it. */
static pid_t start_reader(void)
{
	struct sigaction sa = { .sa_handler = on_usr1 }; /* no SA_RESTART */
	pid_t pid = fork();

	if (pid == 0) {
		char c;
		ssize_t r;

		sigaction(SIGUSR1, &sa, NULL);
		r = read(0, &c, 1);
		_exit(r == -1 && errno == EINTR ? 0 : 1);
	}
	return pid;
}

/* SIGUSR1 to a reader; its wait status (SIGKILLed if it kept reading). */
static int interrupt_reader(pid_t pid)
{
	struct timespec d = { 0, 200 * 1000 * 1000 };
	int status = -1, tries = 0;

	nanosleep(&d, NULL);
	kill(pid, SIGUSR1);
	while (waitpid(pid, &status, WNOHANG) == 0 && ++tries < 30)
		nanosleep(&d, NULL);
	if (tries == 30) { /* still reading: the signal did not end it */
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	return status;
}

/*
 * A blocking read of the idle console, ended by a signal: EINTR; also
 * for a second reader that waits for the first one's turn to end.
 */
static void read_interrupted_cases(void)
{
	pid_t first, second;
	int status;

	status = interrupt_reader(start_reader());
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "read_interrupted_by_signal_eintr");
	first = start_reader();
	second = start_reader();
	status = interrupt_reader(second);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "waiting_second_reader_interrupted_eintr");
	status = interrupt_reader(first);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "first_reader_interrupted_eintr");
}

static void nonblock_and_poll_cases(void)
{
	int fd = open("/dev/console", O_RDWR | O_NONBLOCK | O_NOCTTY);
	struct pollfd p = { .fd = 0, .events = POLLIN | POLLOUT };
	char c;

	ktap_check(fd >= 0, "open_console_nonblock");
	ktap_errno(read(fd, &c, 1), EAGAIN, "nonblocking_read_eagain");
	close(fd);
	ktap_check(poll(&p, 1, 0) == 1 && p.revents == POLLOUT,
		   "poll_idle_console_pollout_only");
}

int main(void)
{
	ktap_begin("tty", CASES);
	isatty_cases();
	termios_cases();
	winsize_cases();
	misc_ioctl_cases();
	job_control_cases();
	read_interrupted_cases();
	nonblock_and_poll_cases();
	return ktap_end();
}
