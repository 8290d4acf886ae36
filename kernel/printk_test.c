// SPDX-License-Identifier: MIT
/*
 * printk_test.c - levels, console filtering, continuation lines,
 * timestamps and truncation, observed through a capturing console and
 * the log buffer itself.
 */
#include <keel/ktest.h>
#include <keel/printk.h>
#include <keel/string.h>

static char captured[512];
static size_t captured_len;

static void capture_write(struct console *con, const char *s, size_t len)
{
	for (size_t i = 0; i < len && captured_len + 1 < sizeof(captured); i++)
		captured[captured_len++] = s[i];
	captured[captured_len] = '\0';
}

static struct console capture_console = {
	.name = "ktest",
	.write = capture_write,
};

static int saved_loglevel;

static int printk_test_init(struct ktest *t)
{
	captured_len = 0;
	captured[0] = '\0';
	saved_loglevel = console_loglevel;
	register_console(&capture_console);
	return 0;
}

static void printk_test_exit(struct ktest *t)
{
	unregister_console(&capture_console);
	console_loglevel = saved_loglevel;
}

static void console_filters_by_level(struct ktest *t)
{
	console_loglevel = 4; /* errors and worse only */
	pr_info("printk_test: hidden info\n");
	pr_err("printk_test: shown error\n");
	console_loglevel = saved_loglevel;
	KTEST_EXPECT_NULL(t, strstr(captured, "hidden info"));
	KTEST_EXPECT_NOT_NULL(t, strstr(captured, "shown error"));
}

static void log_keeps_filtered_messages(struct ktest *t)
{
	char tail[128];
	size_t n;

	console_loglevel = 0;
	pr_debug("printk_test: debug goes to the log\n");
	console_loglevel = saved_loglevel;
	n = log_buf_tail(tail, sizeof(tail) - 1);
	tail[n] = '\0';
	KTEST_EXPECT_NOT_NULL(t, strstr(tail, "debug goes to the log\n"));
	KTEST_EXPECT_EQ(t, captured_len, 0UL);
}

static void timestamp_prefixes_each_line(struct ktest *t)
{
	pr_info("printk_test: one\nprintk_test: two\n");
	/* "[    0.000000] " before each of the two lines */
	KTEST_ASSERT_EQ(t, captured[0], '[');
	KTEST_EXPECT_EQ(t, captured[13], ']');
	KTEST_EXPECT_NOT_NULL(t, strstr(captured, "] printk_test: two"));
}

static void continuation_joins_lines(struct ktest *t)
{
	pr_info("printk_test: a");
	pr_cont("b");
	pr_cont("c\n");
	KTEST_EXPECT_NOT_NULL(t, strstr(captured, "printk_test: abc\n"));
}

static void unterminated_line_is_closed(struct ktest *t)
{
	pr_info("printk_test: open");
	pr_info("printk_test: next\n");
	KTEST_EXPECT_NOT_NULL(t, strstr(captured, "printk_test: open\n"));
}

static void long_message_truncated_with_newline(struct ktest *t)
{
	static char big[1500];
	char tail[16];
	size_t n;

	memset(big, 'z', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	console_loglevel = 0;
	pr_info("%s\n", big);
	console_loglevel = saved_loglevel;
	n = log_buf_tail(tail, 3);
	KTEST_ASSERT_EQ(t, n, 3UL);
	KTEST_EXPECT_MEMEQ(t, tail, "zz\n", 3);
}

static void log_read_cursor_sees_new_text(struct ktest *t)
{
	char buf[64];
	u64 pos = log_buf_total();
	size_t n;

	pr_info("printk_test: cursor\n");
	n = log_buf_read(&pos, buf, sizeof(buf) - 1);
	buf[n] = '\0';
	KTEST_EXPECT_GT(t, n, 0UL);
	KTEST_EXPECT_NOT_NULL(t, strstr(buf, "printk_test: cursor\n"));
	KTEST_EXPECT_EQ(t, pos, log_buf_total());
}

static struct ktest_case printk_cases[] = {
	KTEST_CASE(console_filters_by_level),
	KTEST_CASE(log_keeps_filtered_messages),
	KTEST_CASE(timestamp_prefixes_each_line),
	KTEST_CASE(continuation_joins_lines),
	KTEST_CASE(unterminated_line_is_closed),
	KTEST_CASE(long_message_truncated_with_newline),
	KTEST_CASE(log_read_cursor_sees_new_text),
	{}
};
KTEST_SUITE(printk, printk_cases, .init = printk_test_init,
	    .exit = printk_test_exit);
