/* SPDX-License-Identifier: MIT */
/*
 * keel/binfmts.h - loading a program (kernel/exec.c, kernel/binfmt_elf.c).
 *
 * The loader reads the executable only through bprm->read (a
 * read-at-offset function), so it can load from a file or, in tests,
 * from a buffer. It builds the new address space in bprm->mm without
 * running it; exec switches to it only once everything succeeded.
 */
#ifndef _KEEL_BINFMTS_H
#define _KEEL_BINFMTS_H

#include <keel/types.h>

struct file;
struct mm_struct;

/* Reads up to len bytes at pos: the bytes read (0 at the end) or -Exxx. */
typedef long (*exec_read_t)(void *file, void *buf, size_t len, u64 pos);

#define MAX_ARG_STRINGS 4096
#define ARG_MAX		(128 * 1024) /* bytes of argv + envp strings */

/* argv and envp strings, copied into the kernel, NUL after each. */
struct exec_args {
	char *strings;
	size_t len, cap;
	int argc, envc;
};

struct linux_binprm {
	exec_read_t read;
	void *file;
	u64 size; /* of the file */
	const char *filename;
	struct file *exe_file; /* a VFS file's: /proc/PID/exe */
	struct mm_struct *mm;
	/* the loader's results */
	unsigned long entry; /* AT_ENTRY (with load_bias) */
	unsigned long phdr;  /* AT_PHDR: the program headers in memory */
	unsigned long phnum;
	unsigned long load_bias; /* 0 for ET_EXEC */
	unsigned long start_brk;
	unsigned long sp; /* the stack pointer the program starts with */
};

/*
 * Check the ELF64 image and map its PT_LOAD segments into bprm->mm.
 * Returns 0, -ENOEXEC (not an x86_64 static ELF executable, or
 * truncated) or -EINVAL (segments that overlap, are out of order,
 * huge, or an entry point outside executable ones), -ENOMEM or the
 * read function's error. Never faults on any input.
 */
int load_elf_binary(struct linux_binprm *bprm);

/*
 * Map the stack and write argc, argv, envp, the auxiliary vector and
 * their strings into it as Linux lays them out; sets bprm->sp.
 */
int create_elf_tables(struct linux_binprm *bprm, const struct exec_args *a);

int exec_args_add(struct exec_args *a, const char *s, size_t len);
void exec_args_free(struct exec_args *a);

/*
 * Load filename/argv into a new mm and make it current's program.
 * 0 (current_pt_regs() start the program) or -Exxx (nothing changed).
 */
int do_execve_file(struct linux_binprm *bprm, const struct exec_args *a);

#endif
