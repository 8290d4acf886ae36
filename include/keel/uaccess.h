/* SPDX-License-Identifier: MIT */
/*
 * keel/uaccess.h - reading and writing user memory, Linux's interface.
 *
 * A pointer a program passes is never trusted: every routine first
 * checks that the whole range lies in the user half (access_ok: a
 * kernel address is refused, never read or written), then touches it
 * inside stac()/clac() (SMAP), and a fault on the way (unmapped,
 * read-only, a page the process may not touch) resumes at an
 * exception-table fixup instead of being a kernel bug. A fault on a
 * user page the process may touch but that is not there yet (demand
 * zero) is served first and the copy goes on (mm/memory.c).
 *
 *   copy_from_user / copy_to_user / clear_user
 *		return the number of bytes NOT copied (0 on success);
 *		copy_from_user zeroes the part of the kernel buffer it
 *		could not fill
 *   get_user(x, ptr) / put_user(x, ptr)
 *		one value of ptr's type; 0 or -EFAULT (x = 0 on failure)
 *   strncpy_from_user(dst, src, count)
 *		the string's length (without its NUL, which is copied),
 *		count if no NUL came within count bytes (dst is then not
 *		terminated), or -EFAULT
 *   strnlen_user(src, n)
 *		the length including the NUL, more than n if none within
 *		n bytes, 0 on a fault
 *
 * May sleep (a fault may need a page). Not from IRQ context.
 */
#ifndef _KEEL_UACCESS_H
#define _KEEL_UACCESS_H

#include <asm/layout.h>
#include <asm/uaccess.h>
#include <keel/errno.h>
#include <keel/string.h>

/* Is [addr, addr + size) inside the user half? No wrap, no kernel byte. */
static inline bool __access_ok(unsigned long addr, unsigned long size)
{
	return size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size;
}

#define access_ok(addr, size) __access_ok((unsigned long)(addr), (size))

static inline unsigned long copy_from_user(void *to, const void __user *from,
					   unsigned long n)
{
	unsigned long left = n;

	if (access_ok(from, n)) {
		stac();
		left = __copy_user(to, from, n);
		clac();
	}
	if (left)
		memset((char *)to + (n - left), 0, left);
	return left;
}

static inline unsigned long copy_to_user(void __user *to, const void *from,
					 unsigned long n)
{
	unsigned long left = n;

	if (access_ok(to, n)) {
		stac();
		left = __copy_user(to, from, n);
		clac();
	}
	return left;
}

static inline unsigned long clear_user(void __user *to, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(to, n)) {
		stac();
		left = __clear_user(to, n);
		clac();
	}
	return left;
}

#define get_user(x, ptr)                                          \
	({                                                        \
		const __typeof__(*(ptr)) __user *__gu_p = (ptr);  \
		__typeof__((__typeof__(*(ptr)))0) __gu_v;         \
		int __gu_err = -EFAULT;                           \
		if (access_ok(__gu_p, sizeof(*__gu_p))) {         \
			__gu_err = 0;                             \
			stac();                                   \
			__get_user_asm(__gu_v, __gu_p, __gu_err); \
			clac();                                   \
		}                                                 \
		(x) = __gu_err ? (__typeof__(*(ptr)))0 : __gu_v;  \
		__gu_err;                                         \
	})

#define put_user(x, ptr)                                          \
	({                                                        \
		__typeof__(*(ptr)) __user *__pu_p = (ptr);        \
		__typeof__(*(ptr)) __pu_v = (x);                  \
		int __pu_err = -EFAULT;                           \
		if (access_ok(__pu_p, sizeof(*__pu_p))) {         \
			__pu_err = 0;                             \
			stac();                                   \
			__put_user_asm(__pu_v, __pu_p, __pu_err); \
			clac();                                   \
		}                                                 \
		__pu_err;                                         \
	})

long strncpy_from_user(char *dst, const char __user *src, long count);
long strnlen_user(const char __user *src, long n);

#endif
