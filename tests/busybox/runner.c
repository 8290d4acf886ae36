// SPDX-License-Identifier: MIT
/*
 * runner.c - init for the busybox script suite (tests/busybox/, the
 * "busybox" tier of tests/check.py; docs/userspace.md): boot keel with
 * init=/bbtest/runner and the initramfs that make initramfs builds.
 *
 * It mounts /proc, then for each script named in /bbtest/LIST makes an
 * empty directory /tmp/bb/NAME and runs the script there as
 * sh -c "$(cat /bbtest/NAME.sh)" NAME (so $0 and the shell's error
 * messages read the same as on the host, tests/busybox/gen-expected),
 * stdin on /dev/null, stdout and stderr on one pipe; it copies every
 * line the script prints to the
 * console as "bb:NAME:|LINE", one write(2) each, then
 * "bb:NAME:exit STATUS". The host compares those lines with
 * tests/busybox/NAME.expected. A script that prints nothing for
 * IDLE_SECS is reported as "bb:NAME:timeout" and left behind. At the
 * end the machine powers off.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define IDLE_SECS 30

static void out(const char *name, const char *what, const char *line,
		size_t len)
{
	char buf[1200];
	int n = snprintf(buf, sizeof(buf), "bb:%s:%s%.*s\n", name, what,
			 (int)len, line);

	if (n > (int)sizeof(buf) - 1)
		n = sizeof(buf) - 1;
	write(1, buf, n);
}

/* Copy the script's output line by line; 0 at EOF, -1 if it stalls. */
static int relay(const char *name, int fd)
{
	static char line[1024];
	size_t len = 0;

	for (;;) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		char c;
		ssize_t n;

		if (poll(&pf, 1, IDLE_SECS * 1000) == 0) {
			if (len)
				out(name, "|", line, len);
			return -1;
		}
		n = read(fd, &c, 1);
		if (n <= 0)
			break;
		if (c == '\n' || len == sizeof(line)) {
			out(name, "|", line, len);
			len = 0;
			if (c == '\n')
				continue;
		}
		line[len++] = c;
	}
	if (len) /* a last line without its newline */
		out(name, "|", line, len);
	return 0;
}

/* The script's text, NUL-terminated (static: one at a time). */
static char *read_script(const char *path)
{
	static char text[64 * 1024];
	int fd = open(path, O_RDONLY);
	ssize_t n, len = 0;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = 0;
	return text;
}

static void run(const char *name)
{
	char dir[128], script[128], status_s[32];
	int p[2], status = -1;
	char *text;
	pid_t pid;

	snprintf(dir, sizeof(dir), "/tmp/bb/%s", name);
	snprintf(script, sizeof(script), "/bbtest/%s.sh", name);
	mkdir("/tmp", 01777);
	mkdir("/tmp/bb", 0755);
	text = read_script(script);
	if (!text || mkdir(dir, 0755) || pipe(p)) {
		out(name, "error ", strerror(errno), strlen(strerror(errno)));
		return;
	}
	pid = fork();
	if (pid == 0) {
		char *argv[] = { "sh", "-c", text, (char *)name, NULL };
		char *envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/",
				 "LC_ALL=C", NULL };
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		if (chdir(dir))
			_exit(126);
		execve("/bin/sh", argv, envp);
		_exit(127);
	}
	close(p[1]);
	if (relay(name, p[0])) {
		out(name, "timeout", "", 0);
		close(p[0]);
		return;
	}
	close(p[0]);
	waitpid(pid, &status, 0);
	snprintf(status_s, sizeof(status_s), "%d",
		 WIFEXITED(status) ? WEXITSTATUS(status) :
				     128 + WTERMSIG(status));
	out(name, "exit ", status_s, strlen(status_s));
}

int main(void)
{
	FILE *list = fopen("/bbtest/LIST", "r");
	char name[64];

	mount("proc", "/proc", "proc", 0, NULL); /* ps; fine if it fails */
	write(1, "bb-runner: start\n", 17);
	while (list && fgets(name, sizeof(name), list)) {
		name[strcspn(name, "\n")] = 0;
		if (name[0] && name[0] != '#')
			run(name);
	}
	write(1, "bb-runner: done\n", 16);
	reboot(RB_POWER_OFF);
	return 1;
}
