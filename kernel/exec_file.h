/* SPDX-License-Identifier: MIT */
/* exec_file.h - where exec finds executables (kernel/exec_file.c). */
#ifndef _KERNEL_EXEC_FILE_H
#define _KERNEL_EXEC_FILE_H

#include <keel/binfmts.h>

/* Set bprm->read/file/size for path. 0, -ENOENT or -EACCES. */
int exec_open(const char *path, struct linux_binprm *bprm);
void exec_close(struct linux_binprm *bprm);

#endif
