// SPDX-License-Identifier: MIT
/*
 * init.c - /init of the benchmark initramfs (tools/ubench/bench_linux.py),
 * the same static binary on keel and on Linux:
 *
 *  1. prints UBENCH-INIT (the harness times QEMU start to this line);
 *  2. on Linux only: mounts devtmpfs (/dev/null, /dev/zero; should
 *     Linux have found no /dev/console, this is done first, to get
 *     fds 0-2), proc and sysfs, loads the NIC driver
 *     (/lib/modules/e1000.ko, finit_module) and configures eth0 as
 *     10.0.2.15/24 with busybox ifconfig; keel
 *     has its driver built in and gets the address from ip= on its
 *     command line;
 *  3. runs `/bin/sh -c 'echo UBENCH-SHELL-READY'` (boot to a shell);
 *  4. runs /bin/ubench with the arguments in /etc/ubench-args;
 *  5. runs /bin/ubench --udp-echo 7777 until the host sends "quit" (or
 *     the kernel has no UDP sockets: it says so and returns);
 *  6. powers off with reboot(2).
 * Each step's failure is printed and the next step still runs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_ARGS 16

static void say(const char *s)
{
	if (write(1, s, strlen(s)) < 0)
		return;
}

static void console(void)
{
	int fd;

	if (fcntl(1, F_GETFD) >= 0)
		return;
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd < 0)
		return;
	while (fd < 2)
		fd = dup(fd);
	if (fd > 2)
		close(fd);
}

/* fork, execve argv, wait; the wait status, or -1 */
static int run(char *const argv[])
{
	char *envp[] = { "PATH=/bin:/sbin:/usr/bin:/usr/sbin", "HOME=/", NULL };
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		execve(argv[0], argv, envp);
		printf("UBENCH-INIT-ERROR execve %s errno %d\n", argv[0],
		       errno);
		fflush(stdout);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

static void linux_setup(void)
{
	char *ifconfig[] = { "/bin/busybox", "ifconfig", "eth0",
			     "10.0.2.15",    "netmask",	 "255.255.255.0",
			     "up",	     NULL };
	int fd;

	/* Linux's built-in initramfs has /dev/console, not null or zero */
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	fd = open("/lib/modules/e1000.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, "", 0))
		printf("UBENCH-INIT-ERROR e1000.ko: errno %d\n", errno);
	if (fd >= 0)
		close(fd);
	fflush(stdout);
	if (run(ifconfig))
		say("UBENCH-INIT-ERROR ifconfig eth0 failed\n");
}

/* argv for ubench: /bin/ubench then the words of /etc/ubench-args */
static void ubench_args(char **argv, char *buf, size_t size)
{
	int fd = open("/etc/ubench-args", O_RDONLY), n = 1;
	long len = fd < 0 ? 0 : read(fd, buf, size - 1);

	if (fd >= 0)
		close(fd);
	buf[len > 0 ? len : 0] = 0;
	argv[0] = "/bin/ubench";
	for (char *w = strtok(buf, " \t\n"); w && n < MAX_ARGS - 1;
	     w = strtok(NULL, " \t\n"))
		argv[n++] = w;
	argv[n] = NULL;
}

int main(void)
{
	char *shell[] = { "/bin/sh", "-c", "echo UBENCH-SHELL-READY", NULL };
	char *echo[] = { "/bin/ubench", "--udp-echo", "7777", NULL };
	char *argv[MAX_ARGS], buf[256];
	struct utsname u;

	console();
	say("UBENCH-INIT\n");
	if (!uname(&u) && !strcmp(u.sysname, "Linux"))
		linux_setup();
	printf("UBENCH-KERNEL %s %s %s\n", u.sysname, u.release, u.version);
	fflush(stdout);
	if (run(shell))
		say("UBENCH-INIT-ERROR /bin/sh failed\n");
	ubench_args(argv, buf, sizeof(buf));
	if (run(argv))
		say("UBENCH-INIT-ERROR ubench failed\n");
	run(echo);
	say("UBENCH-POWEROFF\n");
	sync();
	reboot(RB_POWER_OFF);
	return 1;
}
