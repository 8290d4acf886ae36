// SPDX-License-Identifier: MIT
/*
 * exec_file.c - where exec finds executables: a regular file opened
 * through the VFS (filp_open), read with kernel_read at the offsets the
 * ELF loader asks for. Anything else (a directory, a device) is
 * -EACCES, as Linux answers.
 */
#include <keel/errno.h>
#include <keel/fcntl.h>
#include <keel/fs.h>
#include <keel/stat.h>

#include "exec_file.h"

static long exec_read(void *file, void *buf, size_t len, u64 pos)
{
	loff_t p = pos;

	return kernel_read(file, buf, len, &p);
}

int exec_open(const char *path, struct linux_binprm *bprm)
{
	struct file *f = filp_open(path, O_RDONLY, 0);

	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!S_ISREG(file_inode(f)->i_mode)) {
		fput(f);
		return -EACCES;
	}
	bprm->read = exec_read;
	bprm->file = f;
	bprm->size = file_inode(f)->i_size;
	return 0;
}

void exec_close(struct linux_binprm *bprm)
{
	fput(bprm->file);
}
