/* SPDX-License-Identifier: MIT */
/*
 * asm/uaccess.h - the x86_64 half of keel/uaccess.h: single loads and
 * stores to user memory that may fault, and the string routines in
 * arch/x86_64/usercopy.S. Every instruction here that touches user
 * memory has an exception-table entry (asm/extable.h): a fault resumes
 * at the fixup instead of being a kernel bug. None of these check the
 * address; keel/uaccess.h does (access_ok) before calling them, inside
 * stac()/clac().
 */
#ifndef _ASM_UACCESS_H
#define _ASM_UACCESS_H

#include <asm/extable.h>
#include <asm/smap.h>

/*
 * Copy n bytes between user and kernel memory (rep movsb). Returns the
 * number of bytes NOT copied: 0, or what was left when it faulted.
 */
unsigned long __copy_user(void *to, const void *from, unsigned long n);
/* Zero n bytes (rep stosb). Returns the number of bytes NOT zeroed. */
unsigned long __clear_user(void *to, unsigned long n);

/* x = *ptr; err = -EFAULT if it faulted (x is then garbage). */
#define __get_user_asm(x, ptr, err)                                          \
	__asm__ __volatile__("1:	mov %2, %1\n"                               \
			     "2:\n" EX_FIXUP_SET_ERR("1b", "2b", "%0", "%3") \
			     : "+r"(err), "=r"(x)                            \
			     : "m"(*(ptr)), "i"(-EFAULT))

/* *ptr = x; err = -EFAULT if it faulted. */
#define __put_user_asm(x, ptr, err)                                          \
	__asm__ __volatile__("1:	mov %1, %2\n"                               \
			     "2:\n" EX_FIXUP_SET_ERR("1b", "2b", "%0", "%3") \
			     : "+r"(err)                                     \
			     : "r"(x), "m"(*(ptr)), "i"(-EFAULT)             \
			     : "memory")

#endif
