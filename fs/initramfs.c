// SPDX-License-Identifier: MIT
/*
 * initramfs.c - unpack cpio "newc" archives, gzip-compressed or not,
 * into a directory (at boot: the initrd QEMU passed, into /).
 *
 * The archive is a stream of entries: a 110-byte ASCII header ("070701"
 * or "070702" and 13 eight-digit hex fields), the NUL-terminated name,
 * padding to 4 bytes, the data (a file's contents or a symlink's
 * target), padding to 4. "TRAILER!!!" ends an archive; zero bytes may
 * follow, then another archive or a gzip member (Linux's rules for
 * concatenated initramfs images). The parser is a state machine fed by
 * whatever arrives (raw bytes, or the gzip decoder's window), so no
 * part of the archive is ever held whole.
 *
 * A malformed archive (bad magic or hex, a name or file size out of
 * range, a truncated entry, bad gzip) stops the unpacking with one
 * "initramfs: ..." error line naming the offset; what was unpacked
 * before stays. An entry the VFS refuses (its directory is missing, a
 * name with "..") is reported and skipped.
 *
 * Hard links: regular files with nlink >= 2 that share (ino, device,
 * mode) are one file. The first such entry is created, later ones are
 * linked to it, and whatever data an entry carries (GNU cpio puts it
 * on the last) is written into the shared file, as Linux does.
 */
#include <keel/boot.h>
#include <keel/fs.h>
#include <keel/inflate.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "initramfs.h"
#include "internal.h"

#define CPIO_MAX_FILE (1U << 30) /* ramfs's limit */

enum cpio_state {
	ST_START,
	ST_HEADER,
	ST_NAME,
	ST_NAME_PAD,
	ST_BODY,
	ST_BODY_PAD,
	ST_EOF,
};

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_MAJ,
	F_MIN,
	F_RMAJ,
	F_RMIN,
	F_NAMESIZE,
	F_CHECK,
	NR_FIELDS
};

static int fail(struct cpio *c, const char *why)
{
	if (!c->err) {
		c->err = -EINVAL;
		c->why = why;
	}
	return c->err;
}

/* Eight hex digits at p into *v; false on any other character. */
static bool parse_hex8(const u8 *p, u32 *v)
{
	*v = 0;
	for (int i = 0; i < 8; i++) {
		int d = p[i] >= '0' && p[i] <= '9' ? p[i] - '0' :
			p[i] >= 'a' && p[i] <= 'f' ? p[i] - 'a' + 10 :
			p[i] >= 'A' && p[i] <= 'F' ? p[i] - 'A' + 10 :
						     -1;

		if (d < 0)
			return false;
		*v = *v << 4 | d;
	}
	return true;
}

static int parse_header(struct cpio *c)
{
	if (memcmp(c->buf, "070701", 6) && memcmp(c->buf, "070702", 6))
		return fail(c, "bad cpio magic (not newc)");
	for (int i = 0; i < NR_FIELDS; i++)
		if (!parse_hex8(c->buf + 6 + 8 * i, &c->f[i]))
			return fail(c, "bad hex digit in cpio header");
	if (c->f[F_NAMESIZE] < 2 || c->f[F_NAMESIZE] > PATH_MAX)
		return fail(c, "cpio name size out of range");
	if (c->f[F_FILESIZE] > CPIO_MAX_FILE)
		return fail(c, "cpio file size too large");
	if (S_ISLNK(c->f[F_MODE]) && c->f[F_FILESIZE] >= PATH_MAX)
		return fail(c, "cpio symlink target too long");
	return 0;
}

/* The full path of the entry (c->prefix + "/" + name) into c->path. */
static int entry_path(struct cpio *c)
{
	const char *n = c->name, *p;
	int len;

	while (n[0] == '.' && n[1] == '/')
		n += 2;
	for (p = n; (p = strstr(p, "..")); p += 2)
		if ((p == n || p[-1] == '/') && (!p[2] || p[2] == '/'))
			return -EINVAL; /* a ".." component */
	len = snprintf(c->path, PATH_MAX, "%s/%s", c->prefix, n);
	return len >= PATH_MAX ? -ENAMETOOLONG : 0;
}

/* Owner, mode and time from the header (umask does not apply). */
static void set_attrs(struct cpio *c)
{
	struct iattr attr = {
		.ia_valid = ATTR_MODE | ATTR_UID | ATTR_GID | ATTR_MTIME,
		.ia_mode = c->f[F_MODE],
		.ia_uid = c->f[F_UID],
		.ia_gid = c->f[F_GID],
		.ia_mtime = { .tv_sec = c->f[F_MTIME] },
	};
	struct path p;

	if (kern_path(c->path, 0, &p))
		return;
	mutex_lock(&p.dentry->d_inode->i_mutex);
	notify_change(p.dentry, &attr);
	mutex_unlock(&p.dentry->d_inode->i_mutex);
	path_put(&p);
}

static void entry_failed(struct cpio *c, int err)
{
	pr_warn("initramfs: cannot create %s (%s), skipped\n", c->name,
		errname(err));
	c->nr_skipped++;
}

struct cpio_link {
	struct cpio_link *next;
	u32 ino, maj, min, mode;
	char path[]; /* the first name, as created */
};

/* An earlier entry that is the same file as this one, or NULL. */
static struct cpio_link *find_link(struct cpio *c)
{
	for (struct cpio_link *l = c->links; l; l = l->next)
		if (l->ino == c->f[F_INO] && l->maj == c->f[F_MAJ] &&
		    l->min == c->f[F_MIN] && l->mode == c->f[F_MODE])
			return l;
	return NULL;
}

/* Remember this entry for later links to it; -ENOMEM. */
static int remember_link(struct cpio *c)
{
	size_t len = strlen(c->path) + 1;
	struct cpio_link *l = kmalloc(sizeof(*l) + len, GFP_KERNEL);

	if (!l)
		return -ENOMEM;
	*l = (struct cpio_link){ c->links, c->f[F_INO], c->f[F_MAJ],
				 c->f[F_MIN], c->f[F_MODE] };
	memcpy(l->path, c->path, len);
	c->links = l;
	return 0;
}

static void free_links(struct cpio *c)
{
	while (c->links) {
		struct cpio_link *l = c->links;

		c->links = l->next;
		kfree(l);
	}
}

/*
 * A regular file: linked to an earlier entry of the same inode, or
 * created (replacing what was there, as Linux does); opened for the
 * body in c->file.
 */
static int open_regular(struct cpio *c, u32 mode)
{
	struct cpio_link *l = c->f[F_NLINK] >= 2 ? find_link(c) : NULL;
	int flags = O_WRONLY | O_CREAT;
	int err;

	do_unlinkat(AT_FDCWD, c->path);
	if (l) {
		err = do_linkat(AT_FDCWD, l->path, AT_FDCWD, c->path, 0);
		if (err)
			return err;
	} else {
		flags |= O_TRUNC;
		if (c->f[F_NLINK] >= 2 && remember_link(c))
			return -ENOMEM;
	}
	c->pos = 0;
	c->file = filp_open(c->path, flags, mode & S_IALLUGO);
	if (!IS_ERR(c->file))
		return 0;
	err = PTR_ERR(c->file);
	c->file = NULL;
	return err;
}

/* Create the entry named in c->name; the body (if any) follows. */
static int do_entry(struct cpio *c)
{
	u32 mode = c->f[F_MODE];
	int err = entry_path(c);

	c->file = NULL;
	if (err)
		goto out;
	if (S_ISREG(mode)) {
		err = open_regular(c, mode);
	} else if (S_ISDIR(mode)) {
		err = do_mkdirat(AT_FDCWD, c->path, mode & S_IALLUGO);
		if (err == -EEXIST)
			err = 0;
	} else if (S_ISCHR(mode) || S_ISBLK(mode) || S_ISFIFO(mode) ||
		   S_ISSOCK(mode)) {
		do_unlinkat(AT_FDCWD, c->path);
		err = do_mknodat(AT_FDCWD, c->path, mode,
				 MKDEV(c->f[F_RMAJ], c->f[F_RMIN]));
	} else if (!S_ISLNK(mode)) {
		return fail(c, "unknown file type in cpio entry");
	}
out:
	c->skip_entry = err != 0;
	if (err)
		entry_failed(c, err);
	else if (!S_ISLNK(mode))
		c->nr_entries++;
	if (!err && !S_ISREG(mode) && !S_ISLNK(mode))
		set_attrs(c);
	return 0;
}

static int finish_body(struct cpio *c)
{
	int err = 0;

	if (c->file) {
		fput(c->file);
		c->file = NULL;
		set_attrs(c);
	} else if (S_ISLNK(c->f[F_MODE]) && !c->skip_entry) {
		c->link[c->f[F_FILESIZE]] = '\0';
		do_unlinkat(AT_FDCWD, c->path);
		err = do_symlinkat(c->link, AT_FDCWD, c->path);
		if (err)
			entry_failed(c, err);
		else
			c->nr_entries++;
	}
	return 0;
}

/* Body bytes: to the file, the symlink buffer, or nowhere. */
static int body_bytes(struct cpio *c, const u8 *p, size_t n)
{
	ssize_t w;

	if (S_ISLNK(c->f[F_MODE])) {
		memcpy(c->link + c->have, p, n); /* < PATH_MAX: checked */
		return 0;
	}
	if (!c->file)
		return 0;
	w = kernel_write(c->file, p, n, &c->pos);
	if (w == (ssize_t)n)
		return 0;
	pr_err("initramfs: writing %s failed (%s)\n", c->name,
	       errname(w < 0 ? w : -ENOSPC));
	return fail(c, "out of space for the archive's files");
}

static size_t pad4(u64 off)
{
	return (4 - (off & 3)) & 3;
}

static void set_state(struct cpio *c, int state, u32 need)
{
	c->state = state;
	c->have = 0;
	c->need = need;
}

/* The name is in: the trailer, or an entry to create. */
static int name_done(struct cpio *c)
{
	if (c->name[c->f[F_NAMESIZE] - 1])
		return fail(c, "cpio name not NUL-terminated");
	if (!strcmp(c->name, "TRAILER!!!")) {
		set_state(c, ST_EOF, 0);
		c->nr_archives++;
		return 0;
	}
	set_state(c, ST_NAME_PAD, pad4(c->offset));
	return do_entry(c);
}

/* The current state has all it needs: move to the next. */
static int advance(struct cpio *c)
{
	int err = 0;

	switch (c->state) {
	case ST_HEADER:
		err = parse_header(c);
		set_state(c, ST_NAME, c->f[F_NAMESIZE]);
		break;
	case ST_NAME: err = name_done(c); break;
	case ST_NAME_PAD: set_state(c, ST_BODY, c->f[F_FILESIZE]); break;
	case ST_BODY:
		err = finish_body(c);
		set_state(c, ST_BODY_PAD, pad4(c->offset));
		break;
	default: /* ST_BODY_PAD */ set_state(c, ST_HEADER, CPIO_HDR_LEN); break;
	}
	return err;
}

/*
 * Between archives: skip zeros; a '0' starts a header. Anything else
 * ends the cpio data (*stop): the caller decides what it is.
 */
static size_t between_archives(struct cpio *c, const u8 *p, size_t n,
			       bool *stop)
{
	size_t i = 0;

	while (i < n && p[i] == 0)
		i++;
	if (i < n && p[i] == '0')
		set_state(c, ST_HEADER, CPIO_HDR_LEN);
	else if (i < n)
		*stop = true;
	return i;
}

/* Take bytes for the current state; the count taken or -E. */
static long consume(struct cpio *c, const u8 *p, size_t n)
{
	size_t t = min(n, (size_t)(c->need - c->have));
	int err = 0;

	if (c->state == ST_HEADER)
		memcpy(c->buf + c->have, p, t);
	else if (c->state == ST_NAME)
		memcpy(c->name + c->have, p, t);
	else if (c->state == ST_BODY)
		err = body_bytes(c, p, t);
	c->have += t;
	return err ? err : (long)t;
}

long cpio_write(struct cpio *c, const u8 *p, size_t n)
{
	size_t done = 0;

	while (!c->err) {
		bool stop = false;
		long t;

		if (c->state != ST_START && c->state != ST_EOF &&
		    c->have == c->need) {
			advance(c);
			continue;
		}
		if (done == n)
			break;
		if (c->state == ST_START || c->state == ST_EOF)
			t = between_archives(c, p + done, n - done, &stop);
		else
			t = consume(c, p + done, n - done);
		if (t < 0)
			break;
		done += t;
		c->offset += t;
		if (stop)
			break;
	}
	return c->err ? c->err : (long)done;
}

/* End of the data: -EINVAL if an entry was cut short. */
int cpio_finish(struct cpio *c)
{
	if (c->file) {
		fput(c->file);
		c->file = NULL;
	}
	if (c->err)
		return c->err;
	if ((c->state == ST_HEADER && c->have) || c->state == ST_NAME ||
	    c->state == ST_NAME_PAD || c->state == ST_BODY)
		return fail(c, "truncated cpio archive");
	return 0;
}

/* gunzip's window into the cpio parser: all of it must be taken. */
static int flush_to_cpio(void *arg, const u8 *buf, size_t len)
{
	struct cpio *c = arg;
	long t = cpio_write(c, buf, len);

	if (t >= 0 && (size_t)t < len)
		return fail(c, "data after the cpio archive in a gzip member");
	return t < 0 ? t : 0;
}

/* Raw cpio or a gzip member at *pos; advances *pos. */
static int unpack_one(struct cpio *c, const u8 *buf, size_t len, size_t *pos,
		      const char **why)
{
	long t;

	if ((c->state == ST_START || c->state == ST_EOF) &&
	    gzip_magic(buf + *pos, len - *pos)) {
		t = gunzip(buf + *pos, len - *pos, flush_to_cpio, c, why);
		if (c->err)
			*why = c->why;
	} else {
		t = cpio_write(c, buf + *pos, len - *pos);
		*why = c->why;
		if (t == 0) {
			*why = "neither cpio nor gzip data";
			t = -EINVAL;
		}
	}
	if (t < 0)
		return t;
	*pos += t;
	return 0;
}

static void report(const struct unpack_result *res, const char *prefix)
{
	if (res->why)
		pr_err("initramfs: %s (input offset %llu, cpio byte %llu); unpacking stopped\n",
		       res->why, res->where, res->cpio_offset);
	pr_info("initramfs: %lu entries unpacked into %s/ (%lu skipped), %lu archive(s)\n",
		res->entries, prefix, res->skipped, res->archives);
}

int unpack_archive(const u8 *buf, size_t len, const char *prefix,
		   struct unpack_result *res)
{
	struct cpio *c = kzalloc(sizeof(*c), GFP_KERNEL);
	size_t pos = 0;
	int err = -ENOMEM;

	memset(res, 0, sizeof(*res));
	if (!c)
		return err;
	c->name = kmalloc(PATH_MAX, GFP_KERNEL);
	c->link = kmalloc(PATH_MAX, GFP_KERNEL);
	c->path = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!c->name || !c->link || !c->path)
		goto out;
	c->prefix = prefix;
	err = 0;
	while (!err && pos < len)
		err = unpack_one(c, buf, len, &pos, &res->why);
	if (!err) {
		err = cpio_finish(c);
		res->why = c->why;
	} else {
		cpio_finish(c);
		res->why = res->why ? res->why : errname(err);
	}
	res->where = pos;
	res->cpio_offset = c->offset;
	res->entries = c->nr_entries;
	res->skipped = c->nr_skipped;
	res->archives = c->nr_archives;
	report(res, prefix);
out:
	free_links(c);
	kfree(c->name);
	kfree(c->link);
	kfree(c->path);
	kfree(c);
	return err;
}

/*
 * Boot: unpack each boot module (QEMU's -initrd is module 0) into /,
 * then give its pages back to the page allocator.
 */
void populate_rootfs(void)
{
	for (unsigned int i = 0; i < boot_info.nr_modules; i++) {
		const struct boot_module *m = &boot_info.modules[i];
		struct unpack_result res;
		unsigned long freed;

		if (!m->len)
			continue;
		pr_info("initramfs: module %u, %llu bytes at %#llx\n", i,
			m->len, m->base);
		unpack_archive(phys_to_virt(m->base), m->len, "", &res);
		freed = free_reserved_area(phys_to_virt(m->base),
					   phys_to_virt(m->base + m->len));
		pr_info("initramfs: freed %lu KiB of initrd memory\n",
			freed * (PAGE_SIZE / 1024));
	}
}
