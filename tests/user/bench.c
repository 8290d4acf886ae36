// SPDX-License-Identifier: MIT
/*
 * bench.c - tools/ubench runs on keel: every figure `ubench --list`
 * claims comes out of a `ubench --quick` run (the Makefile puts both
 * under /test) either as a measured value or as honestly unavailable
 * (error=ENOSYS: the call it names does not exist yet; a KTAP SKIP
 * with that call). Any other error, a missing or duplicated figure, a
 * malformed line or a non-zero exit fails. Nothing here is timed: only
 * that the values are there, positive and min <= median.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ktap.h"

#define MAX_FIGURES 32
#define OUT_SIZE    8192

static char names[MAX_FIGURES][40];
static int nnames;

/* run /test/ubench ARG with stdout in file; its wait status or -1 */
static int ubench(const char *arg, const char *file, char *buf, size_t size)
{
	char *argv[] = { "/test/ubench", (char *)arg, NULL };
	char *envp[] = { NULL };
	int fd, status;
	long n;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(126);
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	fd = open(file, O_RDONLY);
	n = fd < 0 ? 0 : read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	return status;
}

/* CPUs this process may run on (sched_getaffinity), 0 if unknown. */
static int online_cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 0;
	return CPU_COUNT(&set);
}

static void skip(const char *name, const char *why)
{
	ktap_case++;
	ktap_line("    ok %d %s # SKIP not available: %s", ktap_case, name,
		  why);
}

/* The UBENCH line of name in out, or NULL; *count says how many. */
static const char *find(const char *out, const char *name, int *count)
{
	char key[64];
	const char *p = out, *first = NULL;

	snprintf(key, sizeof(key), "UBENCH name=%s ", name);
	*count = 0;
	while ((p = strstr(p, key))) {
		if (p == out || p[-1] == '\n') {
			first = first ? first : p;
			(*count)++;
		}
		p += strlen(key);
	}
	return first;
}

static void check_figure(const char *out, const char *name)
{
	char why[160], err[32], call[32];
	double value, min;
	long iters;
	int reps, count;
	const char *line = find(out, name, &count);
	const char *rest =
		line ? line + strlen("UBENCH name= ") + strlen(name) : NULL;

	if (count != 1) {
		snprintf(why, sizeof(why), "%d lines for this figure, want 1",
			 count);
		ktap_result(0, name, why);
		return;
	}
	if (sscanf(rest, "value=%lf unit=ns min=%lf iters=%ld reps=%d", &value,
		   &min, &iters, &reps) == 4) {
		snprintf(why, sizeof(why),
			 "value=%g min=%g iters=%ld reps=%d: want 0 < min <= "
			 "value, iters and reps > 0",
			 value, min, iters, reps);
		ktap_result(min > 0 && min <= value && iters > 0 && reps > 0,
			    name, why);
	} else if (sscanf(rest, "error=%31s call=%31s", err, call) == 2) {
		snprintf(why, sizeof(why), "%s from %s", err, call);
		if (!strcmp(err, "ENOSYS"))
			skip(name, why);
		else if (strstr(name, "cross_cpu") && online_cpus() < 2)
			skip(name, "one CPU: no other CPU to pin to");
		else
			ktap_result(0, name, why);
	} else if (!strcmp(name, "udp_echo") &&
		   !strncmp(rest, "server=ready ", 13)) {
		/* the round trip itself is the host's (make bench-linux) */
		ktap_result(1, name, NULL);
	} else {
		snprintf(why, sizeof(why), "malformed: %.100s", rest);
		ktap_result(0, name, why);
	}
}

int main(void)
{
	static char list[OUT_SIZE], out[OUT_SIZE];
	int status, lstatus;
	char *p;

	mkdir("/tmp", 01777);
	lstatus = ubench("--list", "/tmp/ubench-list", list, sizeof(list));
	for (p = list; (p = strstr(p, "UBENCH-LIST ")) && nnames < MAX_FIGURES;
	     p++)
		sscanf(p, "UBENCH-LIST %39s", names[nnames++]);
	status = ubench("--quick", "/tmp/ubench-quick", out, sizeof(out));

	ktap_begin("bench", nnames + 3);
	ktap_check(lstatus == 0 && nnames >= 10, "ubench_lists_its_figures");
	ktap_check(status == 0, "ubench_quick_exits_0");
	ktap_check(strstr(out, "UBENCH-END failed="), "ubench_quick_finishes");
	for (int i = 0; i < nnames; i++)
		check_figure(out, names[i]);
	return ktap_end();
}
