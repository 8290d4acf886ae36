// SPDX-License-Identifier: MIT
/*
 * logring.c - the byte ring under the kernel log (keel/logring.h).
 * Kept apart from printk so that its wrap-around logic can be tested on
 * rings of a few bytes.
 */
#include <keel/compiler.h>
#include <keel/logring.h>

void log_ring_write(struct log_ring *r, const char *s, size_t len)
{
	/* only the last size bytes of a huge write can survive */
	if (len > r->size) {
		r->head += len - r->size;
		s += len - r->size;
		len = r->size;
	}
	for (size_t i = 0; i < len; i++)
		r->buf[(r->head + i) % r->size] = s[i];
	r->head += len;
}

static u64 oldest(const struct log_ring *r)
{
	return r->head > r->size ? r->head - r->size : 0;
}

static void copy_out(const struct log_ring *r, u64 from, char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = r->buf[(from + i) % r->size];
}

size_t log_ring_read(const struct log_ring *r, u64 *pos, char *buf, size_t len)
{
	u64 start = oldest(r);
	size_t n;

	if (*pos < start) {
		/*
		 * The line *pos was in is (partly) gone: resume after the
		 * first newline still held. A ring without one is returned
		 * as it is.
		 */
		u64 p = start;

		while (p < r->head && r->buf[p % r->size] != '\n')
			p++;
		*pos = p < r->head ? p + 1 : start;
	}
	if (*pos > r->head)
		*pos = r->head;
	n = min((u64)len, r->head - *pos);
	copy_out(r, *pos, buf, n);
	*pos += n;
	return n;
}

size_t log_ring_tail(const struct log_ring *r, char *buf, size_t len)
{
	size_t n = min((u64)len, r->head - oldest(r));

	copy_out(r, r->head - n, buf, n);
	return n;
}
