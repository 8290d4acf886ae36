// SPDX-License-Identifier: MIT
/*
 * uaccess_test.c - keel/uaccess.h refuses kernel addresses without
 * reading them, turns faults on unmapped user addresses into short
 * counts or -EFAULT through the exception table, and keeps to the user
 * half at its boundary. (Copies that succeed on real user pages are
 * tested in mm/mmap_test.c, which has an address space to put them in.)
 */
#include <keel/ktest.h>
#include <keel/string.h>
#include <keel/uaccess.h>

/* Nothing is mapped in the user half of the kernel's own tables. */
#define UNMAPPED_USER ((void __user *)0x400000UL)

static void access_ok_bounds(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, access_ok(0, 0));
	KTEST_EXPECT_TRUE(t, access_ok(TASK_SIZE_MAX - 8, 8));
	KTEST_EXPECT_FALSE(t, access_ok(TASK_SIZE_MAX - 8, 9));
	KTEST_EXPECT_FALSE(t, access_ok(TASK_SIZE_MAX, 1));
	KTEST_EXPECT_FALSE(t, access_ok(0x1000, ~0UL)); /* wraps */
	KTEST_EXPECT_FALSE(t, access_ok(PAGE_OFFSET, 1));
	KTEST_EXPECT_FALSE(t, access_ok((unsigned long)&access_ok_bounds, 1));
}

static void copy_from_kernel_address_refused(struct ktest *t)
{
	static const char secret[8] = "secret!";
	char buf[8];

	memset(buf, 0x5a, sizeof(buf));
	KTEST_EXPECT_EQ(t,
			copy_from_user(buf, (const void __user *)secret,
				       sizeof(buf)),
			sizeof(buf));
	for (unsigned int i = 0; i < sizeof(buf); i++)
		KTEST_EXPECT_EQ(t, buf[i], 0); /* zeroed, not the secret */
}

static void copy_to_kernel_address_refused(struct ktest *t)
{
	static char target[8] = "keepme!";

	KTEST_EXPECT_EQ(t, copy_to_user((void __user *)target, "XXXXXXX", 8),
			8UL);
	KTEST_EXPECT_EQ(t, clear_user((void __user *)target, 8), 8UL);
	KTEST_EXPECT_STREQ(t, target, "keepme!");
}

static void copy_unmapped_faults(struct ktest *t)
{
	char buf[16];

	memset(buf, 0x5a, sizeof(buf));
	KTEST_EXPECT_EQ(t, copy_from_user(buf, UNMAPPED_USER, sizeof(buf)),
			sizeof(buf));
	KTEST_EXPECT_EQ(t, buf[0], 0);
	KTEST_EXPECT_EQ(t, buf[15], 0);
	KTEST_EXPECT_EQ(t, copy_to_user(UNMAPPED_USER, buf, sizeof(buf)),
			sizeof(buf));
	KTEST_EXPECT_EQ(t, clear_user(UNMAPPED_USER, 100), 100UL);
	KTEST_EXPECT_EQ(t, copy_from_user(buf, UNMAPPED_USER, 0), 0UL);
}

static void get_put_user_fault(struct ktest *t)
{
	static u64 kernel_word = 42;
	u64 v = 7;
	u8 b = 7;
	int *ip = NULL;

	KTEST_EXPECT_EQ(t, get_user(v, (u64 __user *)UNMAPPED_USER), -EFAULT);
	KTEST_EXPECT_EQ(t, v, 0ULL);
	KTEST_EXPECT_EQ(t, get_user(b, (u8 __user *)UNMAPPED_USER), -EFAULT);
	KTEST_EXPECT_EQ(t, b, 0);
	KTEST_EXPECT_EQ(t, get_user(v, (u64 __user *)&kernel_word), -EFAULT);
	KTEST_EXPECT_EQ(t, v, 0ULL);
	KTEST_EXPECT_EQ(t, put_user(1, (u64 __user *)&kernel_word), -EFAULT);
	KTEST_EXPECT_EQ(t, kernel_word, 42ULL);
	KTEST_EXPECT_EQ(t, put_user(1, (u32 __user *)UNMAPPED_USER), -EFAULT);
	KTEST_EXPECT_EQ(t, get_user(ip, (int *__user *)UNMAPPED_USER), -EFAULT);
	KTEST_EXPECT_NULL(t, ip);
}

static void strncpy_from_user_faults(struct ktest *t)
{
	static const char kstr[] = "kernel";
	char buf[16] = "untouched";

	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, UNMAPPED_USER, 16),
			(long)-EFAULT);
	KTEST_EXPECT_EQ(t,
			strncpy_from_user(buf, (const char __user *)kstr, 16),
			(long)-EFAULT);
	KTEST_EXPECT_STREQ(t, buf, "untouched");
	KTEST_EXPECT_EQ(t, strncpy_from_user(buf, UNMAPPED_USER, 0), 0L);
	KTEST_EXPECT_EQ(t, strnlen_user((const char __user *)kstr, 16), 0L);
	KTEST_EXPECT_EQ(t, strnlen_user(UNMAPPED_USER, 16), 0L);
}

static struct ktest_case uaccess_cases[] = {
	KTEST_CASE(access_ok_bounds),
	KTEST_CASE(copy_from_kernel_address_refused),
	KTEST_CASE(copy_to_kernel_address_refused),
	KTEST_CASE(copy_unmapped_faults),
	KTEST_CASE(get_put_user_fault),
	KTEST_CASE(strncpy_from_user_faults),
	{}
};
KTEST_SUITE(uaccess, uaccess_cases);
