// SPDX-License-Identifier: MIT
/* monitor_test.c - the monitor rejects bad input with the right errno. */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/monitor.h>
#include <keel/string.h>

static void empty_line_is_fine(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, monitor_exec(""), 0);
	KTEST_EXPECT_EQ(t, monitor_exec("    "), 0);
}

static void unknown_command(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, monitor_exec("frobnicate"), -ENOENT);
	KTEST_EXPECT_EQ(t, monitor_exec("HELP"), -ENOENT);
}

static void wrong_argument_count(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, monitor_exec("meminfo now"), -EINVAL);
	KTEST_EXPECT_EQ(t, monitor_exec("ktest a b"), -EINVAL);
	KTEST_EXPECT_EQ(t, monitor_exec("panic please"), -EINVAL);
}

static void too_many_arguments(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, monitor_exec("help 1 2 3 4 5 6 7 8 9"), -E2BIG);
}

static void overlong_line(struct ktest *t)
{
	char line[200];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	KTEST_EXPECT_EQ(t, monitor_exec(line), -E2BIG);
}

static void help_runs(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, monitor_exec("help"), 0);
	KTEST_EXPECT_EQ(t, monitor_exec("  help  "), 0);
}

static struct ktest_case monitor_cases[] = { KTEST_CASE(empty_line_is_fine),
					     KTEST_CASE(unknown_command),
					     KTEST_CASE(wrong_argument_count),
					     KTEST_CASE(too_many_arguments),
					     KTEST_CASE(overlong_line),
					     KTEST_CASE(help_runs),
					     {} };
KTEST_SUITE(monitor, monitor_cases);
