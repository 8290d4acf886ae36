/* SPDX-License-Identifier: MIT */
/*
 * keel/kthread.h - kernel threads.
 *
 *	static int worker(void *data)
 *	{
 *		while (!kthread_should_stop())
 *			do_work(data);
 *		return 0;
 *	}
 *
 *	struct task *t = kthread_run(worker, data, "worker/%d", i);
 *	if (IS_ERR(t))
 *		return PTR_ERR(t);
 *	...
 *	ret = kthread_stop(t);	// asks, waits, reaps; returns worker's 0
 *
 * A thread runs fn(data) on its own 16 KiB stack with a guard page and
 * exits when fn returns (or by kthread_exit()). The task pointer the
 * creator gets holds a reference: give it back with kthread_stop() (which
 * also waits for the exit and frees the thread) or put_task() (the thread
 * then frees itself when it exits).
 */
#ifndef _KEEL_KTHREAD_H
#define _KEEL_KTHREAD_H

#include <keel/errno.h>
#include <keel/sched.h>

/*
 * A new thread, not yet running (state NEW), named from namefmt.
 * Returns the task or ERR_PTR(-ENOMEM / the policy's task_new error).
 * Process context.
 */
struct task *kthread_create(int (*fn)(void *data), void *data,
			    const char *namefmt, ...) __printf(3, 4);
/* Pin a NEW thread to cpu. Returns 0, -EBUSY (started) or -EINVAL. */
int kthread_bind(struct task *p, unsigned int cpu);

/* kthread_create() and start it (wake_up_process). */
#define kthread_run(fn, data, namefmt, ...)                               \
	({                                                                \
		struct task *__k =                                        \
			kthread_create(fn, data, namefmt, ##__VA_ARGS__); \
		if (!IS_ERR(__k))                                         \
			wake_up_process(__k);                             \
		__k;                                                      \
	})

/* Create pinned to cpu and start. Returns the task or ERR_PTR. */
struct task *kthread_run_on_cpu(int (*fn)(void *data), void *data,
				unsigned int cpu, const char *namefmt, ...)
	__printf(4, 5);

/*
 * Ask p to stop (kthread_should_stop() turns true and p is woken), wait
 * until it exited and free it; the caller's reference is consumed.
 * Returns fn's return value, or -EINTR if p had never run. Process
 * context; p must not be the caller (that would wait forever: panic).
 */
int kthread_stop(struct task *p);
/* True once kthread_stop() was called on the current thread. */
bool kthread_should_stop(void);
/* End the current thread with ret (as if fn returned it). */
void kthread_exit(int ret) __noreturn;

#endif
