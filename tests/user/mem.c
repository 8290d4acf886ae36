// SPDX-License-Identifier: MIT
/*
 * mem.c - memory system calls: brk grows and shrinks, anonymous mmap
 * is zeroed on demand, munmap and mprotect take effect (checked in
 * children, which die by SIGSEGV), PROT_NONE keeps the data, MAP_FIXED
 * replaces, and a big mapping costs nothing until touched.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "ktap.h"

/* Run fn in a child; its wait status. */
static int in_child(void (*fn)(void *), void *arg)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return status;
}

static void touch_write(void *p)
{
	*(volatile char *)p = 1;
}

static void touch_read(void *p)
{
	(void)*(volatile char *)p;
}

static void brk_calls(void)
{
	uintptr_t b0 = syscall(SYS_brk, 0), b1;
	char *p = (char *)b0;

	b1 = syscall(SYS_brk, b0 + 3 * 4096 + 10);
	ktap_check(b0 && b1 == b0 + 3 * 4096 + 10, "brk_grows");
	p[0] = 1;
	p[3 * 4096 + 9] = 2;
	ktap_check(p[0] == 1 && p[3 * 4096 + 9] == 2 && p[100] == 0,
		   "brk_memory_usable_and_zero");
	ktap_check(syscall(SYS_brk, b0) == (long)b0, "brk_shrinks");
	ktap_check(WIFSIGNALED(in_child(touch_write, p + 4096)) &&
			   WTERMSIG(in_child(touch_write, p + 4096)) == SIGSEGV,
		   "brk_shrunk_memory_gone");
	ktap_check(syscall(SYS_brk, 1) == (long)b0, "brk_below_start_refused");
}

static void mmap_calls(void)
{
	size_t len = 16 * 4096;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int zero = 1;

	ktap_check(p != MAP_FAILED && ((uintptr_t)p & 4095) == 0,
		   "mmap_anonymous");
	for (size_t i = 0; i < len; i += 512)
		zero &= p[i] == 0;
	memset(p, 0x5a, len);
	ktap_check(zero && p[len - 1] == 0x5a, "mmap_zeroed_and_writable");
	ktap_check(munmap(p + 4096, 4096) == 0, "munmap_middle_page");
	ktap_check(WTERMSIG(in_child(touch_read, p + 4096)) == SIGSEGV &&
			   p[0] == 0x5a && p[2 * 4096] == 0x5a,
		   "munmap_hole_faults_rest_kept");
	ktap_check(mprotect(p, 4096, PROT_READ) == 0 &&
			   WTERMSIG(in_child(touch_write, p)) == SIGSEGV &&
			   in_child(touch_read, p) == 0,
		   "mprotect_read_only");
	ktap_check(mprotect(p, 4096, PROT_NONE) == 0 &&
			   WTERMSIG(in_child(touch_read, p)) == SIGSEGV,
		   "mprotect_none");
	ktap_check(mprotect(p, 4096, PROT_READ | PROT_WRITE) == 0 &&
			   p[10] == 0x5a,
		   "mprotect_back_keeps_data");
	ktap_check(mmap(p, 4096, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == p &&
			   p[0] == 0,
		   "map_fixed_replaces");
	ktap_check(munmap(p, len) == 0 &&
			   WTERMSIG(in_child(touch_read, p + 3 * 4096)) ==
				   SIGSEGV,
		   "munmap_all");
}

static void big_mapping(void)
{
	size_t len = 1UL << 30; /* 1 GiB: more than the machine has */
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ktap_check(p != MAP_FAILED, "mmap_1gib_lazily");
	if (p == MAP_FAILED)
		return;
	p[0] = 1;
	p[len / 2] = 2;
	p[len - 1] = 3;
	ktap_check(p[0] + p[len / 2] + p[len - 1] == 6, "touch_three_pages");
	ktap_check(munmap(p, len) == 0, "munmap_1gib");
}

int main(void)
{
	ktap_begin("mem", 17);
	brk_calls();
	mmap_calls();
	big_mapping();
	return ktap_end();
}
