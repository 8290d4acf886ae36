/* SPDX-License-Identifier: MIT */
/*
 * keel/uio.h - struct iov_iter: the buffer a read or write moves data
 * to or from (Linux's include/linux/uio.h, cut down).
 *
 * file_operations' read_iter/write_iter see only an iov_iter, so one
 * implementation serves kernel_read() (a kernel buffer, ITER_KVEC) and
 * the read() system call (a user buffer). The copy helpers advance the
 * iterator by what they moved and return that count; a short count
 * means the buffer ended or (user memory) faulted, and the caller
 * returns what it moved so far, or -EFAULT if nothing.
 *
 * ITER_UBUF is one user buffer: copies go through copy_to_user and
 * copy_from_user, so a bad pointer moves fewer bytes (never a fault).
 * readv/writev iterate over one iov_iter per segment.
 */
#ifndef _KEEL_UIO_H
#define _KEEL_UIO_H

#include <keel/types.h>

enum iter_type {
	ITER_KVEC, /* one kernel buffer */
	ITER_UBUF, /* one user buffer */
};

#define ITER_SOURCE 1 /* data comes out of the buffer (a write) */
#define ITER_DEST   0 /* data goes into the buffer (a read) */

struct iov_iter {
	u8 iter_type;
	bool data_source;
	size_t count; /* bytes left */
	char *base;   /* next byte */
};

static inline void iov_iter_kvec_one(struct iov_iter *i, unsigned int dir,
				     void *buf, size_t count)
{
	i->iter_type = ITER_KVEC;
	i->data_source = dir == ITER_SOURCE;
	i->base = buf;
	i->count = count;
}

/* A user buffer (its pointer is checked by each copy, not here). */
static inline void iov_iter_ubuf(struct iov_iter *i, unsigned int dir,
				 void *ubuf, size_t count)
{
	i->iter_type = ITER_UBUF;
	i->data_source = dir == ITER_SOURCE;
	i->base = ubuf;
	i->count = count;
}

static inline size_t iov_iter_count(const struct iov_iter *i)
{
	return i->count;
}

/* Copy up to bytes from addr into the buffer; returns bytes copied. */
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
/* Copy up to bytes from the buffer to addr; returns bytes copied. */
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
/* Fill up to bytes of the buffer with zeroes; returns bytes zeroed. */
size_t iov_iter_zero(size_t bytes, struct iov_iter *i);
/* Skip bytes of the buffer (they count as moved). */
void iov_iter_advance(struct iov_iter *i, size_t bytes);

#endif
