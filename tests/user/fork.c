// SPDX-License-Identifier: MIT
/*
 * fork.c - processes: fork returns twice, the child's memory is a copy,
 * wait4 reaps with the exit status, WNOHANG, many children, vfork and
 * clone(SIGCHLD) as fork, a child that execs, orphans.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "ktap.h"

static int counter = 5;

static void fork_and_wait(void)
{
	int status = 0;
	pid_t me = getpid(), pid = fork();

	if (pid == 0) {
		counter = 99;
		_exit(getppid() == me && getpid() != me ? 42 : 1);
	}
	ktap_check(pid > 0 && waitpid(pid, &status, 0) == pid,
		   "fork_and_wait4_pid");
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 42,
		   "child_exit_status_and_ppid");
	ktap_check(counter == 5, "child_memory_is_a_copy");
}

static void many_children(void)
{
	int reaped = 0, sum = 0, status;
	pid_t pid;

	for (int i = 0; i < 20; i++)
		if (fork() == 0)
			_exit(i);
	while ((pid = wait(&status)) > 0) {
		reaped++;
		sum += WEXITSTATUS(status);
	}
	ktap_check(reaped == 20 && sum == 190 && errno == ECHILD,
		   "twenty_children_reaped");
}

static void wnohang(void)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		for (int i = 0; i < 200; i++)
			sched_yield();
		_exit(3);
	}
	ktap_check(waitpid(pid, &status, WNOHANG) == 0 ||
			   WEXITSTATUS(status) == 3,
		   "wnohang_returns_zero_while_running");
	waitpid(pid, &status, 0);
	ktap_check(WEXITSTATUS(status) == 3, "then_reaped");
	ktap_errno(waitpid(pid, &status, 0), ECHILD, "reaped_only_once");
}

static void vfork_and_clone(void)
{
	int status = 0;
	pid_t pid = vfork();

	if (pid == 0)
		_exit(7);
	ktap_check(pid > 0 && waitpid(pid, &status, 0) == pid &&
			   WEXITSTATUS(status) == 7,
		   "vfork");
	pid = syscall(SYS_clone, SIGCHLD, 0, NULL, NULL, 0);
	if (pid == 0)
		_exit(8);
	ktap_check(pid > 0 && waitpid(pid, &status, 0) == pid &&
			   WEXITSTATUS(status) == 8,
		   "clone_sigchld_is_fork");
	ktap_errno(syscall(SYS_clone, CLONE_VM | CLONE_THREAD | CLONE_SIGHAND,
			   0, NULL, NULL, 0),
		   EINVAL, "clone_thread_refused");
}

static void fork_exec(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		char *argv[] = { "/test/hello", "arg1", "arg two", NULL };
		char *envp[] = { "KEEL_TEST=1", "KTAP_SILENT=1", NULL };
		execve(argv[0], argv, envp);
		_exit(127);
	}
	ktap_check(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			   WEXITSTATUS(status) == 0,
		   "fork_exec_hello_exits_0");
}

static void orphan(void)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		if (fork() == 0) { /* the grandchild outlives its parent */
			for (int i = 0; i < 50; i++)
				sched_yield();
			_exit(0);
		}
		_exit(5);
	}
	ktap_check(waitpid(pid, &status, 0) == pid && WEXITSTATUS(status) == 5,
		   "parent_of_orphan_reaped");
}

int main(void)
{
	ktap_begin("fork", 12);
	fork_and_wait();
	many_children();
	wnohang();
	vfork_and_clone();
	fork_exec();
	orphan();
	return ktap_end();
}
