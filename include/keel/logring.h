/* SPDX-License-Identifier: MIT */
/*
 * keel/logring.h - a byte ring that keeps the newest bytes written.
 *
 * The kernel log (printk) is one; tests use small ones. head counts every
 * byte ever written, so a reader's cursor tells whether what it wanted
 * was overwritten. No locking: the owner serializes access.
 */
#ifndef _KEEL_LOGRING_H
#define _KEEL_LOGRING_H

#include <keel/types.h>

struct log_ring {
	char *buf;
	size_t size;
	u64 head; /* total bytes written; next byte at head % size */
};

void log_ring_write(struct log_ring *r, const char *s, size_t len);
/*
 * Copy bytes from cursor *pos on, advancing it; returns the count. If
 * *pos points at overwritten bytes, it first moves to the start of the
 * oldest complete line still held (just after the first '\n').
 */
size_t log_ring_read(const struct log_ring *r, u64 *pos, char *buf, size_t len);
/* Copy the newest min(len, held) bytes; returns the count. */
size_t log_ring_tail(const struct log_ring *r, char *buf, size_t len);

#endif
