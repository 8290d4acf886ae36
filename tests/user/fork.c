// SPDX-License-Identifier: MIT
/*
 * fork.c - processes: fork returns twice, the child's memory is a copy
 * (copy-on-write: writes on either side stay private), wait4 reaps with the exit status, WNOHANG, many children, vfork and
 * clone(SIGCHLD) as fork, a child that execs, orphans; execve of what
 * is not a regular file (a FIFO must not block), of a NULL argv (runs
 * with argv {""}), of "#!" scripts (the interpreter, its argument, the
 * script, the arguments; scripts of scripts; a missing interpreter).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

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

static char big[64 * 1024];

/* Shared copy-on-write after fork: a write on either side is private. */
static void cow_writes_stay_private(void)
{
	int status = 0, same = 1;
	pid_t pid;

	memset(big, 1, sizeof(big));
	pid = fork();
	if (pid == 0) {
		for (int i = 0; i < 100; i++)
			sched_yield(); /* the parent writes meanwhile */
		for (size_t i = 0; i < sizeof(big); i++)
			same &= big[i] == 1;
		memset(big, 3, sizeof(big));
		_exit(same ? 0 : 1);
	}
	memset(big, 2, sizeof(big));
	waitpid(pid, &status, 0);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		   "cow_child_keeps_old_data");
	ktap_check(big[0] == 2 && big[sizeof(big) - 1] == 2,
		   "cow_parent_keeps_its_writes");
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

/*
 * Run execve(path, argv, envp) in a child; its exit status (the
 * program's, or 100 + errno when execve failed), or -1 if it had not
 * ended after 5 s (it is killed: an execve that blocks).
 */
static int exec_status(const char *path, char *const argv[], char *const envp[])
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execve(path, argv, envp);
		_exit(100 + errno);
	}
	for (int i = 0; i < 500; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -2;
		nanosleep(&ts, NULL);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ssize_t n = fd < 0 ? -1 : write(fd, text, strlen(text));

	if (fd >= 0)
		close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

static void exec_special(void)
{
	char *argv[] = { "x", NULL }, *none[] = { NULL };
	char *sargv[] = { "ignored", "one", "two", NULL };

	mkdir("/tmp", 01777);
	unlink("/tmp/fifo");
	ktap_check(mkfifo("/tmp/fifo", 0755) == 0 &&
			   exec_status("/tmp/fifo", argv, none) == 100 + EACCES,
		   "exec_fifo_eacces_without_blocking");
	ktap_check(exec_status("/tmp", argv, none) == 100 + EACCES &&
			   exec_status("/dev/null", argv, none) == 100 + EACCES,
		   "exec_dir_and_device_eacces");
	/* main() below answers 42 when it runs with argv {""} */
	ktap_check(exec_status("/test/fork", NULL, none) == 42,
		   "exec_null_argv_runs_with_empty_argv0");
	ktap_check(write_file("/tmp/s1", "#!/test/fork  scriptarg  x \n") ==
				   0 &&
			   exec_status("/tmp/s1", sargv, none) == 43,
		   "exec_script_interp_arg_path_args");
	ktap_check(write_file("/tmp/s2", "#! /tmp/s1\n") == 0 &&
			   exec_status("/tmp/s2", sargv, none) == 44,
		   "exec_script_of_script");
	ktap_check(write_file("/tmp/s3", "#!/nonexistent/sh\n") == 0 &&
			   exec_status("/tmp/s3", sargv, none) == 100 + ENOENT,
		   "exec_script_missing_interp_enoent");
	ktap_check(write_file("/tmp/s4", "#!\n") == 0 &&
			   exec_status("/tmp/s4", sargv, none) == 100 + ENOEXEC,
		   "exec_script_empty_line_enoexec");
}

/* What the exec_special() cases run; -1: not one of them. */
static int exec_special_child(int argc, char **argv)
{
	if (argc == 1 && argv[0][0] == '\0')
		return 42;
	/* #!/test/fork  scriptarg  x : one argument "scriptarg  x" */
	if (argc == 5 && !strcmp(argv[1], "scriptarg  x") &&
	    !strcmp(argv[2], "/tmp/s1") && !strcmp(argv[3], "one") &&
	    !strcmp(argv[4], "two"))
		return 43;
	/* s2 runs s1 with s2's path as an argument */
	if (argc == 6 && !strcmp(argv[1], "scriptarg  x") &&
	    !strcmp(argv[2], "/tmp/s1") && !strcmp(argv[3], "/tmp/s2") &&
	    !strcmp(argv[4], "one"))
		return 44;
	return argc >= 2 && !strcmp(argv[1], "scriptarg  x") ? 45 : -1;
}

int main(int argc, char **argv)
{
	int special = exec_special_child(argc, argv);

	if (special >= 0)
		return special;
	ktap_begin("fork", 21);
	fork_and_wait();
	cow_writes_stay_private();
	many_children();
	wnohang();
	vfork_and_clone();
	fork_exec();
	orphan();
	exec_special();
	return ktap_end();
}
