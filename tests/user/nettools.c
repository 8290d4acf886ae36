// SPDX-License-Identifier: MIT
/*
 * nettools.c - Debian's busybox network applets on keel's sockets:
 * `ifconfig eth0` prints the DHCP lease and the MAC through the
 * SIOCGIF* ioctls, `ifconfig` lists the interface, and `ping` (a raw
 * ICMP socket: busybox has no other way) gets answers from slirp's
 * gateway. Each applet runs as a child with its output in a file.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "ktap.h"

#define CASES 4
#define OUT   "/tmp/nettools.out"

static char out[8192];

/* Run busybox APPLET ARGS... with stdout+stderr in OUT; its status. */
static int run(char *const argv[])
{
	int status = -1, fd;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		fd = open(OUT, O_CREAT | O_TRUNC | O_WRONLY, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execv("/bin/busybox", argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	memset(out, 0, sizeof(out));
	fd = open(OUT, O_RDONLY);
	if (fd >= 0) {
		read(fd, out, sizeof(out) - 1);
		close(fd);
	}
	return status;
}

static void check_out(int ok, const char *name)
{
	char *line, *save = NULL;

	if (!ok)
		for (line = strtok_r(out, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			ktap_line("    # | %s", line);
	ktap_result(ok, name, NULL);
}

int main(void)
{
	char *ifc_eth0[] = { "ifconfig", "eth0", NULL };
	char *ifc_all[] = { "ifconfig", NULL };
	char *ping1[] = { "ping", "-c", "1", "10.0.2.2", NULL };
	char *ping3[] = { "ping", "-c", "3", "10.0.2.2", NULL };
	struct sigaction sa = { .sa_handler = SIG_DFL };
	struct itimerval zero = { 0 };
	int st;

	ktap_begin("nettools", CASES);
	mkdir("/tmp", 01777);
	st = run(ifc_eth0);
	check_out(!st && strstr(out, "eth0") &&
			  strstr(out, "HWaddr 52:54:00:12:34:56") &&
			  strstr(out, "inet addr:10.0.2.15") &&
			  strstr(out, "Bcast:10.0.2.255") &&
			  strstr(out, "Mask:255.255.255.0") &&
			  strstr(out, "UP BROADCAST RUNNING") &&
			  strstr(out, "MTU:1500"),
		  "busybox_ifconfig_eth0");
	st = run(ifc_all);
	check_out(!st && strstr(out, "eth0") &&
			  strstr(out, "inet addr:10.0.2.15"),
		  "busybox_ifconfig_lists_eth0");
	st = run(ping1);
	check_out(!st && strstr(out, "from 10.0.2.2: seq=0") &&
			  strstr(out, "1 packets transmitted, 1 packets "
				      "received, 0% packet loss"),
		  "busybox_ping_c1_gateway");
	/* -c 3 paces its requests with SIGALRM from alarm() (glibc's is
	 * setitimer) */
	if (sigaction(SIGALRM, &sa, NULL) ||
	    (syscall(SYS_setitimer, 0, &zero, NULL) < 0 && errno == ENOSYS)) {
		ktap_line("    ok %d busybox_ping_c3_gateway # SKIP no signals "
			  "or setitimer(2) yet (ping -c 3 waits for SIGALRM)",
			  ++ktap_case);
	} else {
		st = run(ping3);
		check_out(!st && strstr(out, "3 packets transmitted, 3 "
					     "packets received"),
			  "busybox_ping_c3_gateway");
	}
	return ktap_end();
}
