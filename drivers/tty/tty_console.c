// SPDX-License-Identifier: MIT
/*
 * tty_console.c - the console terminal: /dev/console (5:1), /dev/tty
 * (5:0, the caller's controlling terminal) and /dev/ttyS0 (4:64) are
 * one tty_struct over COM1 (serial8250.c), with the N_TTY line
 * discipline (n_tty.c) and the tty layer's file operations (tty_io.c).
 *
 * Input: the UART's receive interrupt puts bytes in serial8250's ring
 * and wakes its queue; the thread "tty_rx" takes them into the line
 * discipline in process context (so ^C can send a signal from there),
 * which wakes readers. The thread runs from the first open of the
 * console to the last close: the kernel monitor reads the same UART
 * when no user space runs.
 *
 * Output: the line discipline's bytes (already OPOST-processed) go to
 * every console with console_write_raw(), under the log's lock, so a
 * printk line and a user's write interleave only whole chunks, as in
 * Linux.
 */
#include <keel/init.h>
#include <keel/kthread.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/serial.h>
#include <keel/signal.h>
#include <keel/tty.h>

#define TTY_MAJOR    4
#define TTYAUX_MAJOR 5
#define RX_CHUNK     64

static struct tty_struct console_tty;
static DEFINE_MUTEX(open_mutex);
static unsigned int open_count; /* files open on the console */
static struct task *rx_thread;	/* tty_rx, while open_count > 0 */

static void console_tty_write(struct tty_struct *tty, const u8 *buf, size_t len)
{
	(void)tty;
	console_write_raw((const char *)buf, len);
}

static const struct tty_operations console_tty_ops = {
	.write = console_tty_write,
};

static bool rx_ready(void)
{
	return serial_rx_pending() || kthread_should_stop();
}

/*
 * Feed received bytes to the line discipline until the last close. The
 * timeout covers a UART without a receive interrupt
 * (serial_rx_pending() polls it).
 */
static int tty_rx_thread(void *data)
{
	struct tty_struct *tty = data;

	while (!kthread_should_stop()) {
		u8 buf[RX_CHUNK];
		size_t n = 0;
		int c;

		wait_event_timeout(*serial_rx_waitqueue(), rx_ready(), HZ / 10);
		while (n < sizeof(buf) && (c = serial_read_char()) >= 0)
			buf[n++] = c;
		if (n)
			n_tty_receive_buf(tty, buf, n);
	}
	return 0;
}

/* First open: take the UART's input (start tty_rx). */
static int claim_input(void)
{
	struct task *t;

	lockdep_assert_held(&open_mutex);
	if (rx_thread)
		return 0;
	t = kthread_run(tty_rx_thread, &console_tty, "tty_rx");
	if (IS_ERR(t))
		return PTR_ERR(t);
	rx_thread = t;
	return 0;
}

/*
 * Linux's tty_open rules for the controlling terminal: /dev/tty is the
 * caller's controlling terminal or -ENXIO; a session leader without
 * one that opens the tty (not /dev/console, not O_NOCTTY) acquires it.
 */
static int console_open(struct inode *inode, struct file *f)
{
	struct tty_struct *tty = &console_tty;
	dev_t dev = inode->i_rdev;
	unsigned long flags;
	int err;

	if (dev == MKDEV(TTYAUX_MAJOR, 0)) {
		int sid = tty_session(tty);

		if (!sid || task_session_nr(current) != sid)
			return -ENXIO;
	}
	mutex_lock(&open_mutex);
	err = claim_input();
	if (!err)
		open_count++;
	mutex_unlock(&open_mutex);
	if (err)
		return err;
	f->private_data = tty;
	/* a stream (Linux's stream_open): a reader that waits must not
	 * hold f_pos_lock, which writers of the same file take */
	f->f_mode |= FMODE_STREAM;
	if (dev == MKDEV(TTY_MAJOR, 64) && !(f->f_flags & O_NOCTTY) &&
	    task_session_nr(current) == current->pid && !tty_session(tty)) {
		spin_lock_irqsave(&tty->lock, flags);
		if (!tty->session) {
			tty->session = current->pid;
			tty->pgrp = task_pgrp_nr(current);
		}
		spin_unlock_irqrestore(&tty->lock, flags);
	}
	return 0;
}

/* Last close: stop tty_rx; the monitor may read the UART again. */
static int console_release(struct inode *inode, struct file *f)
{
	(void)inode;
	(void)f;
	mutex_lock(&open_mutex);
	if (!--open_count) {
		kthread_stop(rx_thread);
		rx_thread = NULL;
	}
	mutex_unlock(&open_mutex);
	return 0;
}

static struct file_operations console_fops;

static int tty_console_init(void)
{
	int err;

	tty_struct_init(&console_tty, "console", &console_tty_ops);
	console_fops = tty_fops;
	console_fops.open = console_open;
	console_fops.release = console_release;
	err = register_chrdev_region_fops(MKDEV(TTYAUX_MAJOR, 0), 2, "console",
					  &console_fops);
	if (err)
		return err;
	return register_chrdev_region_fops(MKDEV(TTY_MAJOR, 64), 1, "ttyS0",
					   &console_fops);
}
core_initcall(tty_console_init);
