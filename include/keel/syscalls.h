/* SPDX-License-Identifier: MIT */
/*
 * keel/syscalls.h - defining system calls, Linux's way.
 *
 *	SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf,
 *			size_t, count)
 *	{
 *		...
 *	}
 *
 * defines long sys_write(const struct pt_regs *regs), which takes its
 * arguments from the registers of Linux's x86_64 convention (rdi, rsi,
 * rdx, r10, r8, r9) and converts each to its declared type. The table
 * (arch/x86_64/syscall_64.tbl, made into C by tools/gen-syscalls.py)
 * maps Linux's numbers to these functions; a number with no function
 * returns -ENOSYS and logs "keel: unimplemented syscall N (name) from
 * PID comm" once (kernel/syscall.c). A call that needs the whole frame
 * (fork, execve) reads current_pt_regs().
 */
#ifndef _KEEL_SYSCALLS_H
#define _KEEL_SYSCALLS_H

#include <asm/ptrace.h>
#include <keel/uaccess.h>

typedef long (*sys_call_ptr_t)(const struct pt_regs *regs);

extern const sys_call_ptr_t sys_call_table[];
extern const char *const sys_call_names[];
extern const unsigned int nr_syscalls;

#define __SC_ARG1(r) ((r)->rdi)
#define __SC_ARG2(r) ((r)->rsi)
#define __SC_ARG3(r) ((r)->rdx)
#define __SC_ARG4(r) ((r)->r10)
#define __SC_ARG5(r) ((r)->r8)
#define __SC_ARG6(r) ((r)->r9)

#define SYSCALL_DEFINE0(name)                        \
	long sys_##name(const struct pt_regs *regs); \
	static long __do_sys_##name(void);           \
	long sys_##name(const struct pt_regs *regs)  \
	{                                            \
		return __do_sys_##name();            \
	}                                            \
	static long __do_sys_##name(void)

#define SYSCALL_DEFINE1(name, t1, a1)                        \
	long sys_##name(const struct pt_regs *regs);         \
	static long __do_sys_##name(t1 a1);                  \
	long sys_##name(const struct pt_regs *regs)          \
	{                                                    \
		return __do_sys_##name((t1)__SC_ARG1(regs)); \
	}                                                    \
	static long __do_sys_##name(t1 a1)

#define SYSCALL_DEFINE2(name, t1, a1, t2, a2)                \
	long sys_##name(const struct pt_regs *regs);         \
	static long __do_sys_##name(t1 a1, t2 a2);           \
	long sys_##name(const struct pt_regs *regs)          \
	{                                                    \
		return __do_sys_##name((t1)__SC_ARG1(regs),  \
				       (t2)__SC_ARG2(regs)); \
	}                                                    \
	static long __do_sys_##name(t1 a1, t2 a2)

#define SYSCALL_DEFINE3(name, t1, a1, t2, a2, t3, a3)        \
	long sys_##name(const struct pt_regs *regs);         \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3);    \
	long sys_##name(const struct pt_regs *regs)          \
	{                                                    \
		return __do_sys_##name((t1)__SC_ARG1(regs),  \
				       (t2)__SC_ARG2(regs),  \
				       (t3)__SC_ARG3(regs)); \
	}                                                    \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3)

#define SYSCALL_DEFINE4(name, t1, a1, t2, a2, t3, a3, t4, a4)    \
	long sys_##name(const struct pt_regs *regs);             \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4); \
	long sys_##name(const struct pt_regs *regs)              \
	{                                                        \
		return __do_sys_##name((t1)__SC_ARG1(regs),      \
				       (t2)__SC_ARG2(regs),      \
				       (t3)__SC_ARG3(regs),      \
				       (t4)__SC_ARG4(regs));     \
	}                                                        \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4)

#define SYSCALL_DEFINE5(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5)   \
	long sys_##name(const struct pt_regs *regs);                    \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5); \
	long sys_##name(const struct pt_regs *regs)                     \
	{                                                               \
		return __do_sys_##name((t1)__SC_ARG1(regs),             \
				       (t2)__SC_ARG2(regs),             \
				       (t3)__SC_ARG3(regs),             \
				       (t4)__SC_ARG4(regs),             \
				       (t5)__SC_ARG5(regs));            \
	}                                                               \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5)

#define SYSCALL_DEFINE6(name, t1, a1, t2, a2, t3, a3, t4, a4, t5, a5, t6, a6)  \
	long sys_##name(const struct pt_regs *regs);                           \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6); \
	long sys_##name(const struct pt_regs *regs)                            \
	{                                                                      \
		return __do_sys_##name(                                        \
			(t1)__SC_ARG1(regs), (t2)__SC_ARG2(regs),              \
			(t3)__SC_ARG3(regs), (t4)__SC_ARG4(regs),              \
			(t5)__SC_ARG5(regs), (t6)__SC_ARG6(regs));             \
	}                                                                      \
	static long __do_sys_##name(t1 a1, t2 a2, t3 a3, t4 a4, t5 a5, t6 a6)

/* The entry's C half (entry.S): dispatch, then exit-to-user work. */
void do_syscall_64(struct pt_regs *regs);

#endif
