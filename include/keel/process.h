/* SPDX-License-Identifier: MIT */
/*
 * keel/process.h - user processes: a task with an address space
 * (task->mm), a parent, and an exit status (kernel/fork.c, exit.c,
 * exec.c; the arch part in arch/x86_64/process.c).
 *
 * Lifecycle: a process is made by exec from a kernel task (PID 1 from
 * the boot context) or by fork; it runs until
 * exit/exit_group or a fatal fault (do_exit), becomes a zombie holding
 * its wait status, and is freed when its parent reaps it with wait4.
 * Children of an exiting process go to PID 1's task, or are reaped by
 * the kernel when PID 1 is not a user process.
 */
#ifndef _KEEL_PROCESS_H
#define _KEEL_PROCESS_H

#include <asm/ptrace.h>
#include <keel/signal.h>
#include <keel/types.h>

struct task;

#define EXIT_ZOMBIE 1
#define EXIT_DEAD   2 /* reaped (or autoreaped): gone from /proc */

/* ---- arch (arch/x86_64/process.c, entry.S) ---- */
void syscall_init(void);
/* This CPU's x87/SSE for user mode (CR0, CR4). */
void fpu_init(void);
/* fork: the child starts with current's live FPU registers. */
void fpu_copy_current(struct task *child);
/* Signal frames: current's live x87/SSE registers to buf (fxsave). */
void fpu_save_user(void *buf);
/* ... from buf (a user's: MXCSR's reserved bits are dropped). */
void fpu_restore_user(const void *buf);
/* ... to a new program's state. */
void fpu_reset_user(void);
/* Context switch: the kernel stack user entries use, the FS base. */
void arch_switch_to(struct task *prev, struct task *next);
/* A new program's registers: only ip and sp, interrupts on. */
void start_thread(struct pt_regs *regs, unsigned long ip, unsigned long sp);
/* Leave for user mode with current_pt_regs(). */
void __noreturn enter_user_mode(void);
void __noreturn ret_to_user_mode(struct pt_regs *regs);

/* ---- kernel/exit.c ---- */
/* Make child a child of parent (fork), before it first runs. */
void process_link_child(struct task *parent, struct task *child);
/*
 * End the current process with wait status status ((code & 0xff) << 8
 * for exit(code), the signal number for a fatal signal): its memory is
 * freed, its children go to init, its parent is woken. Never returns.
 */
void __noreturn do_exit(int status);
/* p's parent's pid, or 0 (getppid; the parent cannot go meanwhile). */
int task_ppid(struct task *p);
/* Drop p's fd table and fs_struct (exit, a fork that failed). */
void exit_files_fs(struct task *p);
/* p's parent with a reference held (put_task), or NULL. */
struct task *get_task_parent(struct task *p);
/* Is p a child of parent? */
bool task_is_child_of(struct task *p, struct task *parent);

/* ---- kernel/sys.c ---- */
struct rusage;
/* p's name (comm), copied under p->pi_lock; set it (prctl, /proc). */
void get_task_comm(char *buf, struct task *p);
void set_task_comm(struct task *p, const char *name);
/* getrusage's answer for p (who: RUSAGE_SELF or RUSAGE_CHILDREN). */
void task_rusage(struct task *p, int who, struct rusage *ru);

/* ---- kernel/exec.c ---- */
/*
 * Replace current's program with filename (kernel strings). Returns
 * -Exxx if the old program is still there; on success current has a
 * new mm and its pt_regs start the new program: the caller goes to user
 * mode (enter_user_mode()).
 */
int kernel_execve(const char *filename, const char *const *argv,
		  const char *const *envp);

/*
 * Boot: exec /init (or init=PATH) as PID 1 if there is an initramfs or
 * init= was given; returns only if there is nothing to run or it fails.
 */
void run_init_process(void);

/* PID 1's task, the reaper of orphans (init_task until /init runs). */
extern struct task *child_reaper;

#endif
