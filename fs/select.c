// SPDX-License-Identifier: MIT
/*
 * select.c - poll, ppoll, select and pselect6: wait until one of many
 * files is ready, a timeout passes or a signal comes (Linux's
 * semantics, keel/poll.h's ->poll methods).
 *
 * The waiter is a struct poll_wqueues whose poll_table qproc
 * (__pollwait) queues one entry naming the caller on every wait queue a
 * file's ->poll registers, and pins that file so the queue outlives
 * the wait. One loop serves all four calls (do_poll, do_select):
 *
 *	for (;;) {
 *		set_current_state(TASK_INTERRUPTIBLE);
 *		poll every file (the first pass registers the entries);
 *		if (something ready, timed out or a signal) break;
 *		schedule_timeout(what is left);
 *	}
 *
 * Marking the task asleep before polling is what keeps a wake-up from
 * being lost: a file that becomes ready after its ->poll said "not
 * ready" wakes the caller through its entry, and the wake-up makes the
 * task runnable again, so schedule_timeout() comes back at once. A
 * ->poll that sleeps (a mutex) leaves the task running: the loop polls
 * once more for nothing, never sleeps through an event. A timeout is
 * measured on the ktime clock, never shorter than asked (a late tick
 * costs one more jiffy of sleep, not an early return).
 *
 * Results as Linux: a bad fd is POLLNVAL in poll and -EBADF in select;
 * a signal ends the wait with -ERESTARTNOHAND (the signal code turns it
 * into -EINTR or a restart), and select/pselect6/ppoll write the time
 * left back into the caller's timeout (-EINTR instead of a restart if
 * that write faults). TODO: poll(2) with a timeout that a signal
 * interrupts returns -EINTR; Linux restarts it with the time left
 * (restart_block, which keel does not have).
 */
#include <keel/fdtable.h>
#include <keel/fs.h>
#include <keel/mm.h>
#include <keel/poll.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/time.h>
#include <keel/timer.h>

/* One wait queue a file registered, and the file (pinned). */
struct poll_table_entry {
	struct file *filp;
	struct wait_queue_head *wq;
	struct wait_queue_entry wait;
};

/* Entries past the inline ones, a page at a time. */
struct poll_table_page {
	struct poll_table_page *next;
	unsigned int nr;
	struct poll_table_entry entries[];
};

#define POLL_PAGE_ENTRIES                               \
	((PAGE_SIZE - sizeof(struct poll_table_page)) / \
	 sizeof(struct poll_table_entry))
#define POLL_INLINE_ENTRIES 8

struct poll_wqueues {
	poll_table pt;
	struct poll_table_page *table;
	int error; /* -ENOMEM if an entry could not be made */
	unsigned int inline_nr;
	struct poll_table_entry inline_entries[POLL_INLINE_ENTRIES];
};

/* When to stop waiting: never, or at ktime end_ns (zero: do not wait). */
struct poll_deadline {
	bool forever;
	bool zero;
	u64 end_ns;
};

static struct poll_table_entry *poll_get_entry(struct poll_wqueues *p)
{
	struct poll_table_page *t = p->table;

	if (p->inline_nr < POLL_INLINE_ENTRIES)
		return &p->inline_entries[p->inline_nr++];
	if (!t || t->nr == POLL_PAGE_ENTRIES) {
		struct poll_table_page *n = alloc_page(GFP_KERNEL);

		if (!n) {
			p->error = -ENOMEM;
			return NULL;
		}
		n->nr = 0;
		n->next = t;
		p->table = t = n;
	}
	return &t->entries[t->nr++];
}

/* poll_table's qproc: queue current on wq until poll_freewait(). */
static void __pollwait(struct file *f, struct wait_queue_head *wq,
		       poll_table *pt)
{
	struct poll_wqueues *p = container_of(pt, struct poll_wqueues, pt);
	struct poll_table_entry *e = poll_get_entry(p);
	unsigned long flags;

	if (!e)
		return;
	e->filp = get_file(f);
	e->wq = wq;
	INIT_LIST_HEAD(&e->wait.node);
	e->wait.task = current;
	spin_lock_irqsave(&wq->lock, flags);
	__add_wait_queue_tail(wq, &e->wait);
	spin_unlock_irqrestore(&wq->lock, flags);
}

static void poll_initwait(struct poll_wqueues *p)
{
	memset(p, 0, sizeof(*p));
	p->pt.qproc = __pollwait;
}

static void free_poll_entry(struct poll_table_entry *e)
{
	unsigned long flags;

	spin_lock_irqsave(&e->wq->lock, flags);
	__remove_wait_queue(e->wq, &e->wait);
	spin_unlock_irqrestore(&e->wq->lock, flags);
	fput(e->filp);
}

/* Take current off every queue and unpin the files. */
static void poll_freewait(struct poll_wqueues *p)
{
	struct poll_table_page *t = p->table;

	for (unsigned int i = 0; i < p->inline_nr; i++)
		free_poll_entry(&p->inline_entries[i]);
	while (t) {
		struct poll_table_page *next = t->next;

		for (unsigned int i = 0; i < t->nr; i++)
			free_poll_entry(&t->entries[i]);
		free_page(t);
		t = next;
	}
}

/* ---- timeouts ---- */

static int set_deadline(struct poll_deadline *d, s64 sec, s64 nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= (s64)NSEC_PER_SEC)
		return -EINVAL;
	d->forever = false;
	d->zero = !sec && !nsec;
	/* beyond ~292 years from boot: as good as forever */
	if ((u64)sec >= (U64_MAX - ktime_get_ns()) / NSEC_PER_SEC - 1) {
		d->forever = true;
		return 0;
	}
	d->end_ns = ktime_get_ns() + (u64)sec * NSEC_PER_SEC + nsec;
	return 0;
}

static bool deadline_passed(const struct poll_deadline *d)
{
	return !d->forever && ktime_get_ns() >= d->end_ns;
}

/* Sleep (in the state set before) until woken or the deadline. */
static void poll_schedule(const struct poll_deadline *d)
{
	u64 now, left;

	if (d->forever) {
		schedule_timeout(MAX_SCHEDULE_TIMEOUT);
		return;
	}
	now = ktime_get_ns();
	left = d->end_ns > now ? d->end_ns - now : 0;
	/* a partial jiffy rounds up: never wake before the deadline */
	schedule_timeout(min(DIV_ROUND_UP(left, TICK_NSEC),
			     (u64)MAX_SCHEDULE_TIMEOUT - 1));
}

/*
 * The wait loop of poll and select: poll_all(arg, pt) polls every file
 * (pt: register on the first pass, then NULL) and returns how many are
 * ready. Returns that count, 0 (timed out), -ERESTARTNOHAND (a signal)
 * or -ENOMEM (an entry could not be made).
 */
static int poll_loop(struct poll_wqueues *wait, const struct poll_deadline *d,
		     int (*poll_all)(void *arg, poll_table *pt), void *arg)
{
	poll_table *pt = d->zero ? NULL : &wait->pt;
	bool timed_out = d->zero;
	int count;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE); /* a signal wakes it */
		count = poll_all(arg, pt);
		pt = NULL;
		if (!count) {
			count = wait->error;
			if (signal_pending(current))
				count = -ERESTARTNOHAND;
		}
		if (count || timed_out)
			break;
		poll_schedule(d);
		timed_out = deadline_passed(d);
	}
	set_current_state(TASK_RUNNING);
	return count;
}

/* ---- poll, ppoll ---- */

struct pollfd {
	int fd;
	short events;
	short revents;
};

struct poll_list {
	struct pollfd *fds;
	unsigned int nfds;
};

static __poll_t do_pollfd(struct pollfd *pfd, poll_table *pt)
{
	__poll_t filter, mask = 0;
	struct file *f;

	if (pfd->fd < 0)
		goto out;
	f = fget(pfd->fd);
	if (!f) {
		mask = EPOLLNVAL;
		goto out;
	}
	filter = (u16)pfd->events | EPOLLERR | EPOLLHUP;
	if (pt)
		pt->key = filter;
	mask = vfs_poll(f, pt) & filter;
	fput(f);
out:
	pfd->revents = mask;
	return mask;
}

static int poll_all_fds(void *arg, poll_table *pt)
{
	struct poll_list *l = arg;
	int count = 0;

	for (unsigned int i = 0; i < l->nfds; i++) {
		if (do_pollfd(&l->fds[i], pt)) {
			count++;
			pt = NULL; /* no sleep ahead: stop registering */
		}
	}
	return count;
}

/* poll's work: copy the array in, wait, copy revents out. */
static int do_sys_poll(struct pollfd __user *ufds, unsigned int nfds,
		       const struct poll_deadline *d)
{
	struct poll_list l = { .nfds = nfds };
	struct poll_wqueues wait;
	int ret;

	if (nfds > NR_OPEN_MAX) /* TODO: RLIMIT_NOFILE */
		return -EINVAL;
	l.fds = kmalloc(max(nfds, 1U) * sizeof(struct pollfd), GFP_KERNEL);
	if (!l.fds)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(l.fds, ufds, nfds * sizeof(struct pollfd)))
		goto out_free;
	poll_initwait(&wait);
	ret = poll_loop(&wait, d, poll_all_fds, &l);
	poll_freewait(&wait);
	for (unsigned int i = 0; i < nfds; i++) {
		if (put_user(l.fds[i].revents, &ufds[i].revents)) {
			ret = -EFAULT;
			break;
		}
	}
out_free:
	kfree(l.fds);
	return ret;
}

/* Linux's x86_64 layouts. */
struct kernel_timespec {
	long tv_sec;
	long tv_nsec;
};

struct kernel_timeval {
	long tv_sec;
	long tv_usec;
};

enum poll_time_type { PT_TIMEVAL, PT_TIMESPEC };

/*
 * The end of select/pselect6/ppoll: the old signal mask back (after
 * the handler if interrupted), the time left into the user's timeout.
 */
static long poll_select_finish(const struct poll_deadline *d, void __user *p,
			       enum poll_time_type type, long ret)
{
	u64 now, left;

	restore_saved_sigmask_unless(ret == -ERESTARTNOHAND);
	if (!p || d->zero || d->forever)
		return ret;
	now = ktime_get_ns();
	left = d->end_ns > now ? d->end_ns - now : 0;
	if (type == PT_TIMEVAL) {
		struct kernel_timeval tv = {
			.tv_sec = left / NSEC_PER_SEC,
			.tv_usec = left % NSEC_PER_SEC / NSEC_PER_USEC,
		};

		if (!copy_to_user(p, &tv, sizeof(tv)))
			return ret;
	} else {
		struct kernel_timespec ts = {
			.tv_sec = left / NSEC_PER_SEC,
			.tv_nsec = left % NSEC_PER_SEC,
		};

		if (!copy_to_user(p, &ts, sizeof(ts)))
			return ret;
	}
	/* the time left cannot be stored: no restart with the old one */
	return ret == -ERESTARTNOHAND ? -EINTR : ret;
}

/* A user timespec into d (NULL: forever). */
static int get_timespec_deadline(struct poll_deadline *d,
				 const struct kernel_timespec __user *uts)
{
	struct kernel_timespec ts;

	d->forever = true;
	d->zero = false;
	if (!uts)
		return 0;
	if (copy_from_user(&ts, uts, sizeof(ts)))
		return -EFAULT;
	return set_deadline(d, ts.tv_sec, ts.tv_nsec);
}

SYSCALL_DEFINE3(poll, struct pollfd __user *, ufds, unsigned int, nfds, int,
		timeout_msecs)
{
	struct poll_deadline d = { .forever = true };
	int ret;

	if (timeout_msecs >= 0)
		set_deadline(&d, timeout_msecs / 1000,
			     (s64)(timeout_msecs % 1000) * NSEC_PER_MSEC);
	ret = do_sys_poll(ufds, nfds, &d);
	if (ret == -ERESTARTNOHAND && !d.forever)
		ret = -EINTR; /* TODO: restart with the time left */
	return ret;
}

SYSCALL_DEFINE5(ppoll, struct pollfd __user *, ufds, unsigned int, nfds,
		struct kernel_timespec __user *, tsp, const sigset_t __user *,
		sigmask, size_t, sigsetsize)
{
	struct poll_deadline d;
	int ret;

	ret = get_timespec_deadline(&d, tsp);
	if (ret)
		return ret;
	ret = set_user_sigmask(sigmask, sigsetsize);
	if (ret)
		return ret;
	ret = do_sys_poll(ufds, nfds, &d);
	return poll_select_finish(&d, tsp, PT_TIMESPEC, ret);
}

/* ---- select, pselect6 ---- */

#define POLLIN_SET  (EPOLLRDNORM | EPOLLRDBAND | EPOLLIN | EPOLLHUP | EPOLLERR)
#define POLLOUT_SET (EPOLLWRBAND | EPOLLWRNORM | EPOLLOUT | EPOLLERR)
#define POLLEX_SET  EPOLLPRI

#define BITS_PER_LONG 64
#define FDS_LONGS(n)  DIV_ROUND_UP(n, BITS_PER_LONG)
#define FDS_BYTES(n)  (FDS_LONGS(n) * sizeof(long))

/* The three sets asked for and the three answered, FDS_LONGS(n) each. */
struct fd_set_bits {
	unsigned int n;
	unsigned long *in, *out, *ex;
	unsigned long *res_in, *res_out, *res_ex;
};

static bool fd_isset(const unsigned long *set, unsigned int fd)
{
	return set[fd / BITS_PER_LONG] & (1UL << (fd % BITS_PER_LONG));
}

static void fd_set_bit(unsigned long *set, unsigned int fd)
{
	set[fd / BITS_PER_LONG] |= 1UL << (fd % BITS_PER_LONG);
}

static int get_fd_set(unsigned int n, const unsigned long __user *u,
		      unsigned long *k)
{
	if (!u) {
		memset(k, 0, FDS_BYTES(n));
		return 0;
	}
	return copy_from_user(k, u, FDS_BYTES(n)) ? -EFAULT : 0;
}

static int set_fd_set(unsigned int n, unsigned long __user *u,
		      const unsigned long *k)
{
	if (!u)
		return 0;
	return copy_to_user(u, k, FDS_BYTES(n)) ? -EFAULT : 0;
}

/* -EBADF if a set names an fd that is not open. */
static int check_select_fds(const struct fd_set_bits *fds)
{
	for (unsigned int fd = 0; fd < fds->n; fd++) {
		struct file *f;

		if (!fd_isset(fds->in, fd) && !fd_isset(fds->out, fd) &&
		    !fd_isset(fds->ex, fd))
			continue;
		f = fget(fd);
		if (!f)
			return -EBADF;
		fput(f);
	}
	return 0;
}

static int select_all_fds(void *arg, poll_table *pt)
{
	struct fd_set_bits *fds = arg;
	int count = 0;

	for (unsigned int fd = 0; fd < fds->n; fd++) {
		bool in = fd_isset(fds->in, fd), out = fd_isset(fds->out, fd);
		bool ex = fd_isset(fds->ex, fd);
		struct file *f;
		__poll_t mask;

		if (!in && !out && !ex)
			continue;
		f = fget(fd);
		if (!f) /* closed since check_select_fds: not ready */
			continue;
		if (pt)
			pt->key = (in ? POLLIN_SET : 0) |
				  (out ? POLLOUT_SET : 0) |
				  (ex ? POLLEX_SET : 0);
		mask = vfs_poll(f, pt);
		fput(f);
		if (in && (mask & POLLIN_SET)) {
			fd_set_bit(fds->res_in, fd);
			count++;
			pt = NULL;
		}
		if (out && (mask & POLLOUT_SET)) {
			fd_set_bit(fds->res_out, fd);
			count++;
			pt = NULL;
		}
		if (ex && (mask & POLLEX_SET)) {
			fd_set_bit(fds->res_ex, fd);
			count++;
			pt = NULL;
		}
	}
	return count;
}

static unsigned int current_max_fds(void)
{
	struct files_struct *files = current->files;
	unsigned int max;

	if (!files)
		return 0;
	spin_lock(&files->file_lock);
	max = files->fdt.max_fds;
	spin_unlock(&files->file_lock);
	return max;
}

static long core_sys_select(int n, unsigned long __user *inp,
			    unsigned long __user *outp,
			    unsigned long __user *exp,
			    const struct poll_deadline *d)
{
	struct fd_set_bits fds;
	struct poll_wqueues wait;
	unsigned long *bits;
	size_t longs;
	long ret;

	if (n < 0)
		return -EINVAL;
	fds.n = min((unsigned int)n, current_max_fds());
	longs = max(FDS_LONGS(fds.n), (size_t)1);
	bits = kzalloc(6 * longs * sizeof(long), GFP_KERNEL);
	if (!bits)
		return -ENOMEM;
	fds.in = bits;
	fds.out = bits + longs;
	fds.ex = bits + 2 * longs;
	fds.res_in = bits + 3 * longs;
	fds.res_out = bits + 4 * longs;
	fds.res_ex = bits + 5 * longs;
	ret = get_fd_set(fds.n, inp, fds.in);
	if (!ret)
		ret = get_fd_set(fds.n, outp, fds.out);
	if (!ret)
		ret = get_fd_set(fds.n, exp, fds.ex);
	if (!ret)
		ret = check_select_fds(&fds);
	if (ret)
		goto out;
	poll_initwait(&wait);
	ret = poll_loop(&wait, d, select_all_fds, &fds);
	poll_freewait(&wait);
	if (ret < 0)
		goto out;
	if (set_fd_set(fds.n, inp, fds.res_in) ||
	    set_fd_set(fds.n, outp, fds.res_out) ||
	    set_fd_set(fds.n, exp, fds.res_ex))
		ret = -EFAULT;
out:
	kfree(bits);
	return ret;
}

SYSCALL_DEFINE5(select, int, n, unsigned long __user *, inp,
		unsigned long __user *, outp, unsigned long __user *, exp,
		struct kernel_timeval __user *, tvp)
{
	struct poll_deadline d = { .forever = true };
	struct kernel_timeval tv;
	long ret;

	if (tvp) {
		if (copy_from_user(&tv, tvp, sizeof(tv)))
			return -EFAULT;
		/* Linux folds whole seconds of tv_usec into tv_sec */
		if (tv.tv_usec < 0 ||
		    set_deadline(&d, tv.tv_sec + tv.tv_usec / 1000000,
				 (tv.tv_usec % 1000000) * NSEC_PER_USEC))
			return -EINVAL;
	}
	ret = core_sys_select(n, inp, outp, exp, &d);
	return poll_select_finish(&d, tvp, PT_TIMEVAL, ret);
}

/* pselect6's sixth argument: the signal mask and its size. */
struct sigset_argpack {
	const sigset_t __user *p;
	size_t size;
};

SYSCALL_DEFINE6(pselect6, int, n, unsigned long __user *, inp,
		unsigned long __user *, outp, unsigned long __user *, exp,
		struct kernel_timespec __user *, tsp,
		const struct sigset_argpack __user *, sig)
{
	struct sigset_argpack pack = { NULL, 0 };
	struct poll_deadline d;
	long ret;

	ret = get_timespec_deadline(&d, tsp);
	if (ret)
		return ret;
	if (sig && copy_from_user(&pack, sig, sizeof(pack)))
		return -EFAULT;
	ret = set_user_sigmask(pack.p, pack.size);
	if (ret)
		return ret;
	ret = core_sys_select(n, inp, outp, exp, &d);
	return poll_select_finish(&d, tsp, PT_TIMESPEC, ret);
}
