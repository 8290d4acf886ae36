// SPDX-License-Identifier: MIT
/*
 * exec.c - execve: replace a process's program.
 *
 * The arguments are copied into the kernel first (struct exec_args),
 * then a new address space is built completely — the ELF segments
 * (binfmt_elf.c), the stack with argc, argv, envp and the auxiliary
 * vector as Linux lays them out — while the old program is untouched.
 * Any error up to there returns to the old program. Only then does
 * the process switch to the new mm, free the old one and get fresh
 * registers (start_thread).
 *
 * Files come from exec_open() (kernel/exec_file.c, through the VFS);
 * descriptors marked close-on-exec are closed at the commit.
 */
#include <asm/cpu.h>
#include <keel/binfmts.h>
#include <keel/elf.h>
#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/mm_user.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>

#include "exec_file.h"

#define PATH_MAX     4096
#define USER_HZ	     100
#define ELF_PLATFORM "x86_64"

/* Room for len more bytes; a pointer to them or NULL (-E2BIG/-ENOMEM). */
static char *exec_args_reserve(struct exec_args *a, size_t len, int *err)
{
	*err = -E2BIG;
	if (len > ARG_MAX || a->len + len > ARG_MAX ||
	    a->argc + a->envc >= MAX_ARG_STRINGS)
		return NULL;
	if (a->len + len > a->cap) {
		size_t cap = max(a->cap * 2, a->len + len);
		char *n = kmalloc(cap, GFP_KERNEL);

		*err = -ENOMEM;
		if (!n)
			return NULL;
		if (a->strings)
			memcpy(n, a->strings, a->len);
		kfree(a->strings);
		a->strings = n;
		a->cap = cap;
	}
	a->len += len;
	return a->strings + a->len - len;
}

int exec_args_add(struct exec_args *a, const char *s, size_t len)
{
	int err;
	char *d = exec_args_reserve(a, len + 1, &err);

	if (!d)
		return err;
	memcpy(d, s, len);
	d[len] = '\0';
	return 0;
}

void exec_args_free(struct exec_args *a)
{
	kfree(a->strings);
	a->strings = NULL;
}

/* Copy one user string of len bytes (with its NUL) into a. */
static int exec_args_add_user(struct exec_args *a, const char __user *s,
			      long len)
{
	int err;
	char *d = exec_args_reserve(a, len, &err);

	if (!d)
		return err;
	if (strncpy_from_user(d, s, len) != len - 1)
		return -EFAULT; /* changed under us, or unreadable */
	return 0;
}

/* Append the user string vector vec (NULL: none); counts into *n. */
static int copy_user_strings(struct exec_args *a,
			     const char __user *const __user *vec, int *n)
{
	for (; vec; (*n)++) {
		const char __user *s;
		long len;
		int err;

		if (get_user(s, vec + *n))
			return -EFAULT;
		if (!s)
			return 0;
		len = strnlen_user(s, ARG_MAX);
		if (!len)
			return -EFAULT;
		if (len > ARG_MAX)
			return -E2BIG;
		err = exec_args_add_user(a, s, len);
		if (err)
			return err;
	}
	return 0;
}

static int copy_kernel_strings(struct exec_args *a, const char *const *vec,
			       int *n)
{
	for (; vec && vec[*n]; (*n)++) {
		int err = exec_args_add(a, vec[*n], strlen(vec[*n]));

		if (err)
			return err;
	}
	return 0;
}

/* Bytes of the argv strings (they come first in a->strings). */
static size_t exec_args_argv_len(const struct exec_args *a)
{
	const char *s = a->strings;

	for (int i = 0; i < a->argc; i++)
		s += strlen(s) + 1;
	return s - a->strings;
}

/* ---- the initial stack (Linux's create_elf_tables) ---- */

struct stack_image {
	char *buf;	       /* kernel copy of [sp, top) */
	unsigned long sp, top; /* user addresses */
};

static void *img_at(struct stack_image *img, unsigned long uaddr)
{
	return img->buf + (uaddr - img->sp);
}

static void img_put(struct stack_image *img, unsigned long *pos,
		    unsigned long v)
{
	memcpy(img_at(img, *pos), &v, sizeof(v));
	*pos += sizeof(v);
}

static unsigned long hwcap(void)
{
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	return d; /* Linux's AT_HWCAP on x86: CPUID.1:EDX */
}

/* Random bytes for AT_RANDOM (TODO: a real entropy source). */
static void fill_random(u8 *out, size_t n)
{
	u64 x = rdtsc() ^ ((u64)current->pid << 32) ^ 0x9e3779b97f4a7c15ULL;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		out[i] = x >> 24;
	}
}

#define NR_AUXV 17 /* entries below, AT_NULL included */

static void put_auxv(struct stack_image *img, unsigned long *pos,
		     const struct linux_binprm *bprm, unsigned long random,
		     unsigned long execfn, unsigned long platform)
{
	const unsigned long auxv[NR_AUXV * 2] = {
		AT_HWCAP,    hwcap(),
		AT_PAGESZ,   PAGE_SIZE,
		AT_CLKTCK,   USER_HZ,
		AT_PHDR,     bprm->phdr,
		AT_PHENT,    sizeof(Elf64_Phdr),
		AT_PHNUM,    bprm->phnum,
		AT_BASE,     0,
		AT_FLAGS,    0,
		AT_ENTRY,    bprm->entry,
		AT_UID,	     current->cred.uid,
		AT_EUID,     current->cred.euid,
		AT_GID,	     current->cred.gid,
		AT_EGID,     current->cred.egid,
		AT_SECURE,   0,
		AT_RANDOM,   random,
		AT_EXECFN,   execfn,
		AT_PLATFORM, platform, /* then AT_NULL */
	};

	for (unsigned int i = 0; i < NR_AUXV * 2; i++)
		img_put(img, pos, auxv[i]);
}

/*
 * Lay out, from the top down: 8 zero bytes, the file name, the envp
 * and argv strings (argv lowest), the platform string, 16 random bytes,
 * then (16-aligned) argc, argv[], NULL, envp[], NULL, auxv.
 */
static unsigned long stack_layout(const struct exec_args *a,
				  const char *filename, unsigned long top,
				  unsigned long *strings, unsigned long *fn,
				  unsigned long *plat, unsigned long *rnd)
{
	unsigned long p = top - sizeof(void *);
	size_t items = (a->argc + 1) + (a->envc + 1) + 1 + NR_AUXV * 2;

	p -= strlen(filename) + 1;
	*fn = p;
	p -= a->len;
	*strings = p;
	p = ALIGN_DOWN(p, 16);
	p -= sizeof(ELF_PLATFORM);
	*plat = p;
	p -= 16;
	*rnd = p;
	return ALIGN_DOWN(p - items * sizeof(unsigned long), 16);
}

/* Pointers to the n strings starting at uaddr (kernel copy at s). */
static void put_string_ptrs(struct stack_image *img, unsigned long *pos,
			    unsigned long uaddr, const char *s, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = strlen(s) + 1;

		img_put(img, pos, uaddr);
		uaddr += len;
		s += len;
	}
	img_put(img, pos, 0);
}

static void fill_stack_image(struct stack_image *img,
			     const struct linux_binprm *bprm,
			     const struct exec_args *a, unsigned long strings,
			     unsigned long fn, unsigned long plat,
			     unsigned long rnd)
{
	unsigned long pos = img->sp;
	const char *envs = a->strings;

	memset(img->buf, 0, img->top - img->sp);
	memcpy(img_at(img, fn), bprm->filename, strlen(bprm->filename) + 1);
	memcpy(img_at(img, strings), a->strings, a->len);
	memcpy(img_at(img, plat), ELF_PLATFORM, sizeof(ELF_PLATFORM));
	fill_random(img_at(img, rnd), 16);
	img_put(img, &pos, a->argc);
	put_string_ptrs(img, &pos, strings, a->strings, a->argc);
	for (int i = 0; i < a->argc; i++)
		envs += strlen(envs) + 1;
	put_string_ptrs(img, &pos, strings + (envs - a->strings), envs,
			a->envc);
	put_auxv(img, &pos, bprm, rnd, fn, plat);
}

/* Copy len bytes to uaddr in mm (not current's: through the direct map). */
static int mm_copy_to(struct mm_struct *mm, unsigned long uaddr,
		      const char *src, size_t len)
{
	while (len) {
		unsigned long off = uaddr & (PAGE_SIZE - 1);
		size_t n = min(len, (size_t)(PAGE_SIZE - off));
		char *page = mm_page_kaddr(mm, uaddr - off);

		if (!page)
			return -ENOMEM;
		memcpy(page + off, src, n);
		uaddr += n;
		src += n;
		len -= n;
	}
	return 0;
}

int create_elf_tables(struct linux_binprm *bprm, const struct exec_args *a)
{
	struct mm_struct *mm = bprm->mm;
	unsigned long strings, fn, plat, rnd;
	struct stack_image img = { .top = STACK_TOP };
	int err;

	img.sp = stack_layout(a, bprm->filename, img.top, &strings, &fn, &plat,
			      &rnd);
	img.buf = kmalloc(img.top - img.sp, GFP_KERNEL);
	if (!img.buf)
		return -ENOMEM;
	fill_stack_image(&img, bprm, a, strings, fn, plat, rnd);
	mm->arg_start = strings;
	mm->env_start = mm->arg_end = strings + exec_args_argv_len(a);
	mm->env_end = strings + a->len;
	mutex_lock(&mm->mmap_lock);
	err = mmap_region(mm, STACK_TOP - STACK_SIZE, STACK_SIZE,
			  VM_READ | VM_WRITE);
	if (!err)
		err = mm_copy_to(mm, img.sp, img.buf, img.top - img.sp);
	mutex_unlock(&mm->mmap_lock);
	kfree(img.buf);
	bprm->sp = img.sp;
	return err;
}

/* ---- exec proper ---- */

static const char *basename(const char *path)
{
	const char *base = path;

	for (const char *s = path; *s; s++)
		if (*s == '/')
			base = s + 1;
	return base;
}

/* Past the point of no return: current runs bprm's program. */
static void exec_commit(struct linux_binprm *bprm)
{
	struct mm_struct *old = current->mm, *mm = bprm->mm;

	mm->start_brk = mm->brk = bprm->start_brk;
	mm->start_stack = bprm->sp;
	switch_mm(mm);
	if (old)
		mmput(old);
	set_task_comm(current, basename(bprm->filename));
	current->clear_child_tid = NULL;
	if (current->files)
		do_close_on_exec(current->files);
	flush_signal_handlers(current);
	start_thread(current_pt_regs(), bprm->entry, bprm->sp);
}

int do_execve_file(struct linux_binprm *bprm, const struct exec_args *a)
{
	int err;

	bprm->mm = mm_alloc();
	if (!bprm->mm)
		return -ENOMEM;
	if (bprm->exe_file)
		set_mm_exe_file(bprm->mm, bprm->exe_file);
	err = load_elf_binary(bprm);
	if (!err)
		err = create_elf_tables(bprm, a);
	if (err) {
		mmput(bprm->mm);
		return err;
	}
	exec_commit(bprm);
	return 0;
}

/* ---- #! scripts (Linux's binfmt_script) ---- */

#define BINPRM_BUF_SIZE	      256 /* bytes of the file exec looks at */
#define BINPRM_MAX_RECURSION 4	 /* interpreters that are scripts */

static bool spacetab(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * If bprm's file starts with "#!", the interpreter and its optional
 * argument (the rest of the line, trimmed, as one argument) in buf:
 * *interp and *iarg (NULL: none) point into it. Returns 1 for a
 * script, 0 for anything else, -ENOEXEC for a "#!" line with no
 * interpreter or one that does not fit in BINPRM_BUF_SIZE, as Linux.
 */
static int script_line(struct linux_binprm *bprm, char *buf, char **interp,
		       char **iarg)
{
	long n = bprm->read(bprm->file, buf, BINPRM_BUF_SIZE - 1, 0);
	char *p, *end;

	if (n < 2 || buf[0] != '#' || buf[1] != '!')
		return 0;
	buf[n] = '\0';
	end = memchr(buf, '\n', n);
	if (!end) {
		/* the whole buffer is one line: only if the name ends in it */
		for (p = buf + 2; spacetab(*p); p++)
			;
		for (; *p && !spacetab(*p); p++)
			;
		if (!*p && n == BINPRM_BUF_SIZE - 1)
			return -ENOEXEC;
		end = buf + n;
	}
	*end = '\0';
	while (end > buf + 2 && spacetab(end[-1]))
		*--end = '\0';
	for (p = buf + 2; spacetab(*p); p++)
		;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	for (; *p && !spacetab(*p); p++)
		;
	*iarg = NULL;
	if (*p) {
		*p++ = '\0';
		while (spacetab(*p))
			p++;
		if (*p)
			*iarg = p;
	}
	return 1;
}

/*
 * The arguments for the interpreter: interp, iarg (if any), the
 * script's path, then a's argv without argv[0], then a's envp.
 */
static int script_args(struct exec_args *out, const struct exec_args *a,
		       const char *interp, const char *iarg,
		       const char *filename)
{
	const char *s = a->strings;
	int err;

	err = exec_args_add(out, interp, strlen(interp));
	if (!err && iarg)
		err = exec_args_add(out, iarg, strlen(iarg));
	if (!err)
		err = exec_args_add(out, filename, strlen(filename));
	out->argc = iarg ? 3 : 2;
	for (int i = 0; !err && i < a->argc + a->envc; i++) {
		size_t len = strlen(s);

		if (i > 0) {
			err = exec_args_add(out, s, len);
			if (i < a->argc)
				out->argc++;
			else
				out->envc++;
		}
		s += len + 1;
	}
	return err;
}

static int do_execve_depth(const char *filename, const struct exec_args *a,
			   int depth)
{
	struct linux_binprm bprm = { .filename = filename };
	char *buf, *interp, *iarg;
	struct exec_args sa = {};
	int err = exec_open(filename, &bprm);

	if (err)
		return err;
	buf = kmalloc(BINPRM_BUF_SIZE, GFP_KERNEL);
	if (!buf) {
		err = -ENOMEM;
		goto out_close;
	}
	err = script_line(&bprm, buf, &interp, &iarg);
	if (err == 0) {
		err = do_execve_file(&bprm, a);
		goto out_free;
	}
	if (err < 0)
		goto out_free;
	if (depth >= BINPRM_MAX_RECURSION) {
		err = -ELOOP;
		goto out_free;
	}
	err = script_args(&sa, a, interp, iarg, filename);
	if (!err)
		err = do_execve_depth(interp, &sa, depth + 1);
	exec_args_free(&sa);
out_free:
	kfree(buf);
out_close:
	exec_close(&bprm);
	return err;
}

static int do_execve(const char *filename, const struct exec_args *a)
{
	return do_execve_depth(filename, a, 0);
}

int kernel_execve(const char *filename, const char *const *argv,
		  const char *const *envp)
{
	struct exec_args a = {};
	int err = copy_kernel_strings(&a, argv, &a.argc);

	if (!err)
		err = copy_kernel_strings(&a, envp, &a.envc);
	if (!err)
		err = do_execve(filename, &a);
	exec_args_free(&a);
	return err;
}

SYSCALL_DEFINE3(execve, const char __user *, filename,
		const char __user *const __user *, argv,
		const char __user *const __user *, envp)
{
	struct exec_args a = {};
	char *path = kmalloc(PATH_MAX, GFP_KERNEL);
	long err;

	if (!path)
		return -ENOMEM;
	err = strncpy_from_user(path, filename, PATH_MAX);
	if (err == PATH_MAX)
		err = -ENAMETOOLONG;
	if (err >= 0)
		err = copy_user_strings(&a, argv, &a.argc);
	/* an empty argv runs with argv {""}, as Linux does since 5.18 */
	if (!err && !a.argc) {
		err = exec_args_add(&a, "", 0);
		a.argc = 1;
	}
	if (!err)
		err = copy_user_strings(&a, envp, &a.envc);
	if (!err)
		err = do_execve(path, &a);
	exec_args_free(&a);
	kfree(path);
	return err;
}
