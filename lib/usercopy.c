// SPDX-License-Identifier: MIT
/*
 * usercopy.c - the string routines of keel/uaccess.h: a byte at a time,
 * each load with its own exception-table entry, never past the end of
 * the user half (a string that runs into the kernel half is -EFAULT,
 * not a read of kernel memory).
 */
#include <keel/uaccess.h>

/* How many bytes from src may be read at most: 0 if src is not user. */
static unsigned long user_bytes_from(const void __user *src)
{
	unsigned long addr = (unsigned long)src;

	return addr < TASK_SIZE_MAX ? TASK_SIZE_MAX - addr : 0;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	unsigned long max = user_bytes_from(src);
	long res = 0;

	if (count <= 0)
		return 0;
	stac();
	for (; res < count; res++) {
		int err = 0;
		char c;

		if ((unsigned long)res >= max)
			goto efault;
		__get_user_asm(c, src + res, err);
		if (err)
			goto efault;
		dst[res] = c;
		if (!c)
			break;
	}
	clac();
	return res;
efault:
	clac();
	return -EFAULT;
}

long strnlen_user(const char __user *src, long n)
{
	unsigned long max = user_bytes_from(src);
	long i;

	if (n <= 0)
		return 0;
	stac();
	for (i = 0; i < n; i++) {
		int err = 0;
		char c;

		if ((unsigned long)i >= max)
			break;
		__get_user_asm(c, src + i, err);
		if (err)
			break;
		if (!c) {
			clac();
			return i + 1;
		}
	}
	clac();
	return i < n ? 0 : n + 1;
}
