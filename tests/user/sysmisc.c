// SPDX-License-Identifier: MIT
/*
 * sysmisc.c - kernel/sys.c's small calls and their error paths: ids
 * (set/get*id, groups, fs ids, as root and after dropping root),
 * resource limits (RLIMIT_NOFILE enforced by the fd table), prctl,
 * the robust-list head, CPU affinity and getcpu, priorities, syslog,
 * host and domain names, getrusage and times, sysinfo's process count;
 * mremap and madvise (mm/mmap.c) and statx (fs/stat.c).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/times.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "ktap.h"

#define CASES	    89
#define CHILD_CASES 9
#define UNMAPPED    ((void *)0x1000)
#define KERNEL_PTR  ((void *)0xffffffff80100000UL)

static char buf[8192];

static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

static void ids_as_root(void)
{
	uid_t r = 9, e = 9, s = 9;
	gid_t groups[4] = { 5, 6 }, got[4];

	ktap_check(getresuid(&r, &e, &s) == 0 && !r && !e && !s,
		   "getresuid_root");
	ktap_errno(syscall(SYS_getresuid, UNMAPPED, &e, &s), EFAULT,
		   "getresuid_efault");
	ktap_check(setgroups(2, groups) == 0 && getgroups(0, NULL) == 2 &&
			   getgroups(4, got) == 2 && got[0] == 5 && got[1] == 6,
		   "setgroups_getgroups");
	ktap_errno(getgroups(1, got), EINVAL, "getgroups_too_small");
	ktap_errno(syscall(SYS_setgroups, -1, groups), EINVAL,
		   "setgroups_negative");
	ktap_errno(syscall(SYS_setgroups, 2, KERNEL_PTR), EFAULT,
		   "setgroups_efault");
	ktap_errno(syscall(SYS_setuid, -1), EINVAL, "setuid_invalid");
	setgroups(0, NULL);
}

/* In a child: drop root and check the unprivileged rules. */
static int ids_dropped(void)
{
	uid_t r, e, s;
	struct rlimit rl;

	ktap_check(setresgid(10, 11, 12) == 0 && getresgid(&r, &e, &s) == 0 &&
			   r == 10 && e == 11 && s == 12,
		   "setresgid");
	ktap_check(setresuid(1000, 1001, 1002) == 0 &&
			   getresuid(&r, &e, &s) == 0 && r == 1000 &&
			   e == 1001 && s == 1002 && getuid() == 1000 &&
			   geteuid() == 1001,
		   "setresuid");
	ktap_check(slurp("/proc/self/status") > 0 &&
			   strstr(buf, "\nUid:\t1000\t1001\t1002\t1001\n") &&
			   strstr(buf, "\nGid:\t10\t11\t12\t11\n"),
		   "status_shows_ids");
	ktap_errno(setuid(0), EPERM, "setuid_eperm");
	ktap_errno(setresuid(5, -1, -1), EPERM, "setresuid_eperm");
	ktap_check(setreuid(1001, 1000) == 0 && getuid() == 1001 &&
			   geteuid() == 1000 && getresuid(&r, &e, &s) == 0 &&
			   s == 1000,
		   "setreuid_swap");
	ktap_check(syscall(SYS_setfsuid, 7) == 1000 &&
			   syscall(SYS_setfsuid, -1) == 1000,
		   "setfsuid_unprivileged");
	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_max++;
	ktap_errno(setrlimit(RLIMIT_NOFILE, &rl), EPERM, "rlimit_raise_eperm");
	ktap_errno(sethostname("x", 1), EPERM, "sethostname_eperm");
	return ktap_failed;
}

static void ids_child(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0)
		_exit(ids_dropped());
	waitpid(pid, &status, 0);
	ktap_case += CHILD_CASES;
	ktap_failed += !WIFEXITED(status) || WEXITSTATUS(status);
}

static void rlimits(void)
{
	struct rlimit rl, small = { 8, 1024 };
	int fds[8], n = 0, fd;

	ktap_check(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur == 1024 &&
			   rl.rlim_max == 1024 &&
			   getrlimit(RLIMIT_STACK, &rl) == 0 &&
			   rl.rlim_cur == 8 << 20 &&
			   rl.rlim_max == RLIM_INFINITY,
		   "getrlimit_defaults");
	ktap_check(setrlimit(RLIMIT_NOFILE, &small) == 0, "setrlimit_nofile");
	while (n < 8 && (fd = open("/", O_RDONLY)) >= 0)
		fds[n++] = fd;
	ktap_check(n == 5 && errno == EMFILE, "nofile_enforced_emfile");
	ktap_errno(dup2(0, 8), EBADF, "dup2_past_limit_ebadf");
	ktap_errno(fcntl(0, F_DUPFD, 8), EINVAL, "dupfd_past_limit_einval");
	while (n)
		close(fds[--n]);
	small.rlim_cur = 1024;
	setrlimit(RLIMIT_NOFILE, &small);
	small.rlim_cur = 2048;
	ktap_errno(setrlimit(RLIMIT_NOFILE, &small), EINVAL,
		   "rlimit_cur_over_max");
	ktap_errno(syscall(SYS_getrlimit, 99, &rl), EINVAL, "rlimit_resource");
	ktap_errno(syscall(SYS_getrlimit, RLIMIT_CORE, KERNEL_PTR), EFAULT,
		   "getrlimit_efault");
	rl.rlim_cur = rl.rlim_max = 1 << 24;
	ktap_errno(prlimit(0, RLIMIT_NOFILE, &rl, NULL), EPERM,
		   "nofile_over_nr_open");
	ktap_check(prlimit(getpid(), RLIMIT_CORE, NULL, &rl) == 0 &&
			   rl.rlim_cur == 0,
		   "prlimit_reads");
	ktap_errno(prlimit(99999, RLIMIT_CORE, NULL, &rl), ESRCH,
		   "prlimit_esrch");
}

static void prctl_robust(void)
{
	char name[32] = "";
	int sig = 0;
	void *head = NULL;
	size_t len = 0;
	long robust[3];

	ktap_check(prctl(PR_SET_NAME, "abcdefghijklmnopqrs") == 0 &&
			   prctl(PR_GET_NAME, name) == 0 &&
			   !strcmp(name, "abcdefghijklmno"),
		   "prctl_name_truncated");
	ktap_check(prctl(PR_SET_PDEATHSIG, SIGUSR1) == 0 &&
			   prctl(PR_GET_PDEATHSIG, &sig) == 0 && sig == SIGUSR1,
		   "prctl_pdeathsig");
	ktap_errno(prctl(PR_SET_PDEATHSIG, 99), EINVAL, "pdeathsig_einval");
	ktap_errno(prctl(12345, 0), EINVAL, "prctl_unknown_einval");
	ktap_errno(prctl(PR_GET_NAME, KERNEL_PTR), EFAULT, "prctl_efault");
	prctl(PR_SET_PDEATHSIG, 0);
	ktap_check(syscall(SYS_set_robust_list, robust, 24) == 0 &&
			   syscall(SYS_get_robust_list, 0, &head, &len) == 0 &&
			   head == robust && len == 24,
		   "robust_list_stored");
	ktap_errno(syscall(SYS_set_robust_list, robust, 23), EINVAL,
		   "robust_list_len");
	ktap_errno(syscall(SYS_get_robust_list, 99999, &head, &len), ESRCH,
		   "robust_list_esrch");
	ktap_errno(syscall(SYS_get_robust_list, 0, KERNEL_PTR, &len), EFAULT,
		   "robust_list_efault");
}

static void sched_calls(void)
{
	uint64_t mask = 0, one = 1, zero = 0;
	unsigned int cpu = 99, node = 99;
	char path[64];

	ktap_check(syscall(SYS_sched_getaffinity, 0, 8, &mask) == 8 && mask &&
			   (mask & 1),
		   "getaffinity");
	ktap_check(syscall(SYS_sched_setaffinity, 0, 8, &one) == 0 &&
			   syscall(SYS_getcpu, &cpu, &node, NULL) == 0 &&
			   cpu == 0 && node == 0,
		   "setaffinity_moves_to_cpu0");
	syscall(SYS_sched_setaffinity, 0, 8, &mask);
	ktap_errno(syscall(SYS_sched_setaffinity, 0, 8, &zero), EINVAL,
		   "setaffinity_empty");
	ktap_errno(syscall(SYS_sched_getaffinity, 0, 1, &mask), EINVAL,
		   "getaffinity_short");
	ktap_errno(syscall(SYS_sched_getaffinity, 99999, 8, &mask), ESRCH,
		   "getaffinity_esrch");
	ktap_errno(syscall(SYS_sched_getaffinity, 0, 8, KERNEL_PTR), EFAULT,
		   "getaffinity_efault");
	ktap_errno(syscall(SYS_getcpu, UNMAPPED, NULL, NULL), EFAULT,
		   "getcpu_efault");
	snprintf(path, sizeof(path), "/proc/%d/stat", getpid());
	ktap_check(setpriority(PRIO_PROCESS, 0, 5) == 0 &&
			   syscall(SYS_getpriority, PRIO_PROCESS, 0) == 15 &&
			   getpriority(PRIO_PROCESS, getpid()) == 5 &&
			   slurp(path) > 0 && strstr(buf, " 25 5 1 "),
		   "setpriority_nice");
	setpriority(PRIO_PROCESS, 0, 0);
	ktap_errno(setpriority(9, 0, 0), EINVAL, "priority_which_einval");
	ktap_errno(getpriority(PRIO_PROCESS, 99999), ESRCH, "priority_esrch");
}

static void syslog_calls(void)
{
	int size = klogctl(10, NULL, 0), all, after;

	ktap_check(size == 65536, "syslog_size_buffer");
	all = klogctl(3, buf, sizeof(buf));
	ktap_check(all > 100 && all <= (int)sizeof(buf) && buf[all - 1] == '\n',
		   "syslog_read_all");
	ktap_errno(klogctl(3, NULL, 10), EINVAL, "syslog_null_einval");
	ktap_errno(klogctl(3, buf, -1), EINVAL, "syslog_len_einval");
	ktap_errno(klogctl(3, KERNEL_PTR, 100), EFAULT, "syslog_efault");
	ktap_errno(klogctl(99, buf, 10), EINVAL, "syslog_type_einval");
	ktap_errno(klogctl(8, NULL, 0), EINVAL, "console_level_einval");
	ktap_check(klogctl(5, NULL, 0) == 0 &&
			   (after = klogctl(3, buf, sizeof(buf))) >= 0 &&
			   after < all,
		   "syslog_clear");
	ktap_check(klogctl(9, NULL, 0) >= 0, "syslog_size_unread");
}

static void uts(void)
{
	struct utsname u;

	ktap_check(sethostname("keeltest", 8) == 0 &&
			   setdomainname("example", 7) == 0 && uname(&u) == 0 &&
			   !strcmp(u.nodename, "keeltest") &&
			   !strcmp(u.domainname, "example"),
		   "sethostname_uname");
	sethostname("keel", 4);
	ktap_errno(sethostname(buf, 65), EINVAL, "sethostname_too_long");
	ktap_errno(syscall(SYS_sethostname, KERNEL_PTR, 4), EFAULT,
		   "sethostname_efault");
}

/* Spin until the tick has charged user time (at most ~5 s). */
static void burn(void)
{
	struct rusage ru;
	volatile unsigned long x = 0;

	for (int i = 0; i < 5000; i++) {
		for (int j = 0; j < 100000; j++)
			x += j;
		getrusage(RUSAGE_SELF, &ru);
		if (ru.ru_utime.tv_sec || ru.ru_utime.tv_usec >= 20000)
			return;
	}
}

static void times_calls(void)
{
	struct rusage ru;
	struct tms t;
	int status;
	pid_t pid;

	burn();
	ktap_check(getrusage(RUSAGE_SELF, &ru) == 0 &&
			   ru.ru_utime.tv_usec + ru.ru_utime.tv_sec > 0 &&
			   ru.ru_maxrss > 0,
		   "getrusage_self");
	ktap_check(times(&t) > 0 && t.tms_utime >= 2, "times_utime");
	pid = fork();
	if (pid == 0) {
		burn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ktap_check(getrusage(RUSAGE_CHILDREN, &ru) == 0 &&
			   ru.ru_utime.tv_usec + ru.ru_utime.tv_sec > 0 &&
			   times(&t) > 0 && t.tms_cutime >= 2,
		   "children_times");
	ktap_errno(getrusage(5, &ru), EINVAL, "getrusage_einval");
	ktap_errno(getrusage(RUSAGE_SELF, KERNEL_PTR), EFAULT,
		   "getrusage_efault");
	ktap_errno(syscall(SYS_times, KERNEL_PTR), EFAULT, "times_efault");
}

static void memory(void)
{
	long pg = 4096;
	char *a = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	     *b, *c;

	a[0] = 'a';
	a[pg] = 'b';
	b = mremap(a, 2 * pg, 64 * pg, MREMAP_MAYMOVE);
	ktap_check(b != MAP_FAILED && b[0] == 'a' && b[pg] == 'b' &&
			   b[63 * pg] == 0,
		   "mremap_grow_keeps_data");
	ktap_check(mremap(b, 64 * pg, pg, 0) == b && b[0] == 'a',
		   "mremap_shrink_in_place");
	ktap_errno(madvise(b + pg, pg, MADV_NORMAL), ENOMEM,
		   "shrunk_tail_unmapped");
	c = mmap(NULL, 4 * pg, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(c, 4 * pg);
	ktap_check(mremap(b, pg, 2 * pg, MREMAP_MAYMOVE | MREMAP_FIXED, c) ==
				   c &&
			   c[0] == 'a' && c[pg] == 0 &&
			   madvise(b, pg, MADV_NORMAL) == -1,
		   "mremap_fixed_moves");
	ktap_errno(mremap(c + 1, pg, pg, 0), EINVAL, "mremap_unaligned");
	ktap_errno(mremap(UNMAPPED, pg, pg, 0), EFAULT, "mremap_unmapped");
	ktap_errno(mremap(c, pg, pg, 8), EINVAL, "mremap_bad_flags");
	ktap_errno(mremap(c, pg, pg, MREMAP_FIXED, c + 8 * pg), EINVAL,
		   "mremap_fixed_needs_maymove");
	b = mmap(c + 2 * pg, pg, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ktap_errno(mremap(c, 2 * pg, 3 * pg, 0), ENOMEM,
		   "mremap_no_room_enomem");
	ktap_check(madvise(c, 2 * pg, MADV_DONTNEED) == 0 && c[0] == 0,
		   "madvise_dontneed_zeroes");
	ktap_errno(madvise(c, pg, 999), EINVAL, "madvise_bad_advice");
	ktap_errno(madvise(c + 1, pg, MADV_NORMAL), EINVAL,
		   "madvise_unaligned");
	munmap(c, 3 * pg);
}

/* MAP_PRIVATE of a ramfs file: its bytes, copy-on-write, errors. */
static void file_mappings(void)
{
	int fd = open("/tmp/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644), ok = 1;
	int wfd, dfd = open("/", O_RDONLY | O_DIRECTORY);
	char *m, back[16];

	for (int i = 0; i < 5000; i++)
		buf[i % sizeof(buf)] = 'A' + i % 23;
	write(fd, buf, 5000);
	m = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
	for (int i = 0; m != MAP_FAILED && i < 8192; i++)
		ok &= m[i] == (i < 5000 ? 'A' + i % 23 : 0);
	ktap_check(m != MAP_FAILED && ok, "mmap_file_reads_its_bytes");
	munmap(m, 8192);
	m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 4096);
	ktap_check(m != MAP_FAILED && m[0] == 'A' + 4096 % 23 &&
			   m[903] == 'A' + 4999 % 23 && m[904] == 0,
		   "mmap_file_offset");
	if (m != MAP_FAILED)
		m[0] = '!';
	ktap_check(m != MAP_FAILED && m[0] == '!' &&
			   pread(fd, back, 1, 4096) == 1 &&
			   back[0] == 'A' + 4096 % 23,
		   "mmap_private_write_is_private");
	munmap(m, 4096);
	ktap_errno(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0), ENODEV,
		   "mmap_shared_file_enodev");
	ktap_errno(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 99, 0), EBADF,
		   "mmap_bad_fd_ebadf");
	wfd = open("/tmp/mapped", O_WRONLY);
	ktap_errno(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, wfd, 0), EACCES,
		   "mmap_writeonly_eacces");
	ktap_errno(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, dfd, 0), ENODEV,
		   "mmap_directory_enodev");
	close(wfd);
	close(dfd);
	close(fd);
	unlink("/tmp/mapped");
}

struct statx_buf {
	uint32_t mask, blksize;
	uint64_t attributes;
	uint32_t nlink, uid, gid;
	uint16_t mode, pad;
	uint64_t ino, size, blocks, attributes_mask;
	uint64_t times[8];
	uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
	uint64_t spare[14];
};

static void statx_calls(void)
{
	struct statx_buf sx;
	struct stat st;
	int fd = open("/test/sysmisc", O_RDONLY);

	ktap_check(sizeof(sx) == 256 &&
			   syscall(SYS_statx, AT_FDCWD, "/test/sysmisc", 0,
				   0x7ff, &sx) == 0 &&
			   stat("/test/sysmisc", &st) == 0 &&
			   (sx.mask & 0x7ff) == 0x7ff &&
			   sx.size == (uint64_t)st.st_size &&
			   sx.ino == st.st_ino && sx.mode == st.st_mode,
		   "statx_matches_stat");
	ktap_check(syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, &sx) == 0 &&
			   sx.ino == st.st_ino,
		   "statx_empty_path");
	close(fd);
	ktap_errno(syscall(SYS_statx, AT_FDCWD, "/nonexistent", 0, 0x7ff, &sx),
		   ENOENT, "statx_enoent");
	ktap_errno(syscall(SYS_statx, AT_FDCWD, "/", 0x6000, 0x7ff, &sx),
		   EINVAL, "statx_sync_flags_einval");
	ktap_errno(syscall(SYS_statx, AT_FDCWD, "/", 0, 0x7ff, KERNEL_PTR),
		   EFAULT, "statx_efault");
}

static void sysinfo_procs(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	struct sysinfo si;
	int n = 0;

	while (d && (e = readdir(d)) != NULL)
		n += atoi(e->d_name) > 0;
	if (d)
		closedir(d);
	ktap_check(sysinfo(&si) == 0 && si.procs == n && n >= 3,
		   "sysinfo_procs_counts_tasks");
}

int main(void)
{
	ktap_begin("sysmisc", CASES);
	mkdir("/proc", 0555);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	ids_as_root();
	ids_child();
	rlimits();
	prctl_robust();
	sched_calls();
	syslog_calls();
	uts();
	times_calls();
	memory();
	file_mappings();
	statx_calls();
	sysinfo_procs();
	umount("/proc");
	return ktap_end();
}
