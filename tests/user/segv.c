// SPDX-License-Identifier: MIT
/*
 * segv.c - programs that fault die, the kernel goes on: NULL and
 * kernel-address accesses, jumping into the kernel, ud2, a division by
 * zero, a stack overflow. Each runs in a child; the parent checks the
 * signal it died of (WTERMSIG) and that it can still run afterwards.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#include "ktap.h"

static int child_signal(void (*fn)(void))
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return WIFSIGNALED(status) ? WTERMSIG(status) : -status;
}

static void null_read(void)
{
	(void)*(volatile int *)0;
}

static void kernel_read(void)
{
	(void)*(volatile long *)0xffffffff80100000UL;
}

static void direct_map_write(void)
{
	*(volatile long *)0xffff888000100000UL = 1;
}

static void jump_to_kernel(void)
{
	((void (*)(void))0xffffffff80100000UL)();
}

static void jump_to_data(void)
{
	static unsigned char ret = 0xc3; /* in a non-executable page */

	((void (*)(void)) & ret)();
}

static void undefined_insn(void)
{
	__asm__ __volatile__("ud2");
}

static void divide_by_zero(void)
{
	__asm__ __volatile__("xorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\t"
			     "cltd\n\tidivl %%ecx"
			     :
			     :
			     : "eax", "ecx", "edx");
}

static int recurse(int n)
{
	volatile char pad[4096];

	pad[0] = n;
	if (n < 0) /* never: keeps the compiler from calling it endless */
		return 0;
	return recurse(n + 1) + pad[0];
}

static void stack_overflow(void)
{
	recurse(0);
}

static void privileged(void)
{
	__asm__ __volatile__("cli");
}

int main(void)
{
	ktap_begin("segv", 10);
	ktap_check(child_signal(null_read) == SIGSEGV, "null_read");
	ktap_check(child_signal(kernel_read) == SIGSEGV, "kernel_read");
	ktap_check(child_signal(direct_map_write) == SIGSEGV,
		   "direct_map_write");
	ktap_check(child_signal(jump_to_kernel) == SIGSEGV, "jump_to_kernel");
	ktap_check(child_signal(jump_to_data) == SIGSEGV, "jump_to_nx_data");
	ktap_check(child_signal(undefined_insn) == SIGILL, "ud2_sigill");
	ktap_check(child_signal(divide_by_zero) == SIGFPE, "divide_sigfpe");
	ktap_check(child_signal(stack_overflow) == SIGSEGV, "stack_overflow");
	ktap_check(child_signal(privileged) == SIGSEGV, "cli_is_gp");
	ktap_check(getpid() > 0, "parent_still_runs");
	return ktap_end();
}
