// SPDX-License-Identifier: MIT
/*
 * task.c - creating, listing and freeing tasks.
 *
 * A task is a struct task from the "task" slab cache plus a 16 KiB
 * kernel stack with a guard page (kstack_alloc). Its first run starts
 * at ret_from_kthread (arch switch code): the stack is built to look as
 * if the task had called __switch_to() from there.
 *
 * Every task but the idle tasks is on task_list (tasklist_lock) from
 * creation until it is freed, and the active policy has seen
 * task_new() for it; task_dead() is called when it leaves the list.
 *
 * Lifetime: a task starts with two references, its own (dropped by
 * the next task after its last switch away, put_task_dead) and its
 * creator's handle (put_task, kthread_stop). Whoever drops the last one
 * frees it; freeing unmaps the stack (a TLB shootdown), so when the
 * last reference goes in the switch path, with interrupts off, the
 * reaper thread frees it instead.
 *
 * Parking: a Rust policy holds a task through a TaskToken, which the
 * core cannot take back; p->se.token is nonzero while one exists (set
 * and cleared by rust/kernel/sched.rs, in that policy's callbacks and
 * init/exit only; a token dropped elsewhere leaves it set). A task
 * whose token is still held when it would be freed is parked instead:
 * off the task list, task_dead() called, memory kept.
 * task_free_parked() frees the parked tasks whose token is gone (given
 * back or dropped); the reaper calls it, and a policy switch after the
 * old policy's exit(). A task parked for a policy that is abandoned is
 * never freed.
 */
#define pr_fmt(fmt) "sched: " fmt

#include <asm/ptrace.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/kthread.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/vmalloc.h>

#include "sched.h"

/* The boot context; becomes task "init" (pid 1) on CPU 0. */
struct task init_task = {
	.state = TASK_RUNNING,
	.on_rq = 1,
	.on_cpu = 1,
	.allowed = CPU_MASK_ALL,
	.pid = 1,
	.name = "init",
	.usage = REFCOUNT_INIT(1),
	.tasks = LIST_HEAD_INIT(init_task.tasks),
	.rq_node = LIST_HEAD_INIT(init_task.rq_node),
	.reap_node = LIST_HEAD_INIT(init_task.reap_node),
	.children = LIST_HEAD_INIT(init_task.children),
	.sibling = LIST_HEAD_INIT(init_task.sibling),
};

DEFINE_SPINLOCK(tasklist_lock);
LIST_HEAD(task_list);
static struct kmem_cache *task_cache;
static int last_pid = 1;

static LIST_HEAD(parked_list); /* via p->tasks, tasklist_lock */
static unsigned int nr_parked;
static LIST_HEAD(reap_list);
static DEFINE_SPINLOCK(reap_lock);
static DECLARE_WAIT_QUEUE_HEAD(reap_wait);

/* The frame __switch_to() pops on a task's first switch in. */
struct switch_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;
};

/*
 * The top of the stack stays free for the user register frame
 * (asm/ptrace.h): a task can become a user process (exec).
 */
static void stack_setup(struct task *p)
{
	/* ret_addr 16 bytes below the frame: the stub's calls stay aligned */
	struct switch_frame *f =
		(struct switch_frame *)((char *)stack_kernel_top(p->stack_top) -
					16 -
					offsetof(struct switch_frame,
						 ret_addr));

	*f = (struct switch_frame){ .ret_addr =
					    (unsigned long)ret_from_kthread };
	p->sp = (unsigned long)f;
}

/* Add p to the task list and the policy. Returns 0 or -Exxx. */
static int task_publish(struct task *p)
{
	unsigned long flags;
	int err = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	if (!(p->flags & PF_IDLE)) {
		/* the policy sees the pid (traces name tasks by it) */
		p->pid = last_pid + 1;
		err = policy_task_new(p);
		if (err) {
			p->pid = 0;
			goto out_unlock;
		}
		last_pid++;
	}
	list_add_tail(&p->tasks, &task_list);
out_unlock:
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return err;
}

struct task *task_create(const char *name, int (*fn)(void *), void *data,
			 unsigned int flags)
{
	struct task *p = kmem_cache_alloc(task_cache, GFP_KERNEL);
	int err = -ENOMEM;

	if (!p)
		return ERR_PTR(-ENOMEM);
	memset(p, 0, sizeof(*p));
	p->stack_top = kstack_alloc();
	if (!p->stack_top)
		goto err_free_task;
	stack_setup(p);
	p->state = TASK_NEW;
	p->allowed = CPU_MASK_ALL;
	p->flags = flags;
	p->fn = fn;
	p->fn_data = data;
	p->cpu = smp_processor_id();
	strlcpy(p->name, name, sizeof(p->name));
	refcount_set(&p->usage, 2); /* its own + the creator's */
	INIT_LIST_HEAD(&p->rq_node);
	p->start_time_ns = ktime_get_ns();
	rlimits_init(p->rlim);
	INIT_LIST_HEAD(&p->reap_node);
	INIT_LIST_HEAD(&p->children);
	INIT_LIST_HEAD(&p->sibling);
	init_waitqueue_head(&p->wait_chldexit);
	init_completion(&p->exited);
	err = task_publish(p);
	if (err)
		goto err_free_stack;
	return p;

err_free_stack:
	kstack_free(p->stack_top);
err_free_task:
	kmem_cache_free(task_cache, p);
	return ERR_PTR(err);
}

/* A policy may still hold p's TaskToken (after its last access: acquire). */
static bool task_token_held(struct task *p)
{
	return __atomic_load_n(&p->se.token, __ATOMIC_ACQUIRE) != 0;
}

static void task_release(struct task *p)
{
	kstack_free(p->stack_top);
	kmem_cache_free(task_cache, p);
}

static void task_free(struct task *p)
{
	unsigned long flags;
	bool park;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_del_init(&p->tasks);
	policy_task_dead(p);
	park = task_token_held(p); /* task_dead may have let go of it */
	if (park) {
		list_add_tail(&p->tasks, &parked_list);
		nr_parked++;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (park)
		pr_warn("%s (pid %d) exited while policy %s holds its token; parked\n",
			p->name, p->pid, sched_policy_name());
	else
		task_release(p);
}

void task_free_parked(void)
{
	struct task *p, *n;
	unsigned long flags;
	LIST_HEAD(done);

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry_safe(p, n, &parked_list, tasks) {
		if (task_token_held(p))
			continue;
		list_del(&p->tasks);
		list_add_tail(&p->tasks, &done);
		nr_parked--;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	list_for_each_entry_safe(p, n, &done, tasks)
		task_release(p);
}

unsigned int task_nr_parked(void)
{
	return READ_ONCE(nr_parked);
}

void put_task(struct task *p)
{
	might_sleep();
	if (refcount_dec_and_test(&p->usage))
		task_free(p);
}

void put_task_dead(struct task *p)
{
	unsigned long flags;

	if (!refcount_dec_and_test(&p->usage))
		return;
	spin_lock_irqsave(&reap_lock, flags);
	list_add_tail(&p->reap_node, &reap_list);
	spin_unlock_irqrestore(&reap_lock, flags);
	wake_up(&reap_wait);
}

static struct task *reap_next(void)
{
	struct task *p = NULL;
	unsigned long flags;

	spin_lock_irqsave(&reap_lock, flags);
	if (!list_empty(&reap_list)) {
		p = list_first_entry(&reap_list, struct task, reap_node);
		list_del_init(&p->reap_node);
	}
	spin_unlock_irqrestore(&reap_lock, flags);
	return p;
}

static bool reap_pending(void)
{
	return !list_empty(&reap_list);
}

/* Frees tasks whose last reference went in the switch path. */
static int reaper(void *unused)
{
	for (;;) {
		struct task *p;

		wait_event(reap_wait, reap_pending());
		while ((p = reap_next()))
			task_free(p);
		task_free_parked();
	}
	return 0;
}

void reaper_start(void)
{
	struct task *p = kthread_run(reaper, NULL, "reaper");

	if (IS_ERR(p))
		panic("cannot start the reaper thread (%s)",
		      errname(PTR_ERR(p)));
	put_task(p); /* runs forever; nobody stops it */
}

struct task *find_task_by_pid(int pid)
{
	struct task *p, *found = NULL;
	unsigned long flags;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks) {
		if (p->pid == pid && !(p->flags & PF_IDLE) &&
		    READ_ONCE(p->exit_state) != EXIT_DEAD &&
		    refcount_inc_not_zero(&p->usage)) {
			found = p;
			break;
		}
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

int task_next_pid(int from, unsigned int *nr)
{
	struct task *p;
	unsigned long flags;
	int found = 0;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks) {
		if ((p->flags & PF_IDLE) ||
		    READ_ONCE(p->exit_state) == EXIT_DEAD)
			continue;
		if (nr)
			(*nr)++;
		if (p->pid >= from && (!found || p->pid < found))
			found = p->pid;
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return found;
}

int task_last_pid(void)
{
	return READ_ONCE(last_pid);
}

unsigned long task_nr_forks(void)
{
	return READ_ONCE(last_pid); /* every task but the idle ones has one */
}

void task_init_boot(void)
{
	rlimits_init(init_task.rlim);
	task_cache = kmem_cache_create("task", sizeof(struct task), 0, 0);
	if (!task_cache)
		panic("no memory for the task cache");
	init_completion(&init_task.exited);
	init_waitqueue_head(&init_task.wait_chldexit);
	list_add_tail(&init_task.tasks, &task_list);
	if (policy_task_new(&init_task))
		panic("the scheduling policy refused the init task");
}
