// SPDX-License-Identifier: MIT
/*
 * pipe.c - pipes and FIFOs (fs/pipe.c): data between processes, a
 * large transfer with a checksum, PIPE_BUF atomicity with two writers,
 * EOF, EPIPE and SIGPIPE, O_NONBLOCK, close-on-exec across execve, the
 * pipe fcntls and ioctls, named FIFOs, and the error paths. Run with
 * the argument "fdcheck N" it only reports whether fd N is open (the
 * close-on-exec case execs it).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <time.h>

#include "ktap.h"

#define KERNEL_PTR ((void *)0xffffffff80100000UL)
#define UNMAPPED   ((void *)0x1000)
#define CAP	   65536
#define BIG	   (1024 * 1024)

#define CASES 51

static void ktap_skip(const char *name, const char *why)
{
	ktap_line("    ok %d %s # SKIP %s", ++ktap_case, name, why);
}

/* Does this kernel deliver signals (rt_sigaction implemented)? */
static int have_signals(void)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };

	return sigaction(SIGUSR2, &sa, NULL) == 0;
}

static void basic(void)
{
	char buf[16] = { 0 };
	struct stat st;
	int p[2];

	ktap_check(pipe(p) == 0 && p[0] >= 0 && p[1] > p[0], "pipe");
	ktap_check(write(p[1], "hello", 5) == 5, "write");
	ktap_check(read(p[0], buf, sizeof(buf)) == 5 && !strcmp(buf, "hello"),
		   "read_what_was_written");
	ktap_check(fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode),
		   "fstat_says_fifo");
	ktap_errno(write(p[0], "x", 1), EBADF, "write_to_read_end");
	ktap_errno(read(p[1], buf, 1), EBADF, "read_from_write_end");
	ktap_errno(lseek(p[0], 0, SEEK_SET), ESPIPE, "lseek_espipe");
	ktap_check(fcntl(p[0], F_GETFL) == O_RDONLY &&
			   fcntl(p[1], F_GETFL) == O_WRONLY,
		   "getfl_access_modes");
	close(p[0]);
	close(p[1]);
}

/* Parent and child talk both ways over two pipes. */
static void exchange(void)
{
	int up[2], down[2], status = -1;
	char buf[8] = { 0 };
	pid_t pid;

	if (pipe(up) || pipe(down)) {
		ktap_check(0, "parent_child_exchange");
		return;
	}
	pid = fork();
	if (pid == 0) {
		char b[8] = { 0 };

		close(up[0]);
		close(down[1]);
		if (read(down[0], b, 4) != 4 || strcmp(b, "ping"))
			_exit(1);
		_exit(write(up[1], "pong", 4) == 4 ? 0 : 2);
	}
	close(up[1]);
	close(down[0]);
	write(down[1], "ping", 4);
	ktap_check(read(up[0], buf, 4) == 4 && !strcmp(buf, "pong") &&
			   waitpid(pid, &status, 0) == pid && status == 0,
		   "parent_child_exchange");
	close(up[0]);
	close(down[1]);
}

static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

/* 1 MiB in odd-sized writes, read in odd-sized reads, checksummed. */
static void large_transfer(void)
{
	static unsigned char buf[8192];
	uint32_t seed = 1, sum = 0, want = 0, r = 7;
	size_t got = 0;
	int p[2], status = -1;
	pid_t pid;

	pipe(p);
	pid = fork();
	if (pid == 0) {
		size_t sent = 0;

		close(p[0]);
		while (sent < BIG) {
			size_t n = 1 + next_rand(&r) % sizeof(buf);

			if (n > BIG - sent)
				n = BIG - sent;
			for (size_t i = 0; i < n; i++)
				buf[i] = next_rand(&seed);
			if (write(p[1], buf, n) != (ssize_t)n)
				_exit(1);
			sent += n;
		}
		_exit(0);
	}
	close(p[1]);
	for (;;) {
		ssize_t n = read(p[0], buf, 1 + next_rand(&r) % 5000);

		if (n <= 0)
			break;
		for (ssize_t i = 0; i < n; i++)
			sum = sum * 31 + buf[i];
		got += n;
	}
	seed = 1;
	for (size_t i = 0; i < BIG; i++)
		want = want * 31 + (unsigned char)next_rand(&seed);
	ktap_check(got == BIG && sum == want &&
			   waitpid(pid, &status, 0) == pid && status == 0,
		   "large_transfer_checksum");
	close(p[0]);
}

/*
 * Writers of records up to PIPE_BUF bytes (1000 and 4096); the reader
 * drains with odd read sizes so the room left is rarely a whole
 * record: each record must still arrive in one piece.
 */
static int atomic_run(int writers, int recs, int rec)
{
	static char all[4 * 64 * 4096];
	size_t got = 0, want = (size_t)writers * recs * rec;
	int p[2], ok = 1;
	pid_t pids[4];

	pipe(p);
	for (int w = 0; w < writers; w++) {
		pids[w] = fork();
		if (pids[w] == 0) {
			char buf[4096];

			memset(buf, 'A' + w, rec);
			close(p[0]);
			for (int i = 0; i < recs; i++)
				if (write(p[1], buf, rec) != rec)
					_exit(1);
			_exit(0);
		}
	}
	close(p[1]);
	while (got < want) {
		ssize_t n = read(p[0], all + got, 777);

		if (n <= 0)
			break;
		got += n;
	}
	for (size_t r = 0; r < got / rec && ok; r++)
		for (int i = 1; i < rec; i++)
			if (all[r * rec + i] != all[r * rec]) {
				ok = 0;
				ktap_line(
					"    # %d-byte record %zu torn at byte %d",
					rec, r, i);
				break;
			}
	for (int w = 0; w < writers; w++) {
		int status = -1;

		waitpid(pids[w], &status, 0);
		ok &= status == 0;
	}
	close(p[0]);
	return ok && got == want;
}

static void atomic_writers(void)
{
	ktap_check(atomic_run(2, 64, 4096) && atomic_run(4, 200, 1000),
		   "pipe_buf_atomic_several_writers");
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* EOF only once every writer (the child's copy too) is closed. */
static void eof(void)
{
	int p[2], status;
	char c;
	pid_t pid;
	double t0;

	pipe(p);
	close(p[1]);
	ktap_check(read(p[0], &c, 1) == 0, "eof_when_no_writer");
	close(p[0]);

	pipe(p);
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 200 * 1000 * 1000 };

		close(p[0]);
		nanosleep(&ts, NULL);
		_exit(0); /* closes the last writer */
	}
	close(p[1]);
	t0 = now_s();
	ktap_check(read(p[0], &c, 1) == 0 && now_s() - t0 > 0.15,
		   "read_blocks_until_last_writer_exits");
	waitpid(pid, &status, 0);
	close(p[0]);
}

static void epipe(void)
{
	int p[2], status = -1;
	pid_t pid;

	pipe(p);
	close(p[0]);
	if (!have_signals()) {
		/* no delivery yet: the write still fails */
		ktap_errno(write(p[1], "x", 1), EPIPE, "epipe_no_reader");
		ktap_skip("sigpipe_kills_writer", "no signal delivery");
		ktap_skip("epipe_with_sigpipe_ignored", "no signal delivery");
		close(p[1]);
		return;
	}
	signal(SIGPIPE, SIG_IGN);
	ktap_errno(write(p[1], "x", 1), EPIPE, "epipe_no_reader");
	pid = fork();
	if (pid == 0) {
		signal(SIGPIPE, SIG_DFL);
		write(p[1], "x", 1);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ktap_check(WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE,
		   "sigpipe_kills_writer");
	ktap_errno(write(p[1], "xy", 2), EPIPE, "epipe_with_sigpipe_ignored");
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
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
		struct timespec ts = { 0, ms * 1000 * 1000 };

		nanosleep(&ts, NULL);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

/*
 * A signal with a handler ends a blocked read or write: EINTR, or the
 * call restarts under SA_RESTART; a write that moved bytes returns
 * their count.
 */
static void interrupted(void)
{
	static char big[3 * CAP];
	struct sigaction sa = { .sa_handler = on_usr1 };
	int p[2], status;
	ssize_t n;
	char c;
	pid_t pid;

	if (!have_signals()) {
		ktap_skip("blocked_read_eintr", "no signal delivery");
		ktap_skip("blocked_read_sa_restart", "no signal delivery");
		ktap_skip("blocked_write_partial_count", "no signal delivery");
		return;
	}
	pipe(p);
	sigaction(SIGUSR1, &sa, NULL);
	pid = signal_later(SIGUSR1, 100);
	ktap_errno(read(p[0], &c, 1), EINTR, "blocked_read_eintr");
	waitpid(pid, &status, 0);

	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	pid = signal_later(SIGUSR1, 100);
	if (fork() == 0) {
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		nanosleep(&ts, NULL);
		_exit(write(p[1], "r", 1) == 1 ? 0 : 1);
	}
	ktap_check(read(p[0], &c, 1) == 1 && c == 'r',
		   "blocked_read_sa_restart");
	waitpid(pid, &status, 0);
	wait(&status);

	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	pid = signal_later(SIGUSR1, 100);
	n = write(p[1], big, sizeof(big)); /* fills 64 KiB, then waits */
	ktap_check(n == CAP, "blocked_write_partial_count");
	waitpid(pid, &status, 0);
	signal(SIGUSR1, SIG_DFL);
	close(p[0]);
	close(p[1]);
}

static void nonblock(void)
{
	static char buf[3 * 4096];
	ssize_t total = 0, n;
	int p[2], avail = -1;

	ktap_check(pipe2(p, O_NONBLOCK) == 0 &&
			   (fcntl(p[0], F_GETFL) & O_NONBLOCK),
		   "pipe2_nonblock");
	ktap_errno(read(p[0], buf, 1), EAGAIN, "nonblock_read_empty_eagain");
	while ((n = write(p[1], buf, 4096)) > 0)
		total += n;
	ktap_check(n == -1 && errno == EAGAIN && total == CAP,
		   "nonblock_fill_64k_then_eagain");
	ktap_check(ioctl(p[0], FIONREAD, &avail) == 0 && avail == CAP,
		   "fionread");
	ktap_check(read(p[0], buf, 4096) == 4096, "read_one_page");
	/* room for one page: a longer write moves just that much */
	ktap_check(write(p[1], buf, 3 * 4096) == 4096,
		   "nonblock_partial_long_write");
	read(p[0], buf, 100);
	ktap_errno(write(p[1], buf, 200), EAGAIN,
		   "nonblock_short_write_all_or_eagain");
	close(p[0]);
	close(p[1]);
}

static void pipe_size(void)
{
	char buf[4096] = { 0 };
	int p[2], avail = -1;

	pipe2(p, O_NONBLOCK);
	ktap_check(fcntl(p[0], F_GETPIPE_SZ) == CAP, "getpipe_sz_64k");
	write(p[1], buf, 100);
	ktap_check(fcntl(p[1], F_SETPIPE_SZ, 4000) == 4096 &&
			   fcntl(p[0], F_GETPIPE_SZ) == 4096,
		   "setpipe_sz_rounds_to_page");
	ktap_check(write(p[1], buf, 3996) == 3996 &&
			   write(p[1], buf, 1) == -1 && errno == EAGAIN,
		   "setpipe_sz_limits_room");
	ktap_check(fcntl(p[1], F_SETPIPE_SZ, 8192) == 8192 &&
			   ioctl(p[0], FIONREAD, &avail) == 0 && avail == 4096,
		   "setpipe_sz_keeps_content");
	ktap_check(write(p[1], buf, 4096) == 4096, "setpipe_sz_more_room");
	ktap_errno(fcntl(p[1], F_SETPIPE_SZ, 4096), EBUSY,
		   "setpipe_sz_below_content_ebusy");
	/* keel's choice: Linux lets root (CAP_SYS_RESOURCE) past 1 MiB */
	ktap_errno(fcntl(p[1], F_SETPIPE_SZ, 64 << 20), EPERM,
		   "setpipe_sz_above_max_eperm");
	ktap_errno(fcntl(0, F_GETPIPE_SZ), EBADF, "getpipe_sz_not_a_pipe");
	close(p[0]);
	close(p[1]);
}

/* Run this program as "fdcheck fd": exit 0 if fd is closed, 1 if open. */
static int fd_open_after_exec(int fd)
{
	char num[16];
	int status = -1;
	pid_t pid;

	snprintf(num, sizeof(num), "%d", fd);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "/test/pipe", "fdcheck", num, NULL };

		execve(argv[0], argv, (char *[]){ NULL });
		_exit(2);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void cloexec(void)
{
	int a[2], b[2];

	pipe2(a, O_CLOEXEC);
	pipe(b);
	ktap_check((fcntl(a[0], F_GETFD) & FD_CLOEXEC) &&
			   !(fcntl(b[0], F_GETFD) & FD_CLOEXEC),
		   "pipe2_cloexec_flag");
	ktap_check(fd_open_after_exec(a[1]) == 0, "cloexec_closed_by_exec");
	ktap_check(fd_open_after_exec(b[1]) == 1, "plain_survives_exec");
	close(a[0]);
	close(a[1]);
	close(b[0]);
	close(b[1]);
}

static void errors(void)
{
	int p[2], fd, lowest;

	ktap_errno(syscall(SYS_pipe, NULL), EFAULT, "pipe_null_efault");
	ktap_errno(syscall(SYS_pipe, KERNEL_PTR), EFAULT,
		   "pipe_kernel_pointer_efault");
	ktap_errno(syscall(SYS_pipe2, UNMAPPED, 0), EFAULT,
		   "pipe2_unmapped_efault");
	ktap_errno(pipe2(p, 0x10), EINVAL, "pipe2_bad_flags_einval");
	/* keel's choice: no packet mode (Linux accepts O_DIRECT) */
	ktap_errno(pipe2(p, O_DIRECT), EINVAL, "pipe2_o_direct_einval");
	lowest = dup(0);
	close(lowest);
	syscall(SYS_pipe, NULL);
	fd = dup(0);
	ktap_check(fd == lowest, "efault_leaks_no_fd");
	close(fd);

	/* leave exactly one free fd: pipe needs two */
	while ((fd = dup(0)) >= 0)
		lowest = fd;
	close(lowest);
	ktap_errno(pipe(p), EMFILE, "pipe_emfile");
	fd = dup(0);
	ktap_check(fd == lowest, "emfile_leaks_no_fd");
	for (fd = 3; fd <= lowest; fd++)
		close(fd);
}

static long free_kib(void)
{
	struct sysinfo si;

	if (sysinfo(&si))
		return -1;
	return (long)(si.freeram * si.mem_unit / 1024);
}

/*
 * 32 full pipes hold 2 MiB of pages; closing both ends (the child's
 * copies too) gives them back.
 */
static void memory(void)
{
	enum { N = 32 };
	static char page[4096];
	int p[N][2], status;
	long before, full, after;
	pid_t pid;

	before = free_kib();
	for (int i = 0; i < N; i++) {
		pipe2(p[i], O_NONBLOCK);
		while (write(p[i][1], page, sizeof(page)) > 0)
			;
	}
	pid = fork();
	if (pid == 0) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };

		nanosleep(&ts, NULL); /* holds every end a while */
		_exit(0);
	}
	full = free_kib();
	for (int i = 0; i < N; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	waitpid(pid, &status, 0);
	after = free_kib();
	if (before - full < N * 64 || before - after > 256)
		ktap_line("    # free KiB: %ld before, %ld full, %ld after",
			  before, full, after);
	ktap_check(before - full >= N * 64 && before - after <= 256,
		   "buffers_freed_when_all_ends_close");
}

static void fifo(void)
{
	const char *path = "/pipe-test-fifo";
	char buf[8] = { 0 };
	struct stat st;
	int fd, status = -1;
	pid_t pid;

	unlink(path);
	ktap_check(mkfifo(path, 0600) == 0 && stat(path, &st) == 0 &&
			   S_ISFIFO(st.st_mode),
		   "mkfifo");
	ktap_errno(open(path, O_WRONLY | O_NONBLOCK), ENXIO,
		   "fifo_nonblock_writer_no_reader_enxio");
	pid = fork();
	if (pid == 0) {
		int w = open(path, O_WRONLY); /* waits for the reader */

		_exit(w >= 0 && write(w, "fifo", 4) == 4 ? 0 : 1);
	}
	fd = open(path, O_RDONLY); /* waits for the writer */
	ktap_check(fd >= 0 && read(fd, buf, 4) == 4 && !strcmp(buf, "fifo") &&
			   waitpid(pid, &status, 0) == pid && status == 0,
		   "fifo_open_waits_for_partner");
	ktap_check(read(fd, buf, 4) == 0, "fifo_eof");
	close(fd);
	fd = open(path, O_RDWR);
	ktap_check(fd >= 0 && write(fd, "rw", 2) == 2 && read(fd, buf, 8) == 2,
		   "fifo_rdwr_no_wait");
	close(fd);
	unlink(path);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "fdcheck"))
		return fcntl(atoi(argv[2]), F_GETFD) == -1 && errno == EBADF ?
			       0 :
			       1;
	ktap_begin("pipe", CASES);
	basic();
	exchange();
	large_transfer();
	atomic_writers();
	eof();
	epipe();
	interrupted();
	nonblock();
	pipe_size();
	cloexec();
	errors();
	memory();
	fifo();
	return ktap_end();
}
