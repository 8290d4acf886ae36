// SPDX-License-Identifier: MIT
/*
 * ubench.c - user-space micro-benchmarks, one static binary for keel and
 * for Linux (docs/benchmarks.md, "keel against Linux").
 *
 * Each figure is an lmbench / perf bench style loop: a rep times `iters`
 * operations with clock_gettime(CLOCK_MONOTONIC); the figure is the
 * median (and the minimum) over the reps, in ns per operation. One line
 * per figure on stdout, written with one write(2):
 *
 *	UBENCH name=getppid value=412.5 unit=ns min=398.1 iters=20000 reps=11
 *	UBENCH name=pipe_pingpong error=ENOSYS call=pipe2
 *
 * A figure the kernel cannot run says which call failed and how; it is
 * reported, never left out, and it runs by itself once the call exists.
 *
 *	ubench [--quick] [--only NAME,...] [--iters N] [--reps R]
 *	                                     run the figures
 *	ubench --list                        name and meaning of each figure
 *	ubench --udp-echo PORT               UDP echo server (the host sends)
 *
 * --quick divides the iterations by 100 and runs 3 reps: it proves every
 * figure runs (the user tier of make check), it measures nothing.
 * --iters and --reps replace every figure's own counts (--iters 0 runs
 * only the set-up: two profiles, with N and with 0, differ by N
 * operations; docs/benchmarks.md).
 * fork_exec_wait runs ubench-hello from ubench's own directory.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_REPS 16

/* A figure's failure: the call that failed and its errno (or a word). */
struct fail {
	const char *call;
	const char *why;
};

struct figure {
	const char *name;
	const char *what;
	long iters;
	int reps;
	/* sets up, runs `iters` operations per rep into ns[], tears down */
	int (*run)(long iters, int reps, double *ns, struct fail *fail);
};

static const char *self_path; /* argv[0]: the file open/stat use */
static char hello_path[256];

static void out(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	if (write(1, buf, n) < 0)
		_exit(2);
}

static const char *errname(int e)
{
	switch (e) {
	case ENOSYS: return "ENOSYS";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EAGAIN: return "EAGAIN";
	case ENOEXEC: return "ENOEXEC";
	case EACCES: return "EACCES";
	case ENODEV: return "ENODEV";
	case EPIPE: return "EPIPE";
	case EINTR: return "EINTR";
	case ECHILD: return "ECHILD";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case ENOTSOCK: return "ENOTSOCK";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	}
	return "EUNKNOWN";
}

/* Record the failed call with the current errno; returns -1. */
static int failed(struct fail *fail, const char *call)
{
	fail->call = call;
	fail->why = errname(errno);
	return -1;
}

static inline long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* ---- system calls ---- */

static int run_getppid(long iters, int reps, double *ns, struct fail *fail)
{
	for (int r = 0; r < reps; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++)
			syscall(SYS_getppid);
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	return 0;
}

/* read or write one byte, iters times, on path opened with flags */
static int rw_byte(const char *path, int flags, long iters, int reps,
		   double *ns, struct fail *fail)
{
	char c = 0;
	int fd = open(path, flags);

	if (fd < 0)
		return failed(fail, "open");
	for (int r = 0; r < reps; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++) {
			long n = flags == O_RDONLY ? read(fd, &c, 1) :
						     write(fd, &c, 1);
			if (n != 1) {
				if (n == 0)
					errno = EINVAL;
				close(fd);
				return failed(fail, flags == O_RDONLY ?
							    "read" :
							    "write");
			}
		}
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	close(fd);
	return 0;
}

static int run_read_zero(long iters, int reps, double *ns, struct fail *fail)
{
	return rw_byte("/dev/zero", O_RDONLY, iters, reps, ns, fail);
}

static int run_write_null(long iters, int reps, double *ns, struct fail *fail)
{
	return rw_byte("/dev/null", O_WRONLY, iters, reps, ns, fail);
}

static int run_open_close(long iters, int reps, double *ns, struct fail *fail)
{
	for (int r = 0; r < reps; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++) {
			int fd = open(self_path, O_RDONLY);

			if (fd < 0)
				return failed(fail, "open");
			close(fd);
		}
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	return 0;
}

static int run_stat(long iters, int reps, double *ns, struct fail *fail)
{
	struct stat st;

	for (int r = 0; r < reps; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++)
			if (stat(self_path, &st))
				return failed(fail, "stat");
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	return 0;
}

/* ---- pipe ping-pong (perf bench sched pipe: an int each way) ---- */

enum { PIN_NONE, PIN_SAME, PIN_CROSS };

static int pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set);
}

static int pingpong(int how, long iters, int reps, double *ns,
		    struct fail *fail)
{
	int ab[2], ba[2], status, ret = 0;
	pid_t pid;
	int v = 0;

	if (syscall(SYS_pipe2, ab, 0))
		return failed(fail, "pipe2");
	if (syscall(SYS_pipe2, ba, 0)) {
		failed(fail, "pipe2");
		goto close_ab;
	}
	pid = fork();
	if (pid < 0) {
		ret = failed(fail, "fork");
		goto close_ba;
	}
	if (pid == 0) {
		close(ab[1]);
		close(ba[0]);
		if (how == PIN_CROSS && pin(1))
			_exit(1);
		while (read(ab[0], &v, sizeof(v)) == sizeof(v))
			if (write(ba[1], &v, sizeof(v)) != sizeof(v))
				_exit(3);
		_exit(0);
	}
	close(ab[0]);
	close(ba[1]);
	for (int r = 0; r < reps && !ret; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++) {
			if (write(ab[1], &v, sizeof(v)) != sizeof(v)) {
				ret = failed(fail, "write");
				break;
			}
			if (read(ba[0], &v, sizeof(v)) != sizeof(v)) {
				/* a child that could not pin itself exits */
				errno = how == PIN_CROSS ? EINVAL : EPIPE;
				ret = failed(fail, how == PIN_CROSS ?
							   "sched_setaffinity" :
							   "read");
				break;
			}
			v++;
		}
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	close(ab[1]);
	close(ba[0]);
	if (waitpid(pid, &status, 0) != pid && !ret)
		ret = failed(fail, "wait4");
	return ret;
close_ba:
	close(ba[0]);
	close(ba[1]);
close_ab:
	close(ab[0]);
	close(ab[1]);
	return -1;
}

static int run_pipe(long iters, int reps, double *ns, struct fail *fail)
{
	return pingpong(PIN_NONE, iters, reps, ns, fail);
}

/* Pinned: this process on CPU 0 (the child inherits it or moves). */
static int pinned(int how, long iters, int reps, double *ns, struct fail *fail)
{
	cpu_set_t old;
	int ret;

	if (sched_getaffinity(0, sizeof(old), &old))
		return failed(fail, "sched_getaffinity");
	if (pin(0))
		return failed(fail, "sched_setaffinity");
	ret = pingpong(how, iters, reps, ns, fail);
	sched_setaffinity(0, sizeof(old), &old);
	return ret;
}

static int run_pipe_same(long iters, int reps, double *ns, struct fail *fail)
{
	return pinned(PIN_SAME, iters, reps, ns, fail);
}

static int run_pipe_cross(long iters, int reps, double *ns, struct fail *fail)
{
	return pinned(PIN_CROSS, iters, reps, ns, fail);
}

/* ---- processes ---- */

/* fork, the child runs child() (which must not return), wait for it */
static int fork_wait(void (*child)(void), struct fail *fail)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return failed(fail, "fork");
	if (pid == 0)
		child();
	if (waitpid(pid, &status, 0) != pid)
		return failed(fail, "wait4");
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		/* the child's exit code is the errno of what it tried */
		errno = WIFEXITED(status) ? WEXITSTATUS(status) : EINTR;
		return -1;
	}
	return 0;
}

static void child_exit(void)
{
	_exit(0);
}

static void child_exec(void)
{
	char *argv[] = { hello_path, NULL };
	char *envp[] = { NULL };
	int fd = open("/dev/null", O_WRONLY);

	if (fd >= 0)
		dup2(fd, 1);
	execve(hello_path, argv, envp);
	_exit(errno & 0xff);
}

static int run_procs(void (*child)(void), const char *call, long iters,
		     int reps, double *ns, struct fail *fail)
{
	for (int r = 0; r < reps; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++) {
			if (fork_wait(child, fail)) {
				if (!fail->call)
					failed(fail, call);
				return -1;
			}
		}
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	return 0;
}

static int run_fork(long iters, int reps, double *ns, struct fail *fail)
{
	return run_procs(child_exit, "exit", iters, reps, ns, fail);
}

static int run_exec(long iters, int reps, double *ns, struct fail *fail)
{
	return run_procs(child_exec, "execve", iters, reps, ns, fail);
}

/* ---- memory ---- */

static int run_mmap(long iters, int reps, double *ns, struct fail *fail)
{
	for (int r = 0; r < reps; r++) {
		long t0 = now_ns();

		for (long i = 0; i < iters; i++) {
			volatile char *p =
				mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				return failed(fail, "mmap");
			p[0] = 1;
			if (munmap((void *)p, 4096))
				return failed(fail, "munmap");
		}
		ns[r] = (double)(now_ns() - t0) / iters;
	}
	return 0;
}

/* ---- signals: kill(self) with a handler, lmbench's lat_sig catch ---- */

static volatile long caught;

static void on_usr1(int sig)
{
	caught++;
}

static int run_signal(long iters, int reps, double *ns, struct fail *fail)
{
	struct sigaction sa = { .sa_handler = on_usr1 }, old;
	pid_t me = getpid();
	int ret = 0;

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, &old))
		return failed(fail, "rt_sigaction");
	for (int r = 0; r < reps && !ret; r++) {
		long t0;

		caught = 0;
		t0 = now_ns();
		for (long i = 0; i < iters; i++) {
			if (kill(me, SIGUSR1)) {
				ret = failed(fail, "kill");
				break;
			}
		}
		ns[r] = (double)(now_ns() - t0) / iters;
		if (!ret && caught != iters) {
			/* the call "worked" but the handler did not run */
			fail->call = "kill";
			fail->why = "NOTDELIVERED";
			ret = -1;
		}
	}
	sigaction(SIGUSR1, &old, NULL);
	return ret;
}

/* ---- UDP: the server is probed here, the host measures ---- */

#define UDP_PORT 7777

static int udp_socket(int port, struct fail *fail)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_ANY) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0)
		return failed(fail, "socket");
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		failed(fail, "bind");
		close(fd);
		return -1;
	}
	return fd;
}

/* The host's side cannot run here: check the server can be set up. */
static int probe_udp(struct fail *fail)
{
	int fd = udp_socket(UDP_PORT, fail);

	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int udp_echo(int port)
{
	struct fail fail = { 0 };
	char buf[2048];
	int fd = udp_socket(port, &fail);

	if (fd < 0) {
		out("UBENCH name=udp_echo error=%s call=%s", fail.why,
		    fail.call);
		return 1;
	}
	out("UBENCH-UDP-READY port=%d", port);
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		long n = recvfrom(fd, buf, sizeof(buf), 0,
				  (struct sockaddr *)&from, &len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			out("UBENCH name=udp_echo error=%s call=recvfrom",
			    errname(errno));
			return 1;
		}
		if (n == 4 && !memcmp(buf, "quit", 4))
			break;
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, len) != n) {
			out("UBENCH name=udp_echo error=%s call=sendto",
			    errname(errno));
			return 1;
		}
	}
	close(fd);
	out("UBENCH-UDP-DONE");
	return 0;
}

/*
 * The figures, in report order. Iterations are chosen so that one rep
 * takes some ms to some hundreds of ms under QEMU's TCG on either kernel
 * (a cross-CPU wake-up there can cost milliseconds: the pipe figures).
 */
static const struct figure figures[] = {
	{ "getppid", "null system call: getppid()", 20000, 11, run_getppid },
	{ "read_zero", "read() of 1 byte from /dev/zero", 20000, 11,
	  run_read_zero },
	{ "write_null", "write() of 1 byte to /dev/null", 20000, 11,
	  run_write_null },
	{ "open_close", "open()+close() of ubench's own file", 5000, 11,
	  run_open_close },
	{ "stat", "stat() of ubench's own file", 5000, 11, run_stat },
	{ "pipe_pingpong", "pipe round trip between two processes, not pinned",
	  500, 11, run_pipe },
	{ "pipe_pingpong_same_cpu", "pipe round trip, both on CPU 0", 500, 11,
	  run_pipe_same },
	{ "pipe_pingpong_cross_cpu", "pipe round trip, CPU 0 and CPU 1", 500,
	  11, run_pipe_cross },
	{ "fork_exit_wait", "fork(), child _exit(0), parent waitpid()", 200, 7,
	  run_fork },
	{ "fork_exec_wait",
	  "fork(), execve() of static ubench-hello, waitpid()", 100, 7,
	  run_exec },
	{ "mmap_touch_munmap", "4 KiB anonymous mmap(), one write, munmap()",
	  5000, 11, run_mmap },
	{ "signal_self", "kill(getpid(), SIGUSR1) with a handler: round trip",
	  5000, 11, run_signal },
};

#define NFIGURES (sizeof(figures) / sizeof(figures[0]))

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int wanted(const char *only, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = only; p && *p;) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return 1;
		p = e ? e + 1 : NULL;
	}
	return !only;
}

static void set_hello_path(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	int dir = slash ? (int)(slash - argv0) : 1;

	snprintf(hello_path, sizeof(hello_path), "%.*s/ubench-hello", dir,
		 slash ? argv0 : ".");
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	int quick = 0, bad = 0, reps_arg = 0;
	long iters_arg = -1;
	double ns[MAX_REPS];

	self_path = argv[0];
	set_hello_path(argv[0]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick")) {
			quick = 1;
		} else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			only = argv[++i];
		} else if (!strcmp(argv[i], "--iters") && i + 1 < argc) {
			iters_arg = atol(argv[++i]);
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps_arg = atoi(argv[++i]);
			if (reps_arg < 1 || reps_arg > MAX_REPS)
				reps_arg = MAX_REPS;
		} else if (!strcmp(argv[i], "--udp-echo") && i + 1 < argc) {
			return udp_echo(atoi(argv[++i]));
		} else if (!strcmp(argv[i], "--list")) {
			for (unsigned int k = 0; k < NFIGURES; k++)
				out("UBENCH-LIST %s %s", figures[k].name,
				    figures[k].what);
			out("UBENCH-LIST udp_echo 64-byte UDP echo round trip, "
			    "host to a server in the guest (host-measured)");
			return 0;
		} else {
			out("usage: ubench [--quick] [--only NAME,...] "
			    "[--iters N] [--reps R] | --list | --udp-echo PORT");
			return 2;
		}
	}
	for (unsigned int k = 0; k < NFIGURES; k++) {
		const struct figure *f = &figures[k];
		struct fail fail = { 0 };
		long iters = quick ? (f->iters + 99) / 100 : f->iters;
		int reps = quick ? 3 : f->reps;

		if (iters_arg >= 0)
			iters = iters_arg;
		if (reps_arg)
			reps = reps_arg;

		if (!wanted(only, f->name))
			continue;
		if (f->run(iters, reps, ns, &fail)) {
			if (!fail.call) {
				fail.call = "?";
				fail.why = errname(errno);
			}
			out("UBENCH name=%s error=%s call=%s", f->name,
			    fail.why, fail.call);
			bad++;
			continue;
		}
		if (!iters)
			continue; /* set-up only: nothing to report */
		qsort(ns, reps, sizeof(ns[0]), cmp_double);
		out("UBENCH name=%s value=%.1f unit=ns min=%.1f iters=%ld "
		    "reps=%d",
		    f->name, ns[reps / 2], ns[0], iters, reps);
	}
	if (wanted(only, "udp_echo")) {
		struct fail fail = { 0 };

		if (probe_udp(&fail))
			out("UBENCH name=udp_echo error=%s call=%s", fail.why,
			    fail.call);
		else
			out("UBENCH name=udp_echo server=ready port=%d",
			    UDP_PORT);
	}
	out("UBENCH-END failed=%d", bad);
	return 0;
}
