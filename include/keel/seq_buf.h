/* SPDX-License-Identifier: MIT */
/*
 * keel/seq_buf.h - formatted text into a fixed buffer that remembers
 * whether it overflowed (Linux's seq_buf), for generated files (/proc).
 */
#ifndef _KEEL_SEQ_BUF_H
#define _KEEL_SEQ_BUF_H

#include <keel/compiler.h>
#include <keel/types.h>

struct seq_buf {
	char *buffer;
	size_t size;
	size_t len; /* bytes written; > size - 1 means it overflowed */
};

static inline void seq_buf_init(struct seq_buf *s, char *buf, size_t size)
{
	s->buffer = buf;
	s->size = size;
	s->len = 0;
}

static inline bool seq_buf_has_overflowed(const struct seq_buf *s)
{
	return s->len >= s->size;
}

static inline size_t seq_buf_used(const struct seq_buf *s)
{
	return s->len < s->size ? s->len : s->size;
}

/* Append; on overflow the text is cut and the overflow remembered. */
__printf(2, 3) int seq_buf_printf(struct seq_buf *s, const char *fmt, ...);
/* Append len bytes as they are (NULs included); same overflow rule. */
void seq_buf_putmem(struct seq_buf *s, const void *mem, size_t len);

#endif
