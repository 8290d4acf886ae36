// SPDX-License-Identifier: MIT
/*
 * cmdline_test.c - option splitting and dispatch against a private
 * handler table: values, bare names, quotes, and every kind of bad input
 * (which must be counted as ignored, never applied).
 */
#include <keel/cmdline.h>
#include <keel/ktest.h>
#include <keel/string.h>

static char got_value[64];
static int got_calls;
static bool got_bare;

static int set_value(const char *val)
{
	if (!val)
		return -EINVAL;
	strlcpy(got_value, val, sizeof(got_value));
	got_calls++;
	return 0;
}

static int set_flag(const char *val)
{
	got_bare = val == NULL;
	got_calls++;
	return 0;
}

static int set_number(const char *val)
{
	unsigned int n;

	return val ? kstrtouint(val, 10, &n) : -EINVAL;
}

static const struct cmdline_param params[] = {
	{ "opt", set_value },
	{ "flag", set_flag },
	{ "num", set_number },
};

static int cmdline_test_init(struct ktest *t)
{
	got_value[0] = '\0';
	got_calls = 0;
	got_bare = false;
	return 0;
}

static int apply(const char *line)
{
	return cmdline_apply(line, params, ARRAY_SIZE(params));
}

static void value_and_bare_option(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apply("opt=hello flag"), 0);
	KTEST_EXPECT_STREQ(t, got_value, "hello");
	KTEST_EXPECT_TRUE(t, got_bare);
	KTEST_EXPECT_EQ(t, got_calls, 2);
}

static void quoted_value_keeps_spaces(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apply("  opt=\"a b  c\"   "), 0);
	KTEST_EXPECT_STREQ(t, got_value, "a b  c");
}

static void empty_line(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apply(""), 0);
	KTEST_EXPECT_EQ(t, apply("   "), 0);
	KTEST_EXPECT_EQ(t, got_calls, 0);
}

static void unknown_options_ignored(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apply("nosuch=1 opt=x other"), 2);
	KTEST_EXPECT_STREQ(t, got_value, "x");
}

static void malformed_options_ignored(struct ktest *t)
{
	/* unterminated quote; value handler refusing; name too long */
	KTEST_EXPECT_EQ(t, apply("opt=\"open"), 1);
	KTEST_EXPECT_EQ(t, got_calls, 0);
	KTEST_EXPECT_EQ(t, apply("num=12x num=99999999999 num=5"), 2);
	KTEST_EXPECT_EQ(t, apply("opt"), 1); /* needs a value */
	KTEST_EXPECT_EQ(
		t,
		apply("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		      "aaaaaaaaaaaaaaaaaaaa=1 flag"),
		1);
	KTEST_EXPECT_EQ(t, got_calls, 1);
}

static void overlong_value_rejected(struct ktest *t)
{
	char line[300 + 8] = "opt=";

	memset(line + 4, 'v', 300);
	line[304] = '\0';
	KTEST_EXPECT_EQ(t, apply(line), 1);
	KTEST_EXPECT_EQ(t, got_calls, 0);
}

static void last_occurrence_wins(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apply("opt=1 opt=2"), 0);
	KTEST_EXPECT_STREQ(t, got_value, "2");
	KTEST_EXPECT_EQ(t, got_calls, 2);
}

static struct ktest_case cmdline_cases[] = {
	KTEST_CASE(value_and_bare_option),
	KTEST_CASE(quoted_value_keeps_spaces),
	KTEST_CASE(empty_line),
	KTEST_CASE(unknown_options_ignored),
	KTEST_CASE(malformed_options_ignored),
	KTEST_CASE(overlong_value_rejected),
	KTEST_CASE(last_occurrence_wins),
	{}
};
KTEST_SUITE(cmdline, cmdline_cases, .init = cmdline_test_init);
