// SPDX-License-Identifier: MIT
/*
 * hello.c - the static program ubench's fork_exec_wait figure executes
 * (lmbench's lat_proc exec runs a hello world the same way): one
 * write(2) and exit. Installed as ubench-hello next to ubench.
 */
#include <unistd.h>

int main(void)
{
	return write(1, "Hello world\n", 12) == 12 ? 0 : 1;
}
