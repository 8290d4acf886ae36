/* SPDX-License-Identifier: MIT */
/*
 * keel/inflate.h - DEFLATE (RFC 1951) and gzip (RFC 1952) decoding,
 * streaming, for the initramfs (lib/inflate.c).
 *
 * Output goes through a 64 KiB window: each time it fills (and at the
 * end) the new bytes are handed to flush(), which may stop the stream
 * by returning -Exxx. Nothing is allocated but the window. Every
 * malformed input (bad header, truncated data, over-subscribed codes,
 * a distance before the start, a CRC or size mismatch) returns -EINVAL
 * and sets *why to a one-line reason; no input can make it read or
 * write out of bounds.
 */
#ifndef _KEEL_INFLATE_H
#define _KEEL_INFLATE_H

#include <keel/types.h>

typedef int (*inflate_flush_t)(void *arg, const u8 *buf, size_t len);

/* CRC-32 (IEEE 802.3, reflected, as gzip and zlib use), continued. */
u32 crc32_le(u32 crc, const u8 *p, size_t len);

/* True if buf starts like a gzip member (magic and method 8). */
bool gzip_magic(const u8 *buf, size_t len);

/*
 * Decode the gzip member at in. Returns the bytes of input it took
 * (header to trailer), or -EINVAL with *why set, -ENOMEM (no window),
 * or flush()'s error.
 */
long gunzip(const u8 *in, size_t len, inflate_flush_t flush, void *arg,
	    const char **why);

#endif
