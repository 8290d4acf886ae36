// SPDX-License-Identifier: MIT
/* seq_buf.c - formatted text into a fixed buffer (keel/seq_buf.h). */
#include <keel/printk.h>
#include <keel/seq_buf.h>
#include <keel/string.h>

int seq_buf_printf(struct seq_buf *s, const char *fmt, ...)
{
	size_t room = s->len < s->size ? s->size - s->len : 0;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(room ? s->buffer + s->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n < 0)
		return n;
	s->len += n;
	if (s->len >= s->size)
		s->len = s->size; /* overflowed: stays full */
	return 0;
}

void seq_buf_putmem(struct seq_buf *s, const void *mem, size_t len)
{
	if (s->len < s->size && len < s->size - s->len) {
		memcpy(s->buffer + s->len, mem, len);
		s->len += len;
	} else {
		s->len = s->size; /* overflowed: stays full */
	}
}
