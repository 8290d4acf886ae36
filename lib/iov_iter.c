// SPDX-License-Identifier: MIT
/*
 * iov_iter.c - moving data into and out of an iov_iter (keel/uio.h).
 * Each helper moves min(bytes, what is left) - less where user memory
 * faults - advances the iterator by what it moved and returns that.
 */
#include <keel/compiler.h>
#include <keel/string.h>
#include <keel/uaccess.h>
#include <keel/uio.h>

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	size_t n = min(bytes, i->count);

	if (i->iter_type == ITER_UBUF)
		n -= copy_to_user((void __user *)i->base, addr, n);
	else
		memcpy(i->base, addr, n);
	iov_iter_advance(i, n);
	return n;
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	size_t n = min(bytes, i->count);

	if (i->iter_type == ITER_UBUF)
		n -= copy_from_user(addr, (const void __user *)i->base, n);
	else
		memcpy(addr, i->base, n);
	iov_iter_advance(i, n);
	return n;
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *i)
{
	size_t n = min(bytes, i->count);

	if (i->iter_type == ITER_UBUF)
		n -= clear_user((void __user *)i->base, n);
	else
		memset(i->base, 0, n);
	iov_iter_advance(i, n);
	return n;
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	bytes = min(bytes, i->count);
	i->base += bytes;
	i->count -= bytes;
}
