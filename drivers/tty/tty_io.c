// SPDX-License-Identifier: MIT
/*
 * tty_io.c - the tty layer: a tty's file operations (read, write, poll
 * through the line discipline, n_tty.c) and its ioctls with Linux's
 * numbers and semantics: termios (TCGETS, TCSETS*, TCGETS2, TCSETS2*),
 * the window size, flushing, and job control (TIOCSCTTY, TIOCNOTTY,
 * TIOCGPGRP, TIOCSPGRP, TIOCGSID).
 *
 * Controlling terminal: Linux keeps it per process (signal->tty); keel
 * has one terminal, so the tty keeps the session it belongs to and a
 * process's controlling tty is this one exactly when the process is in
 * that session (tty_is_ctty). TIOCSCTTY by a session leader, or a
 * leader's open of a tty that is not /dev/console and not O_NOCTTY
 * (tty_console.c), sets the session and makes the leader's process
 * group the foreground one.
 *
 * Linux frees a session's tty when the leader exits; keel has no hook
 * in exit for it, so tty_session() drops a session whose leader is gone
 * when it next looks.
 *
 * TODO: a background process group reading or changing the terminal
 * gets no SIGTTIN/SIGTTOU; TIOCSPGRP does not check that the group
 * exists in the session; the leader's exit sends no SIGHUP to the
 * foreground group; a non-leader's TIOCNOTTY changes nothing (the tty
 * is per session here, not per process).
 */
#include <keel/poll.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/tty.h>
#include <keel/uaccess.h>

void tty_init_termios(struct tty_struct *tty)
{
	static const cc_t init_cc[NCCS] = {
		[VINTR] = 003,	  [VQUIT] = 034,   [VERASE] = 0177,
		[VKILL] = 025,	  [VEOF] = 004,	   [VTIME] = 0,
		[VMIN] = 1,	  [VSTART] = 021,  [VSTOP] = 023,
		[VSUSP] = 032,	  [VEOL] = 0,	   [VREPRINT] = 022,
		[VDISCARD] = 017, [VWERASE] = 027, [VLNEXT] = 026,
		[VEOL2] = 0,
	};
	struct termios2 *t = &tty->termios;

	t->c_iflag = ICRNL | IXON;
	t->c_oflag = OPOST | ONLCR;
	t->c_cflag = B115200 | CS8 | CREAD | HUPCL | CLOCAL;
	t->c_lflag = ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE |
		     IEXTEN;
	t->c_line = 0;
	memcpy(t->c_cc, init_cc, sizeof(init_cc));
	t->c_ispeed = t->c_ospeed = 115200;
}

void tty_struct_init(struct tty_struct *tty, const char *name,
		     const struct tty_operations *ops)
{
	memset(tty, 0, sizeof(*tty));
	tty->name = name;
	tty->ops = ops;
	spin_lock_init(&tty->lock);
	mutex_init(&tty->read_mutex, "tty->read_mutex");
	init_waitqueue_head(&tty->read_wait);
	tty_init_termios(tty);
	/* a serial line has no size to ask: the VT100 default */
	tty->winsize.ws_row = 24;
	tty->winsize.ws_col = 80;
}

static struct tty_struct *file_tty(struct file *f)
{
	return f->private_data;
}

/* Is session sid's leader alive (not yet a zombie) and still its leader? */
static bool session_alive(int sid)
{
	struct task *t = find_task_by_pid(sid);
	bool alive;

	if (!t)
		return false;
	alive = !READ_ONCE(t->exit_state) && task_session_nr(t) == sid;
	put_task(t);
	return alive;
}

int tty_session(struct tty_struct *tty)
{
	int sid = READ_ONCE(tty->session);
	unsigned long flags;

	if (!sid || session_alive(sid))
		return sid;
	spin_lock_irqsave(&tty->lock, flags);
	if (tty->session == sid)
		tty->session = tty->pgrp = 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	return 0;
}

/* Is tty the calling process's controlling terminal? */
static bool tty_is_ctty(struct tty_struct *tty)
{
	int sid = tty_session(tty);

	return sid && task_session_nr(current) == sid;
}

static bool is_session_leader(void)
{
	return task_session_nr(current) == current->pid;
}

static ssize_t tty_read(struct kiocb *iocb, struct iov_iter *to)
{
	return n_tty_read(file_tty(iocb->ki_filp), to,
			  iocb->ki_flags & IOCB_NOWAIT);
}

static ssize_t tty_write(struct kiocb *iocb, struct iov_iter *from)
{
	return n_tty_write(file_tty(iocb->ki_filp), from);
}

static __poll_t tty_poll(struct file *f, poll_table *pt)
{
	struct tty_struct *tty = file_tty(f);
	__poll_t mask = EPOLLOUT | EPOLLWRNORM; /* output never waits */

	poll_wait(f, &tty->read_wait, pt);
	if (n_tty_input_available(tty))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static long tty_unlocked_ioctl(struct file *f, unsigned int cmd,
			       unsigned long arg)
{
	return tty_ioctl(file_tty(f), f, cmd, arg);
}

const struct file_operations tty_fops = {
	.llseek = no_llseek,
	.read_iter = tty_read,
	.write_iter = tty_write,
	.poll = tty_poll,
	.unlocked_ioctl = tty_unlocked_ioctl,
};

/* ---- termios ---- */

static int get_termios(struct tty_struct *tty, void __user *arg, size_t size)
{
	struct termios2 t;
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	t = tty->termios;
	spin_unlock_irqrestore(&tty->lock, flags);
	return copy_to_user(arg, &t, size) ? -EFAULT : 0;
}

/*
 * TCSETS* (size: struct termios, speeds kept) and TCSETS2* (struct
 * termios2). flush: TCSETSF drops pending input first. Output is
 * written synchronously, so TCSETSW has nothing to wait for.
 */
static int set_termios(struct tty_struct *tty, const void __user *arg,
		       size_t size, bool flush)
{
	struct termios2 t, old;
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	t = tty->termios;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (copy_from_user(&t, arg, size))
		return -EFAULT;
	if (flush)
		n_tty_flush_input(tty);
	spin_lock_irqsave(&tty->lock, flags);
	old = tty->termios;
	tty->termios = t;
	n_tty_set_termios(tty, &old);
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up(&tty->read_wait); /* a mode change can make input readable */
	return 0;
}

/* ---- job control ---- */

/* TIOCSCTTY: make tty the controlling terminal of the caller's session. */
static int tiocsctty(struct tty_struct *tty, struct file *f, int steal)
{
	int sid = task_session_nr(current), ret = 0;
	unsigned long flags;

	if (!is_session_leader())
		return tty_is_ctty(tty) ? 0 : -EPERM;
	tty_session(tty); /* forget a dead session */
	spin_lock_irqsave(&tty->lock, flags);
	if (tty->session == sid)
		goto out; /* already ours */
	/* everyone is root (CAP_SYS_ADMIN): steal= 1 may take it */
	if ((tty->session && steal != 1) || !(f->f_mode & FMODE_READ)) {
		ret = -EPERM;
		goto out;
	}
	tty->session = sid;
	tty->pgrp = task_pgrp_nr(current);
out:
	spin_unlock_irqrestore(&tty->lock, flags);
	return ret;
}

/*
 * TIOCNOTTY: a session leader gives the terminal up: its foreground
 * group gets SIGHUP and SIGCONT, as in Linux's disassociate_ctty.
 */
static int tiocnotty(struct tty_struct *tty)
{
	unsigned long flags;
	int pgrp;

	if (!tty_is_ctty(tty))
		return -ENOTTY;
	if (!is_session_leader())
		return 0; /* TODO: per-process controlling tty */
	spin_lock_irqsave(&tty->lock, flags);
	pgrp = tty->pgrp;
	tty->session = tty->pgrp = 0;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (pgrp > 0) {
		kill_pgrp(pgrp, SIGHUP, 1);
		kill_pgrp(pgrp, SIGCONT, 1);
	}
	return 0;
}

static int tiocspgrp(struct tty_struct *tty, int __user *arg)
{
	int pgrp;

	if (!tty_is_ctty(tty))
		return -ENOTTY;
	if (get_user(pgrp, arg))
		return -EFAULT;
	if (pgrp < 0)
		return -EINVAL;
	if (!pgrp)
		return -ESRCH;
	WRITE_ONCE(tty->pgrp, pgrp);
	return 0;
}

static int tiocgwinsz(struct tty_struct *tty, void __user *arg)
{
	struct winsize ws;
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	ws = tty->winsize;
	spin_unlock_irqrestore(&tty->lock, flags);
	return copy_to_user(arg, &ws, sizeof(ws)) ? -EFAULT : 0;
}

static int tiocswinsz(struct tty_struct *tty, const void __user *arg)
{
	struct winsize ws;
	unsigned long flags;
	bool changed;
	int pgrp;

	if (copy_from_user(&ws, arg, sizeof(ws)))
		return -EFAULT;
	spin_lock_irqsave(&tty->lock, flags);
	changed = memcmp(&ws, &tty->winsize, sizeof(ws)) != 0;
	tty->winsize = ws;
	pgrp = tty->pgrp;
	spin_unlock_irqrestore(&tty->lock, flags);
	if (changed && pgrp > 0)
		kill_pgrp(pgrp, SIGWINCH, 1);
	return 0;
}

long tty_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd,
	       unsigned long arg)
{
	void __user *p = (void __user *)arg;

	switch (cmd) {
	case TCGETS: return get_termios(tty, p, sizeof(struct termios));
	case TCGETS2: return get_termios(tty, p, sizeof(struct termios2));
	case TCSETS:
	case TCSETSW:
	case TCSETSF:
		return set_termios(tty, p, sizeof(struct termios),
				   cmd == TCSETSF);
	case TCSETS2:
	case TCSETSW2:
	case TCSETSF2:
		return set_termios(tty, p, sizeof(struct termios2),
				   cmd == TCSETSF2);
	case TIOCGWINSZ: return tiocgwinsz(tty, p);
	case TIOCSWINSZ: return tiocswinsz(tty, p);
	case TIOCSCTTY: return tiocsctty(tty, f, (int)arg);
	case TIOCNOTTY: return tiocnotty(tty);
	case TIOCGPGRP:
		if (!tty_is_ctty(tty))
			return -ENOTTY;
		return put_user(READ_ONCE(tty->pgrp), (int __user *)p);
	case TIOCSPGRP: return tiocspgrp(tty, p);
	case TIOCGSID:
		if (!tty_is_ctty(tty))
			return -ENOTTY;
		return put_user(tty_session(tty), (int __user *)p);
	case FIONREAD:
		return put_user((int)n_tty_chars_in_buffer(tty),
				(int __user *)p);
	case TIOCOUTQ:
		return put_user(0, (int __user *)p); /* written at once */
	case TCFLSH:
		if (arg > TCIOFLUSH)
			return -EINVAL;
		if (arg != TCOFLUSH)
			n_tty_flush_input(tty);
		return 0;
	case TCXONC:
		/* TODO: flow control; output never stops */
		return arg > TCION ? -EINVAL : 0;
	case TCSBRK:
	case TCSBRKP: return 0; /* tcdrain(): output is already out; no break */
	default: return -ENOTTY;
	}
}
