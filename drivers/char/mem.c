// SPDX-License-Identifier: MIT
/*
 * mem.c - the memory character devices, major 1 as in Linux:
 *   1:3 null     reads end at once, writes vanish
 *   1:5 zero     reads give zeroes, writes vanish
 *   1:7 full     reads give zeroes, writes fail with -ENOSPC
 *   1:8 random, 1:9 urandom   reads give keel/random.h's bytes (NOT
 *                cryptographic), writes are taken and ignored
 * Seeks succeed and do nothing (position 0), as Linux's null_lseek.
 */
#include <keel/fs.h>
#include <keel/init.h>
#include <keel/random.h>

static loff_t null_lseek(struct file *f, loff_t offset, int whence)
{
	return f->f_pos = 0;
}

static ssize_t read_null(struct kiocb *iocb, struct iov_iter *to)
{
	return 0;
}

static ssize_t write_null(struct kiocb *iocb, struct iov_iter *from)
{
	size_t n = iov_iter_count(from);

	iov_iter_advance(from, n);
	return n;
}

static ssize_t read_zero(struct kiocb *iocb, struct iov_iter *to)
{
	size_t want = iov_iter_count(to);
	size_t n = iov_iter_zero(want, to);

	return n ? (ssize_t)n : -EFAULT;
}

static ssize_t write_full(struct kiocb *iocb, struct iov_iter *from)
{
	return -ENOSPC;
}

static ssize_t read_urandom(struct kiocb *iocb, struct iov_iter *to)
{
	ssize_t done = 0;
	u8 buf[64];

	while (iov_iter_count(to)) {
		size_t n = min(sizeof(buf), iov_iter_count(to)), got;

		get_random_bytes(buf, n);
		got = copy_to_iter(buf, n, to);
		done += got;
		if (got < n)
			return done ? done : -EFAULT;
	}
	return done;
}

static const struct file_operations null_fops = {
	.llseek = null_lseek,
	.read_iter = read_null,
	.write_iter = write_null,
};

static const struct file_operations zero_fops = {
	.llseek = null_lseek,
	.read_iter = read_zero,
	.write_iter = write_null,
};

static const struct file_operations full_fops = {
	.llseek = null_lseek,
	.read_iter = read_zero,
	.write_iter = write_full,
};

static const struct file_operations urandom_fops = {
	.llseek = null_lseek,
	.read_iter = read_urandom,
	.write_iter = write_null,
};

static int chr_dev_init(void)
{
	int err =
		register_chrdev_region_fops(MKDEV(1, 3), 1, "null", &null_fops);

	err = err   ?:
		      register_chrdev_region_fops(MKDEV(1, 5), 1, "zero",
						  &zero_fops);
	err = err   ?:
		      register_chrdev_region_fops(MKDEV(1, 7), 1, "full",
						  &full_fops);
	err = err   ?:
		      register_chrdev_region_fops(MKDEV(1, 8), 2, "urandom",
						  &urandom_fops);
	return err;
}
core_initcall(chr_dev_init);
