/* SPDX-License-Identifier: MIT */
/*
 * fs/initramfs.h - the cpio unpacker's state (fs/initramfs.c), shared
 * with its tests.
 */
#ifndef _FS_INITRAMFS_H
#define _FS_INITRAMFS_H

#include <keel/fs.h>

#define CPIO_HDR_LEN 110

struct cpio_link; /* "070701" and 13 fields of 8 hex digits */

struct cpio {
	int state;
	u32 have, need; /* bytes of the current part collected / wanted */
	u64 offset;	/* bytes of cpio data seen (for padding) */
	u32 f[13];	/* the header's fields */
	u8 buf[112];	/* the header */
	char *name;	/* PATH_MAX each */
	char *link;
	char *path;
	const char *prefix; /* the directory to unpack into ("" for /) */
	struct file *file;  /* the regular file being written */
	loff_t pos;
	bool skip_entry;	 /* its creation failed: drop its body */
	struct cpio_link *links; /* files with nlink >= 2 seen so far */
	int err;
	const char *why; /* what was malformed */
	unsigned long nr_entries, nr_skipped, nr_archives;
};

struct unpack_result {
	unsigned long entries;	/* files, directories, links, nodes */
	unsigned long skipped;	/* entries the VFS refused */
	unsigned long archives; /* trailers seen */
	const char *why;	/* NULL, or why unpacking stopped */
	u64 where;		/* input offset of the part that failed */
	u64 cpio_offset;	/* bytes of cpio data taken before it */
};

long cpio_write(struct cpio *c, const u8 *p, size_t n);
int cpio_finish(struct cpio *c);
/*
 * Unpack buf (cpio newc archives, raw or gzip members, concatenated)
 * into the directory prefix. Returns 0 or -EINVAL/-ENOMEM, with what
 * was done and what went wrong in *res (also printed).
 */
int unpack_archive(const u8 *buf, size_t len, const char *prefix,
		   struct unpack_result *res);

#endif
