// SPDX-License-Identifier: MIT
/*
 * fork.c - new processes: fork, vfork and fork-like clone.
 *
 * The child is a new task (kernel/sched/task.c) with a copy of the
 * parent's address space (pages shared copy-on-write, mm/memory.c), the
 * parent's registers with rax = 0 in its user frame, and the parent's
 * FS base (or clone's tls). Its first run enters fork_child_start(),
 * which stores its tid if CLONE_CHILD_SETTID asked and goes to user
 * mode. vfork is a fork: the child's memory is a copy, so the parent
 * need not wait (correct programs cannot tell). Threads (CLONE_VM,
 * CLONE_THREAD) are -EINVAL for now (TODO: shared mm, futex).
 */
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/fs_struct.h>
#include <keel/kthread.h>
#include <keel/mm_user.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/syscalls.h>

#include "sched/sched.h"

#define CSIGNAL		     0x000000ff
#define CLONE_VM	     0x00000100
#define CLONE_SIGHAND	     0x00000800
#define CLONE_VFORK	     0x00004000
#define CLONE_PARENT	     0x00008000
#define CLONE_THREAD	     0x00010000
#define CLONE_SETTLS	     0x00080000
#define CLONE_PARENT_SETTID  0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_CHILD_SETTID   0x01000000

/* What fork-like clone accepts (the rest would need threads). */
#define CLONE_FORK_FLAGS                                              \
	(CSIGNAL | CLONE_VFORK | CLONE_SETTLS | CLONE_PARENT_SETTID | \
	 CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID)

struct kernel_clone_args {
	unsigned long flags;
	unsigned long stack;
	int __user *parent_tid;
	int __user *child_tid;
	unsigned long tls;
};

/*
 * Undo a child that never ran: its files, fs and mm, then the task
 * (kthread_stop on a NEW task frees it without running its body).
 */
static void release_unstarted(struct task *p)
{
	exit_files_fs(p);
	mmput(p->mm);
	p->mm = NULL;
	p->cr3 = 0;
	kthread_stop(p);
}

/* The child's first code (a task body): into user mode. */
static int fork_child_start(void *set_child_tid)
{
	if (set_child_tid)
		put_user(current->pid, (int __user *)set_child_tid);
	enter_user_mode();
}

static void copy_thread(struct task *p, const struct kernel_clone_args *args)
{
	struct pt_regs *regs = task_pt_regs(p);

	*regs = *current_pt_regs();
	regs->rax = 0;
	if (args->stack)
		regs->rsp = args->stack;
	fpu_copy_current(p);
	p->fsbase = args->flags & CLONE_SETTLS ? args->tls : current->fsbase;
	if (args->flags & CLONE_CHILD_CLEARTID)
		p->clear_child_tid = args->child_tid;
}

/*
 * The child's fs_struct and fd table (fs/): shared with the parent or
 * copied, as CLONE_FS and CLONE_FILES say. 0 or -ENOMEM.
 */
static int copy_files_fs(struct task *p, unsigned long flags)
{
	struct fs_struct *fs = copy_fs(flags);
	struct files_struct *files;

	if (IS_ERR(fs))
		return PTR_ERR(fs);
	files = copy_files(flags);
	if (IS_ERR(files)) {
		put_fs_struct(fs);
		return PTR_ERR(files);
	}
	p->fs = fs;
	p->files = files;
	return 0;
}

static long kernel_clone(const struct kernel_clone_args *args)
{
	void *settid = args->flags & CLONE_CHILD_SETTID ? args->child_tid :
							  NULL;
	struct mm_struct *mm;
	struct task *p;
	int pid, err;

	if (args->flags & ~(unsigned long)CLONE_FORK_FLAGS)
		return -EINVAL;
	if (!current->mm)
		return -EINVAL;
	mm = dup_mm(current->mm);
	if (!mm)
		return -ENOMEM;
	p = task_create(current->name, fork_child_start, settid, 0);
	if (IS_ERR(p)) {
		mmput(mm);
		return PTR_ERR(p);
	}
	p->mm = mm;
	p->cr3 = virt_to_phys(mm->pgd);
	err = copy_files_fs(p, args->flags);
	if (err) {
		release_unstarted(p);
		return err;
	}
	copy_thread(p, args);
	copy_signal(p, args->flags & CSIGNAL);
	pid = p->pid;
	process_link_child(current, p);
	if (args->flags & CLONE_PARENT_SETTID)
		put_user(pid, args->parent_tid);
	wake_up_process(p);
	return pid;
}

SYSCALL_DEFINE0(fork)
{
	struct kernel_clone_args args = { .flags = SIGCHLD };

	return kernel_clone(&args);
}

SYSCALL_DEFINE0(vfork)
{
	struct kernel_clone_args args = { .flags = CLONE_VFORK | SIGCHLD };

	return kernel_clone(&args);
}

/* x86_64 order: flags, newsp, parent_tidptr, child_tidptr, tls */
SYSCALL_DEFINE5(clone, unsigned long, flags, unsigned long, newsp, int __user *,
		parent_tid, int __user *, child_tid, unsigned long, tls)
{
	struct kernel_clone_args args = {
		.flags = flags,
		.stack = newsp,
		.parent_tid = parent_tid,
		.child_tid = child_tid,
		.tls = tls,
	};

	return kernel_clone(&args);
}
