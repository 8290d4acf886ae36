// SPDX-License-Identifier: MIT
/*
 * tty_console.c - /dev/console (5:1) and /dev/tty (5:0): the serial
 * console as a plain file. Writes go to every console (serial, fbcon)
 * without entering the kernel log; reads wait for the first received
 * byte (or return -EAGAIN with O_NONBLOCK), then take what else has
 * arrived, up to the buffer's size or a newline.
 *
 * TODO: a tty with a line discipline (canonical mode, echo, erase,
 * signals, termios ioctls, job control); this is the raw byte stream.
 * TODO: reads wait in serial_wait_char's halt loop, not on a wait
 * queue, and cannot be interrupted.
 */
#include <keel/fs.h>
#include <keel/init.h>
#include <keel/printk.h>
#include <keel/serial.h>

#define CONSOLE_CHUNK 128

static ssize_t console_read(struct kiocb *iocb, struct iov_iter *to)
{
	char buf[CONSOLE_CHUNK];
	size_t n = 0, max = min(iov_iter_count(to), sizeof(buf));
	int c = serial_read_char();

	if (c < 0 && (iocb->ki_flags & IOCB_NOWAIT))
		return -EAGAIN;
	if (c < 0)
		c = serial_wait_char();
	buf[n++] = c;
	while (n < max && c != '\n' && (c = serial_read_char()) >= 0)
		buf[n++] = c;
	n = copy_to_iter(buf, n, to);
	return n ? (ssize_t)n : -EFAULT;
}

static ssize_t console_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	char buf[CONSOLE_CHUNK];
	ssize_t done = 0;

	while (iov_iter_count(from)) {
		size_t n = copy_from_iter(buf, sizeof(buf), from);

		if (!n)
			return done ? done : -EFAULT;
		console_write(buf, n);
		done += n;
	}
	return done;
}

static const struct file_operations console_fops = {
	.llseek = no_llseek,
	.read_iter = console_read,
	.write_iter = console_write_iter,
};

static int tty_console_init(void)
{
	return register_chrdev_region_fops(MKDEV(5, 0), 2, "console",
					   &console_fops);
}
core_initcall(tty_console_init);
