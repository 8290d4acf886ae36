// SPDX-License-Identifier: MIT
/*
 * init.c - /init of keel's user-test initramfs: runs each test program
 * in /test (the list below) as a child, nests their KTAP subtests under
 * its own plan, reports each program's exit status as its result, and
 * powers the machine off (reboot(2)), as an init would.
 */
#include <sys/reboot.h>
#include <sys/wait.h>

#include "ktap.h"

static const char *const tests[] = {
	"hello", "syscalls", "fork", "mem", "segv", "files", "time",
	"signals", "proc", "sysmisc", "pipe", "poll", "udp", "nettools",
	"bench", "tty",
};

#define NTESTS (sizeof(tests) / sizeof(tests[0]))

static int run(const char *name)
{
	char path[64];
	int status = 0;
	pid_t pid;

	snprintf(path, sizeof(path), "/test/%s", name);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { path, "arg1", "arg two", NULL };
		char *envp[] = { "KEEL_TEST=1", "HOME=/", NULL };

		execve(path, argv, envp);
		ktap_line("    # execve %s: errno %d", path, errno);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

int main(void)
{
	ktap_line("KTAP version 1");
	ktap_line("1..%d", (int)NTESTS);
	for (unsigned int i = 0; i < NTESTS; i++) {
		int status = run(tests[i]);

		if (status)
			ktap_line("# %s: wait status %#x", tests[i], status);
		ktap_line("%s %u %s", status ? "not ok" : "ok", i + 1,
			  tests[i]);
	}
	reboot(RB_POWER_OFF);
	return 1;
}
