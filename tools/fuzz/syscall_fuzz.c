// SPDX-License-Identifier: MIT
/*
 * syscall_fuzz.c - /init of keel's fuzzing initramfs (make fuzz, the
 * "fuzz" tier of make check; docs/fuzzing.md).
 *
 * Two campaigns, both from user space against the system-call ABI:
 *
 *  1. System calls: worker processes make random system calls (numbers
 *     0..479 and a few beyond, arguments drawn from pools of bad
 *     pointers, kernel addresses, huge lengths, closed fds, random
 *     flags and paths inside a scratch directory), fork children that
 *     die by faults, and exit. The parent (PID 1) never fuzzes: it
 *     keeps workers going until the asked number of calls is reached,
 *     kills a worker that makes no progress (a blocking call on a pipe
 *     it holds itself is legitimate), and reaps everything.
 *  2. Hostile ELF files: mutations of a valid static program are
 *     written to a file and executed; each must end in an execve error
 *     or in a process that exits or dies, never in a kernel fault.
 *
 * Before and after, with every process reaped and the scratch files
 * removed, the kernel's memory use (free pages and live slab objects,
 * the "keel:" lines of /proc/meminfo) must be back where it was. The
 * results are printed as KTAP; the host (tests/fuzz.py) also fails the
 * run on any BUG:, panic or sanitizer report in the log.
 *
 * Calls that would end the experiment rather than test the kernel are
 * never made or have their arguments narrowed (see the tables below):
 * reboot, exit of the worker before its time, signals to other
 * processes, vfork and shared-memory clones (they would run the child
 * on the worker's own stack), clock setting, the console log level,
 * mounts outside the scratch directory.
 *
 * /fuzz.conf: "CALLS SEED ELF_MUTATIONS CALLS_PER_WORKER [ONLY]" on one
 * line; ONLY, a comma-separated list of numbers, restricts the calls to
 * those (to narrow down a finding).
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NR_MAX	       480   /* numbers fuzzed: 0..NR_MAX-1, plus a few */
#define SCRATCH_PAGES  4     /* last one PROT_NONE: a fault at its edge */
#define WORKER_SECONDS 5     /* a worker silent this long is killed */
#define TICK_US	       50000 /* SIGALRM period that ends blocking calls */
#define REPORT_EVERY   16    /* calls a worker makes per progress byte */
#define MAX_BARREN     500   /* workers in a row that made no call: stop */
#define SANDBOX	       "/tmp/fz"

/* ---- small helpers ---- */

static void out(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write(1, buf, n);
}

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static unsigned long rnd_below(unsigned long n)
{
	return n ? rnd() % n : 0;
}

static long raw_syscall6(long nr, long a, long b, long c, long d, long e,
			 long f)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8),
			   "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static long raw_getpid(void)
{
	return raw_syscall6(39, 0, 0, 0, 0, 0, 0);
}

static void __attribute__((noreturn)) raw_exit(int code)
{
	for (;;)
		raw_syscall6(60, code, 0, 0, 0, 0, 0);
}

/* ---- argument pools ---- */

static char *scratch; /* SCRATCH_PAGES pages, the last PROT_NONE */

static const char *const paths[] = {
	"fz_a",
	"fz_b",
	"fz_b/fz_c",
	"fz_dir",
	"fz_dir/fz_e",
	"fz_link",
	"fz_loop1",
	"../fz/fz_a",
	SANDBOX "/fz_abs",
	".",
	"..",
	"/",
	"",
	"/proc/self/stat",
	"/proc/self/exe",
	"/proc/meminfo",
	"/nonexistent/fz",
	"fz_a/not_a_dir",
};

#define NPATHS (sizeof(paths) / sizeof(paths[0]))

static char long_path[5000];

static long rnd_path(void)
{
	switch (rnd_below(12)) {
	case 0: return (long)long_path;
	case 1: return 0;
	case 2: return (long)(scratch + (SCRATCH_PAGES - 1) * 4096 - 3);
	default: return (long)paths[rnd_below(NPATHS)];
	}
}

static long rnd_ptr(void)
{
	switch (rnd_below(14)) {
	case 0: return 0;
	case 1: return 0x1000;
	case 2: return (long)0xffff888000000000ULL; /* direct map */
	case 3: return (long)0xffffffff80000000ULL; /* kernel text */
	case 4: return (long)0x0000800000000000ULL; /* non-canonical */
	case 5: return -1;
	case 6: /* the guard page's edge */
		return (long)(scratch + (SCRATCH_PAGES - 1) * 4096 -
			      rnd_below(64));
	case 7: return (long)(uintptr_t)&rnd_path; /* read-only text */
	case 8: return rnd_path();
	default: /* inside the scratch pages */
		return (long)(scratch + rnd_below((SCRATCH_PAGES - 1) * 4096));
	}
}

static long last_fd = 3;

static long rnd_fd(void)
{
	switch (rnd_below(8)) {
	case 0: return -1;
	case 1: return 1000000;
	case 2: return (long)rnd_below(3);
	case 3: return AT_FDCWD;
	default: return last_fd - (long)rnd_below(4);
	}
}

static long rnd_len(void)
{
	static const long lens[] = { 0,		 1,    2,	8,    16,
				     64,	 4095, 4096,	4097, 65536,
				     0x7fffffff, -1,   1L << 40 };

	return rnd_below(3) ? lens[rnd_below(sizeof(lens) / sizeof(lens[0]))] :
			      (long)rnd_below(8192);
}

static long rnd_flags(void)
{
	switch (rnd_below(5)) {
	case 0: return 0;
	case 1: return (long)rnd();
	case 2: return (long)(uint32_t)rnd();
	default: return 1L << rnd_below(32);
	}
}

static long rnd_arg(void)
{
	switch (rnd_below(6)) {
	case 0: return rnd_ptr();
	case 1: return rnd_fd();
	case 2: return rnd_len();
	case 3: return rnd_flags();
	case 4: return rnd_path();
	default: return (long)rnd_below(16) - 2;
	}
}

/* ---- what is never called, and what is narrowed ---- */

enum rule {
	FUZZ = 0,
	NEVER,	   /* would end the experiment, not test the kernel */
	TIMEOUT0,  /* arg 0 is a timespec/timeval: a short one (or NULL) */
	TIMEOUT1,  /* ... arg 1 */
	TIMEOUT2,  /* ... arg 2 */
	TIMEOUT3,  /* ... arg 3 */
	TIMEOUT4,  /* ... arg 4 */
	POLL_MS,   /* poll: arg 2 is a timeout in ms */
	WAIT,	   /* wait4/waitid: WNOHANG always */
	SELF_PID,  /* arg 0 is a pid: only the worker itself */
	SELF_PID1, /* kill(pid, sig) style with tgkill's tgid too */
	CLONE,	   /* no CLONE_VM/VFORK/THREAD/SIGHAND */
	SYSLOG,	   /* read-only actions only */
	MOUNT,	   /* targets inside the sandbox only */
};

static unsigned char rules[NR_MAX];
/* per number: -ENOSYS answers seen, and whether anything else came */
static unsigned char enosys[NR_MAX], works[NR_MAX];
/* ONLY in /fuzz.conf: the numbers allowed, or none listed: all */
static unsigned char only[NR_MAX];
static int only_set;

static void set_rules(void)
{
	static const struct {
		int nr;
		enum rule r;
	} t[] = {
		{ 7, POLL_MS },	    /* poll */
		{ 23, TIMEOUT4 },   /* select */
		{ 34, NEVER },	    /* pause */
		{ 35, TIMEOUT0 },   /* nanosleep */
		{ 56, CLONE },	    /* clone */
		{ 58, NEVER },	    /* vfork: child on our stack */
		{ 60, NEVER },	    /* exit */
		{ 61, WAIT },	    /* wait4 */
		{ 62, SELF_PID },   /* kill */
		{ 101, NEVER },	    /* ptrace: could attach to PID 1 */
		{ 103, SYSLOG },    /* syslog */
		{ 128, TIMEOUT2 },  /* rt_sigtimedwait */
		{ 129, SELF_PID },  /* rt_sigqueueinfo */
		{ 130, NEVER },	    /* rt_sigsuspend */
		{ 155, NEVER },	    /* pivot_root */
		{ 159, NEVER },	    /* adjtimex */
		{ 164, NEVER },	    /* settimeofday */
		{ 165, MOUNT },	    /* mount */
		{ 166, MOUNT },	    /* umount2 */
		{ 169, NEVER },	    /* reboot */
		{ 200, SELF_PID },  /* tkill */
		{ 202, TIMEOUT3 },  /* futex */
		{ 227, NEVER },	    /* clock_settime */
		{ 230, TIMEOUT2 },  /* clock_nanosleep */
		{ 231, NEVER },	    /* exit_group */
		{ 232, TIMEOUT3 },  /* epoll_wait: arg 3 is ms */
		{ 234, SELF_PID1 }, /* tgkill */
		{ 247, WAIT },	    /* waitid */
		{ 270, TIMEOUT4 },  /* pselect6 */
		{ 271, TIMEOUT2 },  /* ppoll */
		{ 281, TIMEOUT3 },  /* epoll_pwait */
		{ 297, SELF_PID1 }, /* rt_tgsigqueueinfo */
		{ 298, NEVER },	    /* perf_event_open */
		{ 302, SELF_PID },  /* prlimit64 */
		{ 305, NEVER },	    /* clock_adjtime */
		{ 310, SELF_PID },  /* process_vm_readv */
		{ 311, SELF_PID },  /* process_vm_writev */
		{ 424, SELF_PID },  /* pidfd_send_signal (pidfd) */
		{ 434, SELF_PID },  /* pidfd_open */
		{ 435, NEVER },	    /* clone3: args struct could ask CLONE_VM */
		{ 441, TIMEOUT4 },  /* epoll_pwait2 */
	};

	for (unsigned int i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		rules[t[i].nr] = t[i].r;
}

/* A short timeout at p (scratch), or NULL as the caller may prefer. */
static long short_timeout(void)
{
	long *ts = (long *)(scratch + 2048);

	if (!rnd_below(8))
		return (long)(scratch + (SCRATCH_PAGES - 1) * 4096 - 4);
	ts[0] = 0;
	ts[1] = (long)rnd_below(1000000); /* < 1 ms (ns), < 1 s (us) */
	if (rnd_below(2))
		ts[1] /= 1000;
	return (long)ts;
}

static void narrow(long nr, long a[6], long self)
{
	static const char *const mnt[] = { "fz_dir", "fz_b", "fz_a",
					   "fz_nonexist" };
	static const char *const fstypes[] = { "ramfs", "proc", "tmpfs", "nofs",
					       "" };

	if (nr < 0 || nr >= NR_MAX)
		return;
	switch ((enum rule)rules[nr]) {
	case TIMEOUT0:
	case TIMEOUT1:
	case TIMEOUT2:
	case TIMEOUT3:
	case TIMEOUT4:
		a[rules[nr] - TIMEOUT0] = short_timeout();
		if (nr == 232 || nr == 281) /* epoll waits: ms */
			a[3] = (long)rnd_below(3);
		break;
	case POLL_MS: a[2] = (long)rnd_below(3); break;
	case WAIT:
		a[nr == 61 ? 2 : 3] |= 1; /* WNOHANG */
		break;
	case SELF_PID1:
		a[0] = self;
		a[1] = self;
		break;
	case SELF_PID: a[0] = rnd_below(2) ? self : 0; break;
	case CLONE:
		a[0] &= ~0x80000000L; /* CLONE_IO: fine, but keep it simple */
		a[0] &= ~(0x100L | 0x800L | 0x4000L | 0x10000L);
		break;
	case SYSLOG:
		a[0] = rnd_below(2) ? 3 : 10; /* READ_ALL, SIZE_BUFFER */
		break;
	case MOUNT:
		if (nr == 165) {
			a[0] = (long)fstypes[rnd_below(5)];
			a[1] = (long)mnt[rnd_below(4)];
			a[2] = (long)fstypes[rnd_below(5)];
			a[3] &= ~0x20L; /* MS_REMOUNT: root flags */
		} else {
			a[0] = (long)mnt[rnd_below(4)];
		}
		break;
	default: break;
	}
}

/* ---- a worker ---- */

static volatile int sink;
static int *volatile null_ptr = (int *)8;
static char *volatile kernel_ptr = (char *)0xffffffff80000000ULL;

/* A child that dies by a fault, as the campaign asks. */
static void fork_faulting_child(void)
{
	long pid = raw_syscall6(57, 0, 0, 0, 0, 0, 0); /* fork */

	if (pid != 0)
		return;
	switch (rnd_below(4)) {
	case 0: *null_ptr = 1; break;
	case 1: __asm__ volatile("ud2"); break;
	case 2: sink = 1 / sink; break;
	default: *kernel_ptr = 1; break;
	}
	raw_exit(99);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static void __attribute__((noreturn))
worker(unsigned long seed, long calls, int report_fd)
{
	long self = raw_getpid();
	char dir[32];
	long done;
	int fd;

	rng_state = seed * 0x9e3779b97f4a7c15ULL + 1;
	snprintf(dir, sizeof(dir), SANDBOX "/%ld", self);
	if (mkdir(dir, 0755) || chdir(dir))
		raw_exit(120);
	setsid();
	/*
	 * A blocking call on a pipe or socket the worker holds itself
	 * would wait for ever: SIGALRM every TICK_US interrupts it (the
	 * handler does nothing, no SA_RESTART). What the fuzz does to
	 * SIGALRM or the timer afterwards is its business: the parent
	 * kills a worker silent for WORKER_SECONDS.
	 */
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval tick = { { 0, TICK_US }, { 0, TICK_US } };

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &tick, NULL);
	fd = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3; i++)
		if (fd != i)
			dup2(fd, i);
	if (fd > 2)
		close(fd);

	for (done = 0; done < calls;) {
		long a[6], nr, ret;

		nr = rnd_below(50) ? (long)rnd_below(NR_MAX) :
				     (long)rnd_below(100000) - 10;
		if (nr >= 0 && nr < NR_MAX && rules[nr] == NEVER)
			continue;
		if (only_set && (nr < 0 || nr >= NR_MAX || !only[nr]))
			continue;
		/* numbers that only ever said ENOSYS: 1 in 16 of their turns */
		if (nr >= 0 && nr < NR_MAX && enosys[nr] >= 3 && !works[nr] &&
		    rnd_below(16))
			continue;
		for (int i = 0; i < 6; i++)
			a[i] = rnd_arg();
		narrow(nr, a, self);
		ret = raw_syscall6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (raw_getpid() != self)
			raw_exit(0); /* a child made by fork/clone */
		if (++done % REPORT_EVERY == 0 && report_fd >= 0)
			write(report_fd, "\x01", 1); /* REPORT_EVERY more */
		if (done % 997 == 0)
			fork_faulting_child();
		if (ret >= 3 && ret < 64)
			last_fd = ret;
		if (nr >= 0 && nr < NR_MAX) {
			if (ret == -ENOSYS)
				enosys[nr] += enosys[nr] < 255;
			else
				works[nr] = 1;
		}
	}
	raw_exit(0);
}

/* ---- the parent ---- */

/* The number after key in a /proc file of "Key: value" lines. */
static unsigned long proc_value(const char *file, const char *key)
{
	char buf[4096], *p;
	ssize_t n;
	int fd = open(file, O_RDONLY);

	if (fd < 0)
		return (unsigned long)-1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return (unsigned long)-1;
	buf[n] = '\0';
	p = strstr(buf, key);
	if (!p)
		return (unsigned long)-1;
	return strtoul(p + strlen(key), NULL, 10);
}

/*
 * Free memory in kB, counting PID 1's own resident pages as free: code
 * and stack it first touches after the warm-up (the report, the tally)
 * are this program's, not a kernel leak.
 */
static unsigned long free_kb(void)
{
	unsigned long free = proc_value("/proc/meminfo", "MemFree:");
	unsigned long rss = proc_value("/proc/self/status", "VmRSS:");

	if (free == (unsigned long)-1 || rss == (unsigned long)-1)
		return (unsigned long)-1;
	return free + rss;
}

/* Live objects per slab cache, from /proc/slabinfo. */
#define MAX_CACHES 128
struct slab_snapshot {
	int n;
	unsigned long total;
	char name[MAX_CACHES][32];
	unsigned long active[MAX_CACHES];
};

static int slab_snapshot(struct slab_snapshot *snap)
{
	static char buf[16384];
	char *line, *save;
	ssize_t n, len = 0;
	int fd = open("/proc/slabinfo", O_RDONLY);

	memset(snap, 0, sizeof(*snap));
	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#' || !strncmp(line, "slabinfo", 8) ||
		    snap->n == MAX_CACHES)
			continue;
		if (sscanf(line, "%31s %lu", snap->name[snap->n],
			   &snap->active[snap->n]) == 2)
			snap->total += snap->active[snap->n++];
	}
	return 0;
}

/* Print each cache whose live objects changed from a to b. */
static void slab_diff(const struct slab_snapshot *a,
		      const struct slab_snapshot *b)
{
	for (int i = 0; i < b->n; i++) {
		unsigned long before = 0;

		for (int j = 0; j < a->n; j++)
			if (!strcmp(a->name[j], b->name[i]))
				before = a->active[j];
		if (before != b->active[i])
			out("# slab cache %s: %lu -> %lu live objects",
			    b->name[i], before, b->active[i]);
	}
}

/* Remove path and everything below (umounting what the fuzz mounted). */
static void rm_rf(const char *path)
{
	struct stat st;
	DIR *d;

	if (lstat(path, &st))
		return;
	if (!S_ISDIR(st.st_mode)) {
		unlink(path);
		return;
	}
	while (umount2(path, MNT_DETACH) == 0)
		;
	d = opendir(path);
	if (d) {
		struct dirent *e;
		char sub[512];

		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			rm_rf(sub);
		}
		closedir(d);
	}
	rmdir(path);
}

static unsigned long now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

struct tally {
	long calls;	 /* calls reported made (a lower bound) */
	long workers;	 /* started */
	long clean;	 /* finished their calls */
	long signalled;	 /* died by a signal */
	long killed;	 /* silent too long: killed by the parent */
	long orphans;	 /* grandchildren reaped by PID 1 */
	long spawn_errs; /* fork failed */
};

/* Reap everything that is done; returns whether pid is among them. */
static int reap(pid_t pid, int *status, struct tally *t, int block)
{
	int found = 0, st;
	pid_t p;

	while ((p = waitpid(-1, &st, block ? 0 : WNOHANG)) > 0) {
		if (p == pid) {
			found = 1;
			*status = st;
			if (block)
				break;
		} else {
			t->orphans++;
		}
		block = 0;
	}
	return found;
}

static int run_calls(long total, unsigned long seed, long per_worker,
		     struct tally *t)
{
	int pfd[2] = { -1, -1 };
	int have_pipe = pipe(pfd) == 0, barren = 0;

	while (t->calls < total) {
		long calls_before = t->calls;
		unsigned long last = now_s();
		long reports = 0;
		int status = 0;
		pid_t pid;

		pid = fork();
		if (pid < 0) {
			t->spawn_errs++;
			if (t->spawn_errs > 100)
				return -1;
			continue;
		}
		if (pid == 0) {
			if (have_pipe) {
				close(pfd[0]);
				/* out of the way of the small fds fuzzed */
				dup2(pfd[1], 900);
				close(pfd[1]);
			}
			worker(seed + t->workers, per_worker,
			       have_pipe ? 900 : -1);
		}
		t->workers++;
		if (have_pipe)
			fcntl(pfd[0], F_SETFL, O_NONBLOCK);
		for (;;) {
			char buf[256];
			ssize_t n;

			if (have_pipe)
				while ((n = read(pfd[0], buf, sizeof(buf))) >
				       0) {
					reports += n;
					last = now_s();
				}
			if (reap(pid, &status, t, 0))
				break;
			if (now_s() - last > WORKER_SECONDS) {
				if (kill(pid, SIGKILL) == 0) {
					t->killed++;
					reap(pid, &status, t, 1);
					break;
				}
				out("# worker %d silent for %ds and kill() "
				    "failed: errno %d",
				    pid, WORKER_SECONDS, errno);
				return -1;
			}
			usleep(5000);
		}
		if (have_pipe)
			while (read(pfd[0], (char[256]){ 0 }, 256) > 0)
				reports++;
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			t->clean++;
			t->calls += per_worker;
		} else {
			if (WIFSIGNALED(status))
				t->signalled++;
			/* each report byte stands for REPORT_EVERY calls */
			t->calls += have_pipe ? reports * REPORT_EVERY : 0;
		}
		barren = t->calls == calls_before ? barren + 1 : 0;
		if (barren == MAX_BARREN) {
			out("# %d workers in a row made no counted call: the "
			    "calls kill them at once",
			    MAX_BARREN);
			return -1;
		}
		if (t->workers % 50 == 0)
			out("# %ld calls, %ld workers", t->calls, t->workers);
	}
	if (have_pipe) {
		close(pfd[0]);
		close(pfd[1]);
	}
	return 0;
}

/* ---- hostile ELF files ---- */

struct elf_tally {
	long runs, exec_errors, exited, signalled, killed;
};

static int run_elfs(long n, unsigned long seed, struct elf_tally *t)
{
	static unsigned char orig[1 << 20], buf[1 << 20];
	ssize_t size;
	int fd = open("/test/hello", O_RDONLY);

	if (fd < 0) {
		out("# /test/hello: errno %d", errno);
		return -1;
	}
	size = read(fd, orig, sizeof(orig));
	close(fd);
	if (size <= 64) {
		out("# /test/hello: short read %zd", size);
		return -1;
	}
	rng_state = seed * 0x9e3779b97f4a7c15ULL + 7;
	for (long i = 0; i < n; i++) {
		ssize_t len = size;
		int status = 0, muts = 1 + rnd_below(8);
		unsigned long start;
		pid_t pid;

		memcpy(buf, orig, size);
		for (int m = 0; m < muts; m++) {
			/* mostly the headers: ELF header, program headers */
			size_t off = rnd_below(3) ? rnd_below(64 + 56 * 8) :
						    rnd_below(size);

			switch (rnd_below(4)) {
			case 0: buf[off] = rnd(); break;
			case 1: buf[off] ^= 1 << rnd_below(8); break;
			case 2:
				memset(buf + off, rnd_below(2) ? 0xff : 0,
				       off + 8 <= (size_t)size ? 8 : 1);
				break;
			default:
				len = rnd_below(size); /* truncate */
				break;
			}
		}
		fd = open(SANDBOX "/elf", O_WRONLY | O_CREAT | O_TRUNC, 0755);
		if (fd < 0 || write(fd, buf, len) != len) {
			out("# writing " SANDBOX "/elf: errno %d", errno);
			return -1;
		}
		close(fd);
		t->runs++;
		pid = fork();
		if (pid == 0) {
			char *argv[] = { "elf", NULL }, *envp[] = { NULL };
			int nul = open("/dev/null", O_RDWR);

			dup2(nul, 0);
			dup2(nul, 1);
			dup2(nul, 2);
			execve(SANDBOX "/elf", argv, envp);
			raw_exit(200); /* execve refused it */
		}
		if (pid < 0)
			return -1;
		start = now_s();
		while (!reap(pid, &status, (struct tally[1]){ { 0 } }, 0)) {
			if (now_s() - start > 5) {
				if (kill(pid, SIGKILL)) {
					out("# ELF run %ld hangs, kill() errno "
					    "%d",
					    i, errno);
					return -1;
				}
				t->killed++;
				reap(pid, &status, (struct tally[1]){ { 0 } },
				     1);
				status = 0;
				goto next;
			}
			usleep(2000);
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 200)
			t->exec_errors++;
		else if (WIFSIGNALED(status))
			t->signalled++;
		else
			t->exited++;
next:
		if (i && i % 1000 == 0)
			out("# %ld ELF mutations run", i);
	}
	unlink(SANDBOX "/elf");
	return 0;
}

int main(void)
{
	long total = 20000, elfs = 200, per_worker = 2000;
	static struct slab_snapshot slab0, slab1;
	unsigned long seed = 1, free0, free1;
	struct tally t = { 0 };
	struct elf_tally et = { 0 };
	char conf[128] = "";
	int fd, ok_calls, ok_elf, ok_mem;

	fd = open("/fuzz.conf", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, conf, sizeof(conf) - 1);

		conf[n > 0 ? n : 0] = '\0';
		close(fd);
		char list[64] = "";

		sscanf(conf, "%ld %lu %ld %ld %63s", &total, &seed, &elfs,
		       &per_worker, list);
		for (char *p = strtok(list, ","); p; p = strtok(NULL, ",")) {
			long nr = strtol(p, NULL, 10);

			if (nr >= 0 && nr < NR_MAX) {
				only[nr] = 1;
				only_set = 1;
			}
		}
	}
	out("KTAP version 1");
	out("1..3");
	out("# fuzz: %ld calls, seed %lu, %ld ELF mutations, %ld calls per "
	    "worker",
	    total, seed, elfs, per_worker);
	memset(long_path, 'a', sizeof(long_path) - 1);
	set_rules();
	mkdir("/proc", 0555);
	mkdir("/tmp", 01777);
	if (mount("proc", "/proc", "proc", 0, NULL) && errno != EBUSY)
		out("# mount /proc: errno %d", errno);
	scratch = mmap(NULL, SCRATCH_PAGES * 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (scratch == MAP_FAILED ||
	    mprotect(scratch + (SCRATCH_PAGES - 1) * 4096, 4096, PROT_NONE)) {
		out("Bail out! scratch pages: errno %d", errno);
		goto off;
	}

	/*
	 * A warm-up round of both campaigns first: what fills once (this
	 * process's own buffers and page tables, dentries of the fixed
	 * paths) is counted in the baseline, not as a leak.
	 */
	mkdir(SANDBOX, 0755);
	run_calls(per_worker, seed + 1000000, per_worker, &(struct tally){ 0 });
	run_elfs(elfs < 20 ? elfs : 20, seed + 1000000,
		 &(struct elf_tally){ 0 });
	while (waitpid(-1, NULL, 0) > 0)
		;
	rm_rf(SANDBOX);
	free0 = free_kb();
	slab_snapshot(&slab0);

	mkdir(SANDBOX, 0755);
	ok_calls = run_calls(total, seed, per_worker, &t) == 0 &&
		   t.calls >= total;
	out("# calls: %ld made (a lower bound), %ld workers: %ld finished, "
	    "%ld died by a signal, %ld killed when silent; %ld orphans "
	    "reaped; %ld fork failures",
	    t.calls, t.workers, t.clean, t.signalled, t.killed, t.orphans,
	    t.spawn_errs);
	out("%s 1 syscall_fuzz_calls", ok_calls ? "ok" : "not ok");

	ok_elf = run_elfs(elfs, seed, &et) == 0 && et.runs == elfs;
	out("# ELF: %ld run: %ld refused by execve, %ld exited, %ld died by a "
	    "signal, %ld killed after 5 s",
	    et.runs, et.exec_errors, et.exited, et.signalled, et.killed);
	out("%s 2 hostile_elf_mutations", ok_elf ? "ok" : "not ok");

	/* Everything reaped (PID 1 reaps orphans in reap()), files gone. */
	while (waitpid(-1, NULL, 0) > 0)
		;
	rm_rf(SANDBOX);
	free1 = free_kb();
	slab_snapshot(&slab1);
	out("# memory: MemFree + PID 1's VmRSS %lu -> %lu kB, live slab "
	    "objects %lu -> %lu",
	    free0, free1, slab0.total, slab1.total);
	slab_diff(&slab0, &slab1);
	ok_mem = free0 != (unsigned long)-1 && slab0.n && free1 == free0 &&
		 slab1.total == slab0.total;
	out("%s 3 memory_returns_to_baseline", ok_mem ? "ok" : "not ok");
off:
	reboot(RB_POWER_OFF);
	return 1;
}
