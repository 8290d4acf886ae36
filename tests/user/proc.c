// SPDX-License-Identifier: MIT
/*
 * proc.c - /proc as programs see it (fs/proc/): /proc/self, the files of
 * /proc/PID/ compared with what the process knows of itself (pid,
 * ppid, ids, name, argv, cwd, open fds, memory), the system files
 * (loadavg, stat, version, filesystems, net/dev, meminfo), error paths
 * (a pid that does not exist, a closed fd, comm of another process);
 * then Debian's busybox (if the initramfs has /bin/busybox) runs ps,
 * top -b -n 1, free, uptime, mount, df and dmesg, and their output is
 * checked against the same facts.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <signal.h>
#include <time.h>

#include "ktap.h"

#define CASES	33
#define BUSYBOX "/bin/busybox"

static char buf[65536];

/* The whole of path into buf (NUL-terminated); length or -1. */
static long slurp(const char *path)
{
	int fd = open(path, O_RDONLY);
	long n = 0, r;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + n, sizeof(buf) - 1 - n)) > 0)
		n += r;
	close(fd);
	buf[n] = '\0';
	return r < 0 ? -1 : n;
}

/* The value after "key" in buf (a line "key\tvalue..."), or NULL. */
static const char *field(const char *key)
{
	const char *p = strstr(buf, key);

	return p ? p + strlen(key) : NULL;
}

static void self_and_stat(void)
{
	char path[64], link[64];
	long n = readlink("/proc/self", link, sizeof(link) - 1);
	int pid, ppid, pgrp, sess, nthreads, fields = 0;
	char comm[32], state;
	unsigned long long start, vsize;
	long rss, nice;
	char *p;

	link[n > 0 ? n : 0] = '\0';
	ktap_check(n > 0 && atoi(link) == getpid(), "self_is_my_pid");

	prctl(PR_SET_NAME, "proctest");
	ktap_check(slurp("/proc/self/stat") > 0 &&
			   sscanf(buf, "%d (%31[^)]) %c %d %d %d", &pid, comm,
				  &state, &ppid, &pgrp, &sess) == 6 &&
			   pid == getpid() && !strcmp(comm, "proctest") &&
			   state == 'R' && ppid == getppid(),
		   "stat_pid_comm_state_ppid");
	for (p = buf; *p; p++)
		fields += *p == ' ';
	ktap_check(fields == 51 && buf[strlen(buf) - 1] == '\n',
		   "stat_has_52_fields");
	p = strrchr(buf, ')') + 2;
	/* fields 19 nice, 20 threads, 22 starttime, 23 vsize, 24 rss */
	ktap_check(sscanf(p,
			  "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u "
			  "%*u %*d %*d %*d %ld %d %*d %llu %llu %ld",
			  &nice, &nthreads, &start, &vsize, &rss) == 5 &&
			   nice == 0 && nthreads == 1 && vsize > 0 && rss > 0,
		   "stat_nice_threads_vsize_rss");
	snprintf(path, sizeof(path), "/proc/%d/status", getpid());
	ktap_check(slurp(path) > 0 && !strncmp(buf, "Name:\tproctest\n", 15) &&
			   field("\nPid:\t") &&
			   atoi(field("\nPid:\t")) == getpid() &&
			   atoi(field("\nPPid:\t")) == getppid() &&
			   field("\nUid:\t0\t0\t0\t0\n") &&
			   field("\nVmRSS:\t") && field("\nThreads:\t1\n") &&
			   field("\nState:\tR (running)\n"),
		   "status_fields");
	ktap_check(slurp("/proc/self/comm") == 9 && !strcmp(buf, "proctest\n"),
		   "comm_reads_name");
}

static void on_term(int sig)
{
	(void)sig;
}

/* SigPnd, SigBlk, SigIgn, SigCgt and stat's fields 31-34 and 38. */
static void signal_masks(void)
{
	unsigned long pnd, blk, ign, cgt, sp, sb, si, sc;
	unsigned long usr1 = 1UL << (SIGUSR1 - 1), usr2 = 1UL << (SIGUSR2 - 1);
	unsigned long term = 1UL << (SIGTERM - 1);
	struct sigaction sa = { .sa_handler = on_term };
	sigset_t set, old;
	int exit_sig = 0;
	char *p;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	signal(SIGUSR2, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	kill(getpid(), SIGUSR1); /* blocked: stays pending */
	ktap_check(slurp("/proc/self/status") > 0 && field("\nSigPnd:\t") &&
			   sscanf(field("\nSigPnd:\t"), "%lx", &pnd) == 1 &&
			   sscanf(field("\nSigBlk:\t"), "%lx", &blk) == 1 &&
			   sscanf(field("\nSigIgn:\t"), "%lx", &ign) == 1 &&
			   sscanf(field("\nSigCgt:\t"), "%lx", &cgt) == 1 &&
			   pnd == usr1 && (blk & usr1) && (ign & usr2) &&
			   (cgt & term) && !(cgt & usr2),
		   "status_signal_masks");
	ktap_check(slurp("/proc/self/stat") > 0 && (p = strrchr(buf, ')')) &&
			   sscanf(p + 2,
				  "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
				  "%*u %*u %*u %*d %*d %*d %*d %*d %*d %*u "
				  "%*u %*d %*u %*u %*u %*u %*u %*u %lu %lu "
				  "%lu %lu %*u %*u %*u %d",
				  &sp, &sb, &si, &sc, &exit_sig) == 5 &&
			   sp == usr1 && sb == blk && si == ign && sc == cgt &&
			   exit_sig == SIGCHLD,
		   "stat_signal_fields");
	signal(SIGUSR1, SIG_IGN); /* drops the pending one */
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

static void cmdline_and_links(char **argv)
{
	char link[256], want[256];
	long n = slurp("/proc/self/cmdline"), want_len = 0;
	int fd;

	for (char **a = argv; *a; a++) {
		strcpy(want + want_len, *a);
		want_len += strlen(*a) + 1;
	}
	ktap_check(n == want_len && !memcmp(buf, want, n), "cmdline_is_argv");
	n = readlink("/proc/self/exe", link, sizeof(link) - 1);
	link[n > 0 ? n : 0] = '\0';
	ktap_check(n > 0 && !strcmp(link, argv[0]), "exe_is_my_binary");
	ktap_check(chdir("/test") == 0 &&
			   (n = readlink("/proc/self/cwd", link,
					 sizeof(link) - 1)) == 5 &&
			   !memcmp(link, "/test", 5),
		   "cwd_follows_chdir");
	chdir("/");
	fd = open("/test", O_RDONLY | O_DIRECTORY);
	snprintf(want, sizeof(want), "/proc/self/fd/%d", fd);
	n = readlink(want, link, sizeof(link) - 1);
	ktap_check(fd >= 3 && n == 5 && !memcmp(link, "/test", 5),
		   "fd_link_names_the_file");
	close(fd);
	ktap_errno(readlink(want, link, sizeof(link)), ENOENT,
		   "closed_fd_is_gone");
}

static void listing(void)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int me = 0, init = 0, self = 0, fds = 0;

	while (d && (e = readdir(d)) != NULL) {
		me += atoi(e->d_name) == getpid();
		init += !strcmp(e->d_name, "1");
		self += !strcmp(e->d_name, "self");
	}
	if (d)
		closedir(d);
	ktap_check(me == 1 && init == 1 && self == 1, "readdir_lists_pids");
	d = opendir("/proc/self/fd");
	while (d && (e = readdir(d)) != NULL)
		fds += e->d_name[0] != '.';
	if (d)
		closedir(d);
	/* 0, 1, 2 and the directory itself */
	ktap_check(fds == 4, "fd_dir_lists_open_fds");
	ktap_errno(open("/proc/99999/stat", O_RDONLY), ENOENT,
		   "no_such_pid_enoent");
}

/* A child that exits at once leaves a zombie /proc/PID until reaped. */
static void zombie_and_comm(void)
{
	char path[64];
	pid_t pid = fork();
	int status, fd;

	if (pid == 0)
		_exit(7);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (int i = 0; i < 100; i++) {
		struct timespec t = { 0, 10000000 };

		if (slurp(path) > 0 && strstr(buf, ") Z "))
			break;
		nanosleep(&t, NULL);
	}
	ktap_check(strstr(buf, ") Z ") != NULL, "zombie_state_z");
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	fd = open(path, O_WRONLY);
	ktap_errno(write(fd, "x", 1), EINVAL, "comm_of_other_einval");
	close(fd);
	waitpid(pid, &status, 0);
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	ktap_errno(open(path, O_RDONLY), ENOENT, "reaped_pid_gone");
	fd = open("/proc/self/comm", O_WRONLY);
	ktap_check(write(fd, "renamed\n", 8) == 8 &&
			   slurp("/proc/self/comm") > 0 &&
			   !strcmp(buf, "renamed\n\n"),
		   "comm_write_renames");
	close(fd);
}

static void system_files(void)
{
	double l1, l5, l15;
	int run, total, last;
	struct sysinfo si;

	ktap_check(slurp("/proc/loadavg") > 0 &&
			   sscanf(buf, "%lf %lf %lf %d/%d %d", &l1, &l5, &l15,
				  &run, &total, &last) == 6 &&
			   run >= 1 && total >= 2 && last >= getpid(),
		   "loadavg_format");
	ktap_check(slurp("/proc/stat") > 0 && !strncmp(buf, "cpu  ", 5) &&
			   field("\ncpu0 ") && field("\nctxt ") &&
			   field("\nprocesses ") &&
			   atoi(field("\nprocesses ")) >= getpid() &&
			   field("\nprocs_running "),
		   "stat_format");
	ktap_check(slurp("/proc/version") > 0 &&
			   !strncmp(buf, "keel version ", 13),
		   "version");
	ktap_check(slurp("/proc/filesystems") > 0 && field("nodev\tproc\n") &&
			   field("nodev\tramfs\n"),
		   "filesystems");
	ktap_check(slurp("/proc/net/dev") > 0 &&
			   !strncmp(buf, "Inter-|   Receive", 17),
		   "net_dev_header");
	sysinfo(&si);
	ktap_check(slurp("/proc/meminfo") > 0 &&
			   strtoul(field("MemTotal:"), NULL, 10) ==
				   si.totalram * si.mem_unit / 1024,
		   "meminfo_matches_sysinfo");
}

/* Run busybox applet argv with stdout in a file; its text in buf. */
static int busybox(char *const argv[])
{
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/tmp/bbout", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(fd, 1);
		dup2(fd, 2);
		execv(BUSYBOX, argv);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	slurp("/tmp/bbout");
	return status;
}

/* A line of buf that starts (after blanks) with pid and contains s. */
static int ps_line(int pid, const char *s)
{
	for (char *l = buf; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		char *end = strchr(l, '\n');
		char line[256];
		size_t n = end ? (size_t)(end - l) : strlen(l);

		if (n >= sizeof(line))
			continue;
		memcpy(line, l, n);
		line[n] = '\0';
		if (atoi(line) == pid && strstr(line, s))
			return 1;
	}
	return 0;
}

static void busybox_applets(void)
{
	unsigned long total, used, free_, memtotal;
	struct sysinfo si;
	char *ps[] = { "ps", NULL }, *top[] = { "top", "-b", "-n", "1", NULL };
	char *fr[] = { "free", NULL }, *up[] = { "uptime", NULL };
	char *mnt[] = { "mount", NULL }, *df[] = { "df", "-a", NULL };
	char *dm[] = { "dmesg", NULL };
	const char *p;

	if (access(BUSYBOX, X_OK)) {
		for (int i = 0; i < 7; i++)
			ktap_line("    ok %d busybox # SKIP no %s", ++ktap_case,
				  BUSYBOX);
		return;
	}
	slurp("/proc/meminfo");
	memtotal = strtoul(field("MemTotal:"), NULL, 10);
	prctl(PR_SET_NAME, "proctest");
	ktap_check(busybox(ps) == 0 && strstr(buf, "PID") &&
			   ps_line(1, "/init") &&
			   ps_line(getpid(), "/test/proc arg1 arg two"),
		   "busybox_ps_lists_processes");
	ktap_check(busybox(top) == 0 && (p = strstr(buf, "Mem: ")) != NULL &&
			   sscanf(p, "Mem: %luK used, %luK free", &used,
				  &free_) == 2 &&
			   used + free_ == memtotal &&
			   strstr(buf, "Load average: ") &&
			   ps_line(getpid(), "/test/proc"),
		   "busybox_top_batch");
	sysinfo(&si);
	ktap_check(busybox(fr) == 0 && (p = strstr(buf, "Mem:")) != NULL &&
			   sscanf(p, "Mem: %lu", &total) == 1 &&
			   total == memtotal,
		   "busybox_free_total");
	ktap_check(busybox(up) == 0 && strstr(buf, " up ") &&
			   strstr(buf, "load average: "),
		   "busybox_uptime");
	ktap_check(busybox(mnt) == 0 &&
			   strstr(buf, "proc on /proc type proc (rw)") &&
			   strstr(buf, "rootfs on / type ramfs (rw)"),
		   "busybox_mount");
	ktap_check(busybox(df) == 0 && strstr(buf, "Filesystem") &&
			   strstr(buf, " /proc\n"),
		   "busybox_df");
	ktap_check(busybox(dm) == 0 && strlen(buf) > 100 &&
			   strstr(buf, "unimplemented syscall"),
		   "busybox_dmesg_reads_log");
}

int main(int argc, char **argv)
{
	(void)argc;
	ktap_begin("proc", CASES);
	mkdir("/proc", 0555);
	mkdir("/tmp", 01777);
	if (mount("proc", "/proc", "proc", 0, NULL)) {
		ktap_line("    # mount /proc: errno %d", errno);
		return 1;
	}
	self_and_stat();
	signal_masks();
	cmdline_and_links(argv);
	listing();
	zombie_and_comm();
	system_files();
	busybox_applets();
	umount("/proc");
	return ktap_end();
}
