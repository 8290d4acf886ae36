// SPDX-License-Identifier: MIT
/*
 * traps_test.c - the exception table, the symbol table and frame-pointer
 * backtraces: the pieces a crash report is made of.
 */
#include <asm/extable.h>
#include <keel/kallsyms.h>
#include <keel/ktest.h>
#include <keel/stacktrace.h>
#include <keel/string.h>

#define NON_CANONICAL ((void *)0x8000000000000000UL)

static void probe_fixup_recovers_gp(struct ktest *t)
{
	u8 v = 0x5a;

	KTEST_EXPECT_EQ(t, probe_read_u8(NON_CANONICAL, &v), -EFAULT);
	KTEST_EXPECT_EQ(t, v, 0);
	KTEST_EXPECT_EQ(t, probe_write_u8(NON_CANONICAL, 1), -EFAULT);
}

static void probe_allows_valid_access(struct ktest *t)
{
	static u8 cell = 7;
	u8 v = 0;

	KTEST_EXPECT_EQ(t, probe_read_u8(&cell, &v), 0);
	KTEST_EXPECT_EQ(t, v, 7);
	KTEST_EXPECT_EQ(t, probe_write_u8(&cell, 9), 0);
	KTEST_EXPECT_EQ(t, cell, 9);
}

static void kallsyms_finds_functions(struct ktest *t)
{
	unsigned long addr = (unsigned long)kallsyms_lookup;
	unsigned long size = 0, off = 1;
	const char *name = kallsyms_lookup(addr, &size, &off);

	KTEST_ASSERT_NOT_NULL(t, name);
	KTEST_EXPECT_STREQ(t, name, "kallsyms_lookup");
	KTEST_EXPECT_EQ(t, off, 0UL);
	KTEST_EXPECT_GT(t, size, 0UL);
	name = kallsyms_lookup(addr + size - 1, NULL, &off);
	KTEST_EXPECT_STREQ(t, name, "kallsyms_lookup");
	KTEST_EXPECT_EQ(t, off, size - 1);
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("kallsyms_lookup"), addr);
	KTEST_EXPECT_EQ(t, kallsyms_lookup_name("no_such_symbol_here"), 0UL);
}

static void kallsyms_rejects_non_text(struct ktest *t)
{
	static int data_object;

	KTEST_EXPECT_NULL(t, kallsyms_lookup((unsigned long)&data_object, NULL,
					     NULL));
	KTEST_EXPECT_NULL(t, kallsyms_lookup(0, NULL, NULL));
	KTEST_EXPECT_NULL(t, kallsyms_lookup(~0UL, NULL, NULL));
}

static unsigned long trace[8];
static unsigned int trace_len;

static noinline void backtrace_leaf(void)
{
	trace_len =
		stack_trace_save_fp((unsigned long)__builtin_frame_address(0),
				    trace, ARRAY_SIZE(trace));
	barrier();
}

static noinline void backtrace_middle(void)
{
	backtrace_leaf();
	barrier(); /* keep the call from becoming a tail call */
}

static void backtrace_names_callers(struct ktest *t)
{
	const char *name;

	backtrace_middle();
	barrier();
	KTEST_ASSERT_GE(t, trace_len, 2U);
	name = kallsyms_lookup(trace[0] - 1, NULL, NULL);
	KTEST_EXPECT_STREQ(t, name, "backtrace_middle");
	name = kallsyms_lookup(trace[1] - 1, NULL, NULL);
	KTEST_EXPECT_STREQ(t, name, "backtrace_names_callers");
}

static struct ktest_case traps_cases[] = {
	KTEST_CASE(probe_fixup_recovers_gp),
	KTEST_CASE(probe_allows_valid_access),
	KTEST_CASE(kallsyms_finds_functions),
	KTEST_CASE(kallsyms_rejects_non_text),
	KTEST_CASE(backtrace_names_callers),
	{}
};
KTEST_SUITE(traps, traps_cases);
