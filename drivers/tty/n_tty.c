// SPDX-License-Identifier: MIT
/*
 * n_tty.c - the line discipline: what a terminal does between the wire
 * and read(2)/write(2), with Linux's N_TTY semantics.
 *
 * Input: each received byte is mapped (ISTRIP, IGNCR, ICRNL, INLCR),
 * checked for a signal character (ISIG: VINTR, VQUIT, VSUSP send SIGINT,
 * SIGQUIT, SIGTSTP to the foreground process group and, unless NOFLSH,
 * drop pending input), then either edited into the current line
 * (ICANON: VERASE, VKILL, VWERASE, VLNEXT; '\n', VEOL, VEOL2 and VEOF
 * end a line) or stored as it is (raw). Echoes (ECHO, ECHOE, ECHOK,
 * ECHOKE, ECHONL, ECHOCTL's "^C") go out through the driver at once.
 *
 * The input buffer is one ring of N_TTY_BUF_SIZE bytes with three
 * free-running indices, read_tail <= canon_head <= read_head: the bytes
 * before canon_head are complete lines a reader may take, those after it
 * the line being edited. Each line's last byte carries N_TTY_DELIM; the
 * byte that VEOF stored carries N_TTY_EOF as well and is never copied to
 * the reader, so ^D at the start of a line reads as 0 bytes. In raw mode
 * everything up to read_head is readable.
 *
 * Output (OPOST): ONLCR turns '\n' into "\r\n", OCRNL '\r' into '\n'.
 * The column is tracked so that erasing a tab backs up the right
 * number of cells.
 *
 * TODO: VREPRINT, VDISCARD, ECHOPRT, IXON flow control (^S/^Q are taken
 * out of the input but output never stops), PARMRK, IUTF8 erase of
 * multibyte characters, and TOSTOP/SIGTTOU.
 */
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/time.h>
#include <keel/timer.h>
#include <keel/tty.h>
#include <keel/uio.h>

#define N_TTY_DELIM 0x1
#define N_TTY_EOF   0x2
#define BUF_MASK    (N_TTY_BUF_SIZE - 1)

#define L(tty, f)  ((tty)->termios.c_lflag & (f))
#define I(tty, f)  ((tty)->termios.c_iflag & (f))
#define O(tty, f)  ((tty)->termios.c_oflag & (f))
#define CC(tty, v) ((tty)->termios.c_cc[v])

/* Is c the (enabled) control character v? */
static bool is_cc(struct tty_struct *tty, u8 c, int v)
{
	return CC(tty, v) != _POSIX_VDISABLE && c == CC(tty, v);
}

static bool is_cntrl(u8 c)
{
	return c < 0x20 || c == 0x7f;
}

/* A word character for VWERASE (Linux: isalnum or '_'). */
static bool is_word(u8 c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z') || c == '_';
}

static size_t read_cnt(struct tty_struct *tty)
{
	return tty->read_head - tty->read_tail;
}

/* ---- echo and output processing ---- */

static void flush_echoes(struct tty_struct *tty)
{
	lockdep_assert_held(&tty->lock);
	if (tty->echo_len)
		tty->ops->write(tty, tty->echo_buf, tty->echo_len);
	tty->echo_len = 0;
}

static void echo_raw(struct tty_struct *tty, u8 c)
{
	if (tty->echo_len == sizeof(tty->echo_buf))
		flush_echoes(tty);
	tty->echo_buf[tty->echo_len++] = c;
}

/*
 * c as output processing makes it, into out (room for 2); updates the
 * column. Returns the bytes to send.
 */
static unsigned int opost_char(struct tty_struct *tty, u8 c, u8 *out)
{
	if (!O(tty, OPOST)) {
		out[0] = c;
		return 1;
	}
	switch (c) {
	case '\n':
		tty->column = 0;
		if (O(tty, ONLCR)) {
			out[0] = '\r';
			out[1] = '\n';
			return 2;
		}
		break;
	case '\r':
		if (O(tty, OCRNL)) {
			tty->column = 0;
			out[0] = '\n';
			return 1;
		}
		tty->column = 0;
		break;
	case '\t': tty->column = (tty->column | 7) + 1; break;
	case '\b':
		if (tty->column)
			tty->column--;
		break;
	default:
		if (!is_cntrl(c))
			tty->column++;
	}
	out[0] = c;
	return 1;
}

static void echo_opost(struct tty_struct *tty, u8 c)
{
	u8 out[2];
	unsigned int n = opost_char(tty, c, out);

	for (unsigned int i = 0; i < n; i++)
		echo_raw(tty, out[i]);
}

/* Echo c as typed: ECHOCTL shows control characters as ^X. */
static void echo_char(struct tty_struct *tty, u8 c)
{
	if (L(tty, ECHOCTL) && is_cntrl(c) && c != '\t' && c != '\n') {
		echo_raw(tty, '^');
		echo_raw(tty, c ^ 0100);
		tty->column += 2;
		return;
	}
	echo_opost(tty, c);
}

/* "\b \b": rub out one cell. */
static void echo_rubout(struct tty_struct *tty)
{
	echo_opost(tty, '\b');
	echo_opost(tty, ' ');
	echo_opost(tty, '\b');
}

/* ---- the input buffer ---- */

static void put_char(struct tty_struct *tty, u8 c, u8 flags)
{
	size_t i = tty->read_head & BUF_MASK;

	tty->read_buf[i] = c;
	tty->read_flags[i] = flags;
	tty->read_head++;
}

static u8 buf_at(struct tty_struct *tty, size_t i)
{
	return tty->read_buf[i & BUF_MASK];
}

void n_tty_flush_input(struct tty_struct *tty)
{
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	tty->read_tail = tty->canon_head = tty->read_head = 0;
	tty->lnext = false;
	spin_unlock_irqrestore(&tty->lock, flags);
	wake_up(&tty->read_wait);
}

/* The column at which the byte at index end of the edited line starts. */
static unsigned int line_column(struct tty_struct *tty, size_t end)
{
	unsigned int col = tty->canon_column;

	for (size_t i = tty->canon_head; i != end; i++) {
		u8 c = buf_at(tty, i);

		if (c == '\t')
			col = (col | 7) + 1;
		else if (is_cntrl(c))
			col += L(tty, ECHOCTL) ? 2 : 0;
		else
			col++;
	}
	return col;
}

/* Rub out the echo of c, the last byte of the edited line (now gone). */
static void echo_erase(struct tty_struct *tty, u8 c)
{
	if (c == '\t') {
		unsigned int from = line_column(tty, tty->read_head);
		unsigned int to = (from | 7) + 1;

		while (to-- > from)
			echo_opost(tty, '\b');
		return;
	}
	if (is_cntrl(c) && L(tty, ECHOCTL))
		echo_rubout(tty);
	if (!is_cntrl(c) || L(tty, ECHOCTL))
		echo_rubout(tty);
}

enum kill_type { ERASE, WERASE, KILL };

/* VERASE, VWERASE or VKILL on the edited line. */
static void eraser(struct tty_struct *tty, u8 c)
{
	enum kill_type type;
	bool seen_alnum = false;

	if (tty->read_head == tty->canon_head)
		return;
	if (is_cc(tty, c, VERASE)) {
		type = ERASE;
	} else if (is_cc(tty, c, VWERASE)) {
		type = WERASE;
	} else {
		type = KILL;
		if (!L(tty, ECHO)) {
			tty->read_head = tty->canon_head;
			return;
		}
		if (!L(tty, ECHOK) || !L(tty, ECHOKE) || !L(tty, ECHOE)) {
			tty->read_head = tty->canon_head;
			echo_char(tty, c);
			if (L(tty, ECHOK))
				echo_opost(tty, '\n');
			return;
		}
	}
	while (tty->read_head != tty->canon_head) {
		u8 prev = buf_at(tty, tty->read_head - 1);

		if (type == WERASE) {
			if (is_word(prev))
				seen_alnum = true;
			else if (seen_alnum)
				break;
		}
		tty->read_head--;
		if (L(tty, ECHO)) {
			if (type == ERASE && !L(tty, ECHOE))
				echo_char(tty, CC(tty, VERASE));
			else
				echo_erase(tty, prev);
		}
		if (type == ERASE)
			break;
	}
}

/* A line ends at the byte just stored: readers may take it. */
static void commit_line(struct tty_struct *tty)
{
	tty->canon_head = tty->read_head;
	tty->canon_column = tty->column;
}

/* Is there room for c? Canonical mode keeps the last slot for '\n'. */
static bool has_room(struct tty_struct *tty, bool delim)
{
	size_t left = N_TTY_BUF_SIZE - read_cnt(tty);

	if (!L(tty, ICANON))
		return left > 0;
	return left > 1 || (left == 1 && delim);
}

/* A byte to keep, echoed as typed. */
static void receive_plain(struct tty_struct *tty, u8 c)
{
	if (!has_room(tty, false))
		return;
	if (tty->read_head == tty->canon_head && L(tty, ICANON))
		tty->canon_column = tty->column;
	if (L(tty, ECHO))
		echo_char(tty, c);
	put_char(tty, c, 0);
}

/* ICANON's special bytes; returns true if c was one. */
static bool receive_canon(struct tty_struct *tty, u8 c)
{
	if (is_cc(tty, c, VERASE) || is_cc(tty, c, VKILL) ||
	    (is_cc(tty, c, VWERASE) && L(tty, IEXTEN))) {
		eraser(tty, c);
		return true;
	}
	if (is_cc(tty, c, VLNEXT) && L(tty, IEXTEN)) {
		tty->lnext = true;
		if (L(tty, ECHO) && L(tty, ECHOCTL)) {
			echo_raw(tty, '^');
			echo_raw(tty, '\b');
		}
		return true;
	}
	if (c == '\n') {
		if (!has_room(tty, true))
			return true;
		if (L(tty, ECHO) || L(tty, ECHONL))
			echo_opost(tty, '\n');
		put_char(tty, c, N_TTY_DELIM);
		commit_line(tty);
		return true;
	}
	if (is_cc(tty, c, VEOF)) {
		if (!has_room(tty, true))
			return true;
		put_char(tty, c, N_TTY_DELIM | N_TTY_EOF);
		commit_line(tty);
		return true;
	}
	if (is_cc(tty, c, VEOL) || is_cc(tty, c, VEOL2)) {
		if (!has_room(tty, true))
			return true;
		if (L(tty, ECHO))
			echo_char(tty, c);
		put_char(tty, c, N_TTY_DELIM);
		commit_line(tty);
		return true;
	}
	return false;
}

/* The signal c stands for under ISIG, or 0. */
static int signal_char(struct tty_struct *tty, u8 c)
{
	if (!L(tty, ISIG))
		return 0;
	if (is_cc(tty, c, VINTR))
		return SIGINT;
	if (is_cc(tty, c, VQUIT))
		return SIGQUIT;
	if (is_cc(tty, c, VSUSP))
		return SIGTSTP;
	return 0;
}

/*
 * One received byte, under tty->lock. Returns the signal to send to
 * the foreground process group (after the lock is dropped), or 0.
 */
static int receive_char(struct tty_struct *tty, u8 c)
{
	int sig;

	if (I(tty, ISTRIP))
		c &= 0x7f;
	if (tty->lnext) {
		tty->lnext = false;
		receive_plain(tty, c); /* its echo overwrites "^\b" */
		return 0;
	}
	if (I(tty, IXON) && (is_cc(tty, c, VSTART) || is_cc(tty, c, VSTOP)))
		return 0;
	sig = signal_char(tty, c);
	if (sig) {
		if (!L(tty, NOFLSH)) {
			tty->read_tail = tty->canon_head = tty->read_head = 0;
			tty->lnext = false;
		}
		if (L(tty, ECHO))
			echo_char(tty, c);
		return sig;
	}
	if (c == '\r') {
		if (I(tty, IGNCR))
			return 0;
		if (I(tty, ICRNL))
			c = '\n';
	} else if (c == '\n' && I(tty, INLCR)) {
		c = '\r';
	}
	if (L(tty, ICANON) && receive_canon(tty, c))
		return 0;
	receive_plain(tty, c);
	return 0;
}

static void send_signal(struct tty_struct *tty, int pgrp, int sig)
{
	if (tty->ops->signal)
		tty->ops->signal(tty, pgrp, sig);
	else if (pgrp > 0)
		kill_pgrp(pgrp, sig, 1);
}

void n_tty_receive_buf(struct tty_struct *tty, const u8 *buf, size_t n)
{
	unsigned long flags;

	for (size_t i = 0; i < n; i++) {
		int sig, pgrp;

		spin_lock_irqsave(&tty->lock, flags);
		sig = receive_char(tty, buf[i]);
		pgrp = tty->pgrp;
		flush_echoes(tty);
		spin_unlock_irqrestore(&tty->lock, flags);
		if (sig)
			send_signal(tty, pgrp, sig);
	}
	wake_up(&tty->read_wait);
}

/* ---- reading ---- */

static bool input_available(struct tty_struct *tty, bool poll)
{
	size_t amt = 1;

	lockdep_assert_held(&tty->lock);
	if (L(tty, ICANON))
		return tty->canon_head != tty->read_tail;
	if (poll && !CC(tty, VTIME) && CC(tty, VMIN))
		amt = CC(tty, VMIN);
	return read_cnt(tty) >= amt;
}

static bool input_available_locked(struct tty_struct *tty)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&tty->lock, flags);
	ret = input_available(tty, false);
	spin_unlock_irqrestore(&tty->lock, flags);
	return ret;
}

bool n_tty_input_available(struct tty_struct *tty)
{
	unsigned long flags;
	bool ret;

	spin_lock_irqsave(&tty->lock, flags);
	ret = input_available(tty, true);
	spin_unlock_irqrestore(&tty->lock, flags);
	return ret;
}

size_t n_tty_chars_in_buffer(struct tty_struct *tty)
{
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&tty->lock, flags);
	n = L(tty, ICANON) ? tty->canon_head - tty->read_tail : read_cnt(tty);
	spin_unlock_irqrestore(&tty->lock, flags);
	return n;
}

/*
 * Take up to max readable bytes into out, under tty->lock: in ICANON
 * mode at most one line, which ends the read (*line_done). Returns the
 * bytes taken (a VEOF byte is consumed but not counted).
 */
static size_t take_input(struct tty_struct *tty, u8 *out, size_t max,
			 bool *line_done)
{
	size_t end = L(tty, ICANON) ? tty->canon_head : tty->read_head;
	size_t n = 0;

	while (tty->read_tail != end && n < max) {
		size_t i = tty->read_tail & BUF_MASK;
		u8 fl = tty->read_flags[i];

		tty->read_tail++;
		if (L(tty, ICANON) && (fl & N_TTY_DELIM)) {
			*line_done = true;
			if (!(fl & N_TTY_EOF))
				out[n++] = tty->read_buf[i];
			break;
		}
		out[n++] = tty->read_buf[i];
	}
	return n;
}

/*
 * Wait for input until timeout (jiffies; MAX_SCHEDULE_TIMEOUT: none)
 * or a signal. Returns the jiffies left (0: timed out) or -ERESTARTSYS.
 */
static long wait_input(struct tty_struct *tty, long timeout)
{
	DEFINE_WAIT(w);

	for (;;) {
		prepare_to_wait(&tty->read_wait, &w, TASK_INTERRUPTIBLE);
		if (input_available_locked(tty))
			break;
		if (signal_pending(current)) {
			timeout = -ERESTARTSYS;
			break;
		}
		if (!timeout)
			break;
		timeout = schedule_timeout(timeout);
	}
	finish_wait(&tty->read_wait, &w);
	return timeout;
}

#define READ_CHUNK 256

ssize_t n_tty_read(struct tty_struct *tty, struct iov_iter *to, bool nonblock)
{
	long timeout = MAX_SCHEDULE_TIMEOUT, inter = 0;
	size_t want = iov_iter_count(to), done = 0, minimum = 0;
	bool canon, line_done = false;
	unsigned long flags;
	u8 buf[READ_CHUNK];
	ssize_t ret = 0;

	spin_lock_irqsave(&tty->lock, flags);
	canon = L(tty, ICANON);
	if (!canon) {
		minimum = CC(tty, VMIN);
		if (minimum)
			inter = CC(tty, VTIME) * (HZ / 10);
		else
			timeout = CC(tty, VTIME) * (HZ / 10);
		if (!minimum)
			minimum = 1;
	}
	spin_unlock_irqrestore(&tty->lock, flags);
	if (!want)
		return 0;
	/* one reader at a time; waiting for the turn is interruptible */
	if (!mutex_trylock(&tty->read_mutex)) {
		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(tty->read_wait,
					       mutex_trylock(&tty->read_mutex));
		if (ret)
			return ret;
	}
	while (done < want && !line_done) {
		size_t n, max = min(want - done, sizeof(buf));

		spin_lock_irqsave(&tty->lock, flags);
		n = take_input(tty, buf, max, &line_done);
		spin_unlock_irqrestore(&tty->lock, flags);
		if (n && copy_to_iter(buf, n, to) != n) {
			ret = -EFAULT;
			break;
		}
		done += n;
		if (line_done || (!canon && done >= minimum))
			break;
		if (n) {
			if (inter)
				timeout = inter;
			continue;
		}
		if (nonblock) {
			ret = -EAGAIN;
			break;
		}
		if (!timeout)
			break;
		timeout = wait_input(tty, timeout);
		if (timeout < 0) {
			ret = timeout;
			break;
		}
	}
	mutex_unlock(&tty->read_mutex);
	wake_up(&tty->read_wait); /* the next reader's turn */
	return done ? (ssize_t)done : ret;
}

/* ---- writing ---- */

#define WRITE_CHUNK 128

ssize_t n_tty_write(struct tty_struct *tty, struct iov_iter *from)
{
	u8 in[WRITE_CHUNK], out[2 * WRITE_CHUNK];
	unsigned long flags;
	ssize_t done = 0;

	while (iov_iter_count(from)) {
		size_t n = copy_from_iter(in, sizeof(in), from), len = 0;

		if (!n)
			return done ? done : -EFAULT;
		spin_lock_irqsave(&tty->lock, flags);
		for (size_t i = 0; i < n; i++)
			len += opost_char(tty, in[i], out + len);
		tty->ops->write(tty, out, len);
		spin_unlock_irqrestore(&tty->lock, flags);
		done += n;
	}
	return done;
}

void n_tty_set_termios(struct tty_struct *tty, const struct termios2 *old)
{
	bool was = old->c_lflag & ICANON, now = L(tty, ICANON);

	lockdep_assert_held(&tty->lock);
	if (was == now)
		return;
	/* as Linux: unread input is one line, readable at once */
	for (size_t i = tty->read_tail; i != tty->read_head; i++)
		tty->read_flags[i & BUF_MASK] = 0;
	if (now && read_cnt(tty))
		tty->read_flags[(tty->read_head - 1) & BUF_MASK] = N_TTY_DELIM;
	tty->canon_head = now ? tty->read_head : tty->read_tail;
	tty->canon_column = tty->column;
	tty->lnext = false;
}
