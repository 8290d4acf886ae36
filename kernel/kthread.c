// SPDX-License-Identifier: MIT
/*
 * kthread.c - kernel threads on top of the scheduler's tasks.
 *
 * kthread_create() makes a NEW task (kernel/sched/task.c) whose first
 * run enters kthread_entry(): unless kthread_stop() came before anyone
 * started it, it calls fn(data), then exits. (A thread that was started
 * always runs fn, even if the stop request arrives before its first
 * instruction.) Exiting records the return value,
 * completes p->exited and switches away for good (do_task_dead); the
 * next task on that CPU drops the thread's own reference.
 *
 * kthread_stop() waits for p->exited, then until its reference is the
 * last one (the exited thread's own went with its final switch), and
 * drops it, which frees stack and task right there. So a test that
 * stops its threads finds every page and object back afterwards. A
 * thread asked to stop itself would wait for its own exit forever; that
 * is a panic instead of a silent hang.
 */
#include <keel/bug.h>
#include <keel/kthread.h>
#include <keel/printk.h>

#include "sched/sched.h"

static struct task *kthread_vcreate(int (*fn)(void *), void *data,
				    const char *fmt, va_list ap)
{
	char name[TASK_COMM_LEN];

	vsnprintf(name, sizeof(name), fmt, ap);
	return task_create(name, fn, data, PF_KTHREAD);
}

struct task *kthread_create(int (*fn)(void *data), void *data,
			    const char *namefmt, ...)
{
	struct task *p;
	va_list ap;

	might_sleep();
	va_start(ap, namefmt);
	p = kthread_vcreate(fn, data, namefmt, ap);
	va_end(ap);
	return p;
}

int kthread_bind(struct task *p, unsigned int cpu)
{
	if (READ_ONCE(p->state) != TASK_NEW)
		return -EBUSY;
	if (!cpu_online(cpu))
		return -EINVAL;
	p->allowed = cpumask_of(cpu);
	p->cpu = cpu;
	return 0;
}

struct task *kthread_run_on_cpu(int (*fn)(void *data), void *data,
				unsigned int cpu, const char *namefmt, ...)
{
	struct task *p;
	va_list ap;
	int err;

	might_sleep();
	va_start(ap, namefmt);
	p = kthread_vcreate(fn, data, namefmt, ap);
	va_end(ap);
	if (IS_ERR(p))
		return p;
	err = kthread_bind(p, cpu);
	if (err) {
		kthread_stop(p);
		return ERR_PTR(err);
	}
	wake_up_process(p);
	return p;
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

void kthread_exit(int ret)
{
	struct task *p = current;

	p->exit_code = ret;
	complete_all(&p->exited);
	do_task_dead();
}

void kthread_entry(void)
{
	struct task *p = current;
	int ret = -EINTR;

	if (!READ_ONCE(p->stopped_unstarted))
		ret = p->fn(p->fn_data);
	kthread_exit(ret);
}

int kthread_stop(struct task *p)
{
	unsigned long flags;
	int ret;

	might_sleep();
	if (p == current)
		panic("kthread_stop: %s (pid %d) would wait for its own exit",
		      p->name, p->pid);
	/* pi_lock orders us against a concurrent first wake_up_process() */
	spin_lock_irqsave(&p->pi_lock, flags);
	if (READ_ONCE(p->state) == TASK_NEW)
		WRITE_ONCE(p->stopped_unstarted, 1);
	__atomic_store_n(&p->should_stop, 1, __ATOMIC_SEQ_CST);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	wake_up_process(p);
	wait_for_completion(&p->exited);
	ret = p->exit_code;
	/* its own reference goes right after its last switch away */
	while (refcount_read(&p->usage) > 1)
		sched_yield();
	put_task(p);
	return ret;
}
