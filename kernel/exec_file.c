// SPDX-License-Identifier: MIT
/*
 * exec_file.c - where exec finds executables: the VFS (filp_open and
 * kernel_read), so anything in the tree can run - the initramfs that
 * was unpacked into / at boot, or a file written since.
 */
#include <keel/errno.h>
#include <keel/fs.h>

#include "exec_file.h"

static long exec_read(void *file, void *buf, size_t len, u64 pos)
{
	loff_t p = pos;

	return kernel_read(file, buf, len, &p);
}

/*
 * Open path for exec: 0, the walk's error (-ENOENT, -ENOTDIR,
 * -ELOOP...) or -EACCES for anything but a regular file. The type is
 * checked before the file is opened, as Linux's may_open() does for
 * MAY_EXEC: opening a FIFO would wait for a writer, a device's open
 * has effects of its own.
 * TODO: the execute permission bits and noexec mounts.
 */
int exec_open(const char *path, struct linux_binprm *bprm)
{
	struct path p;
	struct file *f;
	int err = kern_path(path, LOOKUP_FOLLOW, &p);

	if (err)
		return err;
	if (!S_ISREG(d_inode(p.dentry)->i_mode)) {
		path_put(&p);
		return -EACCES;
	}
	f = dentry_open(&p, O_RDONLY);
	path_put(&p);
	if (IS_ERR(f))
		return PTR_ERR(f);
	bprm->read = exec_read;
	bprm->file = f;
	bprm->exe_file = f;
	bprm->size = file_inode(f)->i_size;
	return 0;
}

void exec_close(struct linux_binprm *bprm)
{
	fput(bprm->file);
}
