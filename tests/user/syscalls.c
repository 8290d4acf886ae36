// SPDX-License-Identifier: MIT
/*
 * syscalls.c - the system calls keel implements, their success paths
 * and their error paths: a bad or kernel pointer is EFAULT (never a
 * crash), a bad fd EBADF, bad flags EINVAL, an unknown call ENOSYS.
 */
#define _GNU_SOURCE
#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "ktap.h"

#define UNMAPPED   ((void *)0x1000)
#define KERNEL_PTR ((void *)0xffffffff80100000UL)
#define DIRECT_MAP ((void *)0xffff888000100000UL)

static void ids(void)
{
	long pid = syscall(SYS_getpid);

	ktap_check(pid > 0 && syscall(SYS_gettid) == pid, "getpid_gettid");
	ktap_check(syscall(SYS_getppid) > 0, "getppid");
	ktap_check(getuid() == 0 && geteuid() == 0 && getgid() == 0 &&
			   getegid() == 0,
		   "ids_are_root");
}

static void uname_calls(void)
{
	struct utsname u;

	ktap_check(uname(&u) == 0 && !strcmp(u.machine, "x86_64") &&
			   !strcmp(u.sysname, "keel"),
		   "uname");
	ktap_errno(syscall(SYS_uname, UNMAPPED), EFAULT, "uname_bad_pointer");
	ktap_errno(syscall(SYS_uname, KERNEL_PTR), EFAULT,
		   "uname_kernel_pointer");
}

static void write_calls(void)
{
	ktap_check(write(1, "", 0) == 0, "write_zero_bytes");
	ktap_errno(write(9, "x", 1), EBADF, "write_bad_fd");
	ktap_errno(write(-1, "x", 1), EBADF, "write_negative_fd");
	ktap_errno(write(1, UNMAPPED, 4), EFAULT, "write_bad_pointer");
	ktap_errno(write(1, KERNEL_PTR, 4), EFAULT, "write_kernel_pointer");
	ktap_errno(write(1, DIRECT_MAP, 4), EFAULT, "write_direct_map_pointer");
}

static void file_calls(void)
{
	char buf[8] = { 0 };
	int fd = open("/test/hello", O_RDONLY);

	ktap_check(fd >= 3 && read(fd, buf, 4) == 4 &&
			   !memcmp(buf, "\177ELF", 4),
		   "open_read_elf_magic");
	ktap_check(lseek(fd, 1, SEEK_SET) == 1 && read(fd, buf, 3) == 3 &&
			   !memcmp(buf, "ELF", 3),
		   "lseek_then_read");
	ktap_errno(read(fd, UNMAPPED, 4), EFAULT, "read_bad_pointer");
	ktap_errno(read(fd, KERNEL_PTR, 4), EFAULT, "read_kernel_pointer");
	ktap_errno(write(fd, "x", 1), EBADF, "write_read_only_fd");
	ktap_check(dup2(fd, 20) == 20 && close(20) == 0, "dup2_close");
	ktap_check(close(fd) == 0, "close");
	ktap_errno(close(fd), EBADF, "close_twice");
	ktap_errno(read(fd, buf, 1), EBADF, "read_closed_fd");
	ktap_errno(open("/no/such/file", O_RDONLY), ENOENT, "open_missing");
	ktap_errno(open(UNMAPPED, O_RDONLY), EFAULT, "open_bad_pointer");
	ktap_errno(open(KERNEL_PTR, O_RDONLY), EFAULT, "open_kernel_pointer");
	/* open(2) ignores flag bits it does not know, as Linux's does */
	fd = syscall(SYS_open, "/test/hello", 0x80000000, 0);
	ktap_check(fd >= 0 && close(fd) == 0, "open_ignores_unknown_flags");
	ktap_errno(dup3(1, 1, 0), EINVAL, "dup3_same_fd");
}

static void misc_errors(void)
{
	unsigned long fs = 0;

	ktap_errno(syscall(500), ENOSYS, "unknown_number_enosys");
	ktap_errno(syscall(SYS_acct, NULL), ENOSYS, "unimplemented_enosys");
	/* a second time: tests/user.py checks the log names it once */
	ktap_errno(syscall(SYS_acct, NULL), ENOSYS, "unimplemented_again");
	ktap_errno(syscall(SYS_wait4, -1, NULL, 0, NULL), ECHILD,
		   "wait4_no_children");
	ktap_errno(syscall(SYS_wait4, -1, NULL, 0x1000, NULL), EINVAL,
		   "wait4_bad_options");
	ktap_errno(syscall(SYS_arch_prctl, 0x9999, 0), EINVAL,
		   "arch_prctl_bad_option");
	ktap_errno(syscall(SYS_arch_prctl, ARCH_SET_FS, KERNEL_PTR), EPERM,
		   "arch_prctl_kernel_fs");
	ktap_check(syscall(SYS_arch_prctl, ARCH_GET_FS, &fs) == 0 && fs,
		   "arch_prctl_get_fs");
	ktap_errno(syscall(SYS_arch_prctl, ARCH_GET_FS, KERNEL_PTR), EFAULT,
		   "arch_prctl_get_fs_kernel_pointer");
}

/* A raw syscall with the whole of rax given. */
static long raw_syscall_rax(unsigned long rax)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(rax)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Linux takes the number from rax's low 32 bits, -1 is "none". */
static void number_decoding(void)
{
	ktap_check(raw_syscall_rax((1UL << 32) | SYS_getpid) == getpid() &&
			   raw_syscall_rax((0x80000000UL << 32) |
					   SYS_getppid) == getppid(),
		   "number_is_low_32_bits_of_rax");
	ktap_check(raw_syscall_rax(0xffffffffUL) == -ENOSYS &&
			   raw_syscall_rax(0x40000000UL | SYS_getpid) ==
				   -ENOSYS &&
			   raw_syscall_rax(0x80000000UL) == -ENOSYS,
		   "negative_and_x32_numbers_enosys");
}

static void exec_errors(void)
{
	char *argv[] = { "x", NULL };
	char *bad_argv[] = { "x", UNMAPPED, NULL };

	ktap_errno(execve("/no/such/file", argv, NULL), ENOENT,
		   "execve_missing_file");
	ktap_errno(execve(UNMAPPED, argv, NULL), EFAULT,
		   "execve_bad_filename_pointer");
	ktap_errno(execve(KERNEL_PTR, argv, NULL), EFAULT,
		   "execve_kernel_filename_pointer");
	ktap_errno(execve("/test/hello", bad_argv, NULL), EFAULT,
		   "execve_bad_argv_string");
	ktap_errno(execve("/test/hello", (char **)KERNEL_PTR, NULL), EFAULT,
		   "execve_kernel_argv");
	ktap_errno(execve("/test/ktap.h", argv, NULL), ENOENT,
		   "execve_not_in_initramfs");
}

static void mmap_errors(void)
{
	ktap_errno(mmap(NULL, 4096, PROT_READ, MAP_ANONYMOUS, -1, 0), EINVAL,
		   "mmap_no_private_or_shared");
	ktap_errno(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		   EINVAL, "mmap_zero_length");
	ktap_errno(mmap(NULL, 4096, 0x80, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
		   EINVAL, "mmap_bad_prot");
	ktap_errno(mmap((void *)0x10001, 4096, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		   EINVAL, "mmap_fixed_unaligned");
	ktap_errno(mmap(KERNEL_PTR, 4096, PROT_READ,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
		   EINVAL, "mmap_fixed_kernel_address");
	ktap_errno(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, -1, 0), EBADF,
		   "mmap_file_bad_fd");
	ktap_errno(munmap((void *)0x10001, 4096), EINVAL, "munmap_unaligned");
	/* raw calls: musl's wrappers align the address themselves */
	ktap_errno(syscall(SYS_mprotect, 0x10001, 4096, PROT_READ), EINVAL,
		   "mprotect_unaligned");
	ktap_errno(mprotect((void *)0x20000000, 4096, PROT_READ), ENOMEM,
		   "mprotect_unmapped");
}

int main(void)
{
	ktap_begin("syscalls", 54);
	ids();
	file_calls();
	uname_calls();
	write_calls();
	misc_errors();
	number_decoding();
	exec_errors();
	mmap_errors();
	ktap_check(syscall(SYS_sched_yield) == 0, "sched_yield");
	ktap_check(syscall(SYS_set_tid_address, NULL) == syscall(SYS_getpid),
		   "set_tid_address_returns_tid");
	return ktap_end();
}
