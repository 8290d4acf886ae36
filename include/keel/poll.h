/* SPDX-License-Identifier: MIT */
/*
 * keel/poll.h - readiness of open files: the f_op->poll method that
 * poll/select (fs/select.c) and the kernel's own waiters call.
 *
 * A file's poll method returns its ready events now and, if pt is not
 * NULL, calls poll_wait() once for each wait queue that is woken when
 * its readiness may change:
 *
 *	static __poll_t pipe_poll(struct file *f, poll_table *pt)
 *	{
 *		poll_wait(f, &pipe->rd_wait, pt);
 *		return pipe->len ? EPOLLIN | EPOLLRDNORM : 0;
 *	}
 *
 * The waker changes the state before wake_up() (keel/wait.h), so a
 * poller that registered before testing never misses the change.
 * A file without a poll method is always readable and writable
 * (DEFAULT_POLLMASK), as in Linux.
 */
#ifndef _KEEL_POLL_H
#define _KEEL_POLL_H

#include <keel/fs.h>
#include <keel/wait.h>

/* Linux's event bits (uapi/asm-generic/poll.h). */
#define EPOLLIN	    0x0001
#define EPOLLPRI    0x0002
#define EPOLLOUT    0x0004
#define EPOLLERR    0x0008
#define EPOLLHUP    0x0010
#define EPOLLNVAL   0x0020
#define EPOLLRDNORM 0x0040
#define EPOLLRDBAND 0x0080
#define EPOLLWRNORM 0x0100
#define EPOLLWRBAND 0x0200
#define EPOLLMSG    0x0400
#define EPOLLRDHUP  0x2000

#define DEFAULT_POLLMASK (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)

typedef struct poll_table_struct poll_table;

/*
 * qproc queues the poller on wq (fs/select.c); key: the events the
 * caller asks for (a hint a file may use to skip work).
 */
struct poll_table_struct {
	void (*qproc)(struct file *f, struct wait_queue_head *wq,
		      poll_table *pt);
	__poll_t key;
};

static inline void poll_wait(struct file *f, struct wait_queue_head *wq,
			     poll_table *pt)
{
	if (pt && pt->qproc && wq)
		pt->qproc(f, wq, pt);
}

/* f's ready events (DEFAULT_POLLMASK without a poll method). */
static inline __poll_t vfs_poll(struct file *f, poll_table *pt)
{
	if (!f->f_op || !f->f_op->poll)
		return DEFAULT_POLLMASK;
	return f->f_op->poll(f, pt);
}

#endif
