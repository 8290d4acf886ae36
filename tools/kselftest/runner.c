// SPDX-License-Identifier: MIT
/*
 * runner.c - /init of the kselftest initramfs (tools/kselftest/build.py,
 * the kselftest tier of make check; docs/userspace.md "Linux's
 * kselftests").
 *
 * Runs each program of /kselftest/list ("DIR/PROG SECONDS [ARG...]" a
 * line, the program at /kselftest/DIR/PROG) the way Linux's
 * run_kselftest.sh does (cd DIR && ./PROG): one KTAP result per program, "ok", "not ok" or
 * "ok ... # SKIP" from its exit status (0, other, 4 = KSFT_SKIP), its
 * output indented under "# " so that its own TAP lines stay inside.
 * A program still running after SECONDS is killed (SIGKILL) and reported
 * as "not ok ... # TIMEOUT". Then the machine powers off.
 *
 * The output goes to a file first (/tmp/out), read back after the
 * program ends, so a program's own plan never mixes with ours.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_TESTS 128
#define MAX_ARGS  8
#define KSFT_SKIP 4

struct test {
	char name[64];
	int seconds;
	char *argv[MAX_ARGS + 2];
};

static struct test tests[MAX_TESTS];
static int ntests;

static void say(const char *fmt, ...)
{
	char buf[1024];
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

static int read_list(void)
{
	static char text[16384];
	char *line, *save;
	ssize_t n;
	int fd = open("/kselftest/list", O_RDONLY);

	if (fd < 0)
		return -errno;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line && ntests < MAX_TESTS;
	     line = strtok_r(NULL, "\n", &save)) {
		struct test *t = &tests[ntests];
		char *word, *wsave;
		int argc = 0;

		word = strtok_r(line, " \t", &wsave);
		if (!word || word[0] == '#')
			continue;
		snprintf(t->name, sizeof(t->name), "%s", word);
		word = strtok_r(NULL, " \t", &wsave);
		t->seconds = word ? atoi(word) : 30;
		t->argv[argc++] = t->name;
		while (argc <= MAX_ARGS &&
		       (word = strtok_r(NULL, " \t", &wsave)))
			t->argv[argc++] = word;
		t->argv[argc] = NULL;
		ntests++;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Print /tmp/out with "# " before each line. */
static void show_output(void)
{
	char buf[4096], line[1024];
	size_t len = 0;
	ssize_t n;
	int fd = open("/tmp/out", O_RDONLY);

	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || len == sizeof(line) - 1) {
				line[len] = '\0';
				say("# %s", line);
				len = 0;
				if (buf[i] == '\n')
					continue;
			}
			line[len++] = buf[i];
		}
	}
	if (len) {
		line[len] = '\0';
		say("# %s", line);
	}
	close(fd);
	unlink("/tmp/out");
}

/* Run t; returns 0 when it could be run to its end or killed. */
static int run(int i, struct test *t)
{
	char dir[sizeof(t->name) + 16], prog[sizeof(t->name) + 4];
	char label[sizeof(t->name) + 4], *slash;
	int status = 0, killed = 0;
	double start = now();
	pid_t pid;

	/* as run_kselftest.sh: cd DIR && ./PROG; labelled "DIR: PROG" */
	snprintf(dir, sizeof(dir), "/kselftest/%.63s", t->name);
	slash = strrchr(dir, '/');
	*slash = '\0';
	snprintf(prog, sizeof(prog), "./%.63s", slash + 1);
	snprintf(label, sizeof(label), "%.*s: %.63s",
		 (int)(strlen(dir) - strlen("/kselftest/")),
		 dir + strlen("/kselftest/"), slash + 1);
	t->argv[0] = prog;
	say("# selftests: %s", label);
	pid = fork();
	if (pid == 0) {
		char *envp[] = { "PATH=/bin", "HOME=/tmp", NULL };
		int fd = open("/tmp/out", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
			_exit(126);
		close(fd);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0 && fd != 0) {
			dup2(fd, 0);
			close(fd);
		}
		if (chdir(dir))
			_exit(126);
		execve(prog, t->argv, envp);
		dprintf(2, "runner: execve %s/%s: %s\n", dir, prog,
			strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		say("not ok %d selftests: %s # fork: %s", i, label,
		    strerror(errno));
		return 0;
	}
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);

		if (w == pid)
			break;
		if (w < 0) {
			show_output();
			say("not ok %d selftests: %s # waitpid: %s", i, label,
			    strerror(errno));
			return 0;
		}
		if (!killed && now() - start > t->seconds) {
			if (kill(pid, SIGKILL)) {
				show_output();
				say("not ok %d selftests: %s # TIMEOUT %d "
				    "seconds, and kill() failed: %s",
				    i, label, t->seconds, strerror(errno));
				return -1;
			}
			killed = 1;
		}
		usleep(20000);
	}
	show_output();
	if (killed)
		say("not ok %d selftests: %s # TIMEOUT %d seconds", i, label,
		    t->seconds);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		say("ok %d selftests: %s", i, label);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == KSFT_SKIP)
		say("ok %d selftests: %s # SKIP", i, label);
	else if (WIFEXITED(status))
		say("not ok %d selftests: %s # exit=%d", i, label,
		    WEXITSTATUS(status));
	else
		say("not ok %d selftests: %s # signal %d", i, label,
		    WTERMSIG(status));
	/* orphans the test left behind */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}

int main(void)
{
	int err;

	mkdir("/proc", 0555);
	mkdir("/tmp", 01777);
	if (mount("proc", "/proc", "proc", 0, NULL))
		say("# runner: mount /proc: %s", strerror(errno));
	err = read_list();
	say("TAP version 13");
	if (err) {
		say("Bail out! /kselftest/list: %s", strerror(-err));
		goto off;
	}
	say("1..%d", ntests);
	for (int i = 0; i < ntests; i++)
		if (run(i + 1, &tests[i]))
			break;
off:
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
