/* SPDX-License-Identifier: MIT */
/*
 * keel/tty.h - terminals: a tty_struct is one terminal (keel has one,
 * the serial console, drivers/tty/tty_console.c), its line discipline
 * state (drivers/tty/n_tty.c, Linux's N_TTY) and its job-control state
 * (drivers/tty/tty_io.c: session, foreground process group).
 *
 *	driver            line discipline              reader
 *	received bytes -> n_tty_receive_buf()  -----> n_tty_read()
 *	                   (edit, echo, signals)       (lines or VMIN/VTIME)
 *	ops->write    <-  echoes, n_tty_write() <---- write(2)
 *
 * Bytes reach n_tty_receive_buf() in process context (the console's
 * receive thread, or a ktest), because ^C sends a signal and signals are
 * sent from process context. Echoes go out through ops->write while the
 * tty's lock is held, so ops->write must not sleep nor take the lock.
 *
 * Locking: tty->lock (a spinlock, taken with interrupts off) guards the
 * input buffer, termios, winsize, column and the session/pgrp fields;
 * read_mutex makes readers take turns (a read copies out whole lines).
 */
#ifndef _KEEL_TTY_H
#define _KEEL_TTY_H

#include <keel/fs.h>
#include <keel/mutex.h>
#include <keel/spinlock.h>
#include <keel/termios.h>
#include <keel/wait.h>

#define N_TTY_BUF_SIZE 4096 /* a power of two */

struct tty_struct;

struct tty_operations {
	/* Send len bytes to the terminal as they are. Never sleeps. */
	void (*write)(struct tty_struct *tty, const u8 *buf, size_t len);
	/*
	 * Optional: deliver sig to process group pgrp for the line
	 * discipline (^C and friends). NULL: kill_pgrp() (keel/signal.h).
	 * The ktests record the call here instead.
	 */
	void (*signal)(struct tty_struct *tty, int pgrp, int sig);
};

struct tty_struct {
	const char *name;
	const struct tty_operations *ops;
	spinlock_t lock;
	struct mutex read_mutex;
	struct wait_queue_head read_wait; /* input arrived, or flushed */

	struct termios2 termios; /* with the speeds */
	struct winsize winsize;
	int session; /* session whose controlling tty this is; 0: none */
	int pgrp;    /* foreground process group; 0: none */

	/* n_tty: the input buffer, indices free-running (mod size) */
	u8 read_buf[N_TTY_BUF_SIZE];
	u8 read_flags[N_TTY_BUF_SIZE]; /* N_TTY_DELIM, N_TTY_EOF */
	size_t read_tail;	       /* next byte a reader takes */
	size_t canon_head;	   /* end of the last complete line (ICANON) */
	size_t read_head;	   /* end of input */
	bool lnext;		   /* the next byte is literal (VLNEXT) */
	unsigned int column;	   /* output column, for tab erase */
	unsigned int canon_column; /* column where the edited line began */
	u8 echo_buf[64];	   /* echoes waiting for ops->write */
	unsigned int echo_len;
};

/* Linux's defaults (tty_std_termios), at 115200 baud. */
void tty_init_termios(struct tty_struct *tty);
/* Set up tty: its lock, queues, default termios, an 80x24 window. */
void tty_struct_init(struct tty_struct *tty, const char *name,
		     const struct tty_operations *ops);

/* ---- the line discipline (n_tty.c) ---- */

/* Feed received bytes. Process context; takes tty->lock. */
void n_tty_receive_buf(struct tty_struct *tty, const u8 *buf, size_t n);
/*
 * Read into to: a line (ICANON) or by VMIN/VTIME. nonblock: -EAGAIN
 * instead of waiting. Returns the bytes read (0: end of file, or VTIME
 * ran out), -ERESTARTSYS on a signal, -EFAULT. Takes read_mutex.
 */
ssize_t n_tty_read(struct tty_struct *tty, struct iov_iter *to, bool nonblock);
/* Write from, with output processing (OPOST). Returns bytes or -EFAULT. */
ssize_t n_tty_write(struct tty_struct *tty, struct iov_iter *from);
/* Would a read return now? (poll's EPOLLIN) */
bool n_tty_input_available(struct tty_struct *tty);
/* Bytes a read could take now (FIONREAD). */
size_t n_tty_chars_in_buffer(struct tty_struct *tty);
/* Drop all input (TCFLSH, a signal character without NOFLSH). */
void n_tty_flush_input(struct tty_struct *tty);
/*
 * termios changed from old (caller holds tty->lock). Switching ICANON
 * either way makes the unread input readable as it is: leaving it hands
 * over a half-typed line, entering it turns what raw mode left unread
 * into one line (Linux's n_tty_set_termios).
 */
void n_tty_set_termios(struct tty_struct *tty, const struct termios2 *old);

/* ---- the tty layer (tty_io.c) ---- */

/* The file operations of a tty whose file->private_data is the tty. */
extern const struct file_operations tty_fops;
/* tty's session ID, or 0 (none, or its leader has exited: dropped). */
int tty_session(struct tty_struct *tty);
/* ioctl on tty; 0 or -Exxx (-ENOTTY for what a tty does not know). */
long tty_ioctl(struct tty_struct *tty, struct file *f, unsigned int cmd,
	       unsigned long arg);

#endif
