// SPDX-License-Identifier: MIT
/*
 * exec_file.c - where exec finds executables: for now, straight in the
 * initramfs QEMU passed (-initrd), an uncompressed cpio "newc" archive
 * read in place (TODO: through the VFS, filp_open/kernel_read, once it
 * is merged; this file then shrinks to that call).
 *
 * Each member is a 110-byte ASCII header ("070701" and 13 eight-digit
 * hex fields), its name (namesize bytes, NUL included) padded to 4, and
 * its data padded to 4; "TRAILER!!!" ends it. Every field is checked
 * against the archive's end: a damaged archive is -ENOENT, never a read
 * past it.
 */
#include <keel/boot.h>
#include <keel/errno.h>
#include <keel/mm.h>
#include <keel/slab.h>
#include <keel/string.h>

#include "exec_file.h"

#define CPIO_HDR_LEN 110
#define S_IFMT	     0170000
#define S_IFREG	     0100000

struct cpio_file {
	const char *data;
	u64 size;
};

static bool hex_field(const char *p, unsigned int i, u32 *out)
{
	u32 v = 0;

	p += 6 + 8 * i;
	for (int k = 0; k < 8; k++) {
		char c = p[k];
		int d = c >= '0' && c <= '9' ? c - '0' :
			c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 :
					       -1;

		if (d < 0)
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Name without leading "/" or "./" (cpio stores "init" or "./init"). */
static const char *strip_root(const char *path)
{
	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += *path == '/' ? 1 : 2;
	return path;
}

/* Find path in the archive [a, a + len); 0 and *f, or -ENOENT. */
static int cpio_find(const char *a, u64 len, const char *path,
		     struct cpio_file *f)
{
	u64 off = 0;

	while (off + CPIO_HDR_LEN <= len) {
		const char *h = a + off, *name = h + CPIO_HDR_LEN;
		u32 mode, size, namesize;
		u64 data;

		if (memcmp(h, "070701", 6) || !hex_field(h, 1, &mode) ||
		    !hex_field(h, 6, &size) || !hex_field(h, 11, &namesize) ||
		    !namesize || namesize > len - off - CPIO_HDR_LEN ||
		    name[namesize - 1])
			return -ENOENT;
		data = ALIGN_UP(off + CPIO_HDR_LEN + namesize, 4);
		if (!strcmp(name, "TRAILER!!!") || data > len ||
		    size > len - data)
			return -ENOENT;
		if ((mode & S_IFMT) == S_IFREG &&
		    !strcmp(strip_root(name), path)) {
			f->data = a + data;
			f->size = size;
			return 0;
		}
		off = ALIGN_UP(data + size, 4);
	}
	return -ENOENT;
}

static long cpio_read(void *file, void *buf, size_t len, u64 pos)
{
	const struct cpio_file *f = file;

	if (pos >= f->size)
		return 0;
	len = min(len, (size_t)(f->size - pos));
	memcpy(buf, f->data + pos, len);
	return len;
}

int exec_open(const char *path, struct linux_binprm *bprm)
{
	const struct boot_module *m = &boot_info.modules[0];
	struct cpio_file *f;
	int err;

	if (!boot_info.nr_modules)
		return -ENOENT;
	f = kmalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	err = cpio_find(phys_to_virt(m->base), m->len, strip_root(path), f);
	if (err) {
		kfree(f);
		return err;
	}
	bprm->read = cpio_read;
	bprm->file = f;
	bprm->size = f->size;
	return 0;
}

void exec_close(struct linux_binprm *bprm)
{
	kfree(bprm->file);
}
