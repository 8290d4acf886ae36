// SPDX-License-Identifier: MIT
/*
 * monitor_test.c - the monitor rejects bad input with the right errno,
 * finds every subsystem's commands in the .monitor_cmds section, and its
 * tables ("ps", "cpus") show what they should.
 */
#include <keel/errno.h>
#include <keel/ktest.h>
#include <keel/monitor.h>
#include <keel/printk.h>
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

static void help_for_one_command(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, monitor_exec("help ping"), 0);
	KTEST_EXPECT_EQ(t, monitor_exec("help help"), 0);
	KTEST_EXPECT_EQ(t, monitor_exec("help frobnicate"), -ENOENT);
	KTEST_EXPECT_EQ(t, monitor_exec("help ping arp"), -EINVAL);
}

extern const struct monitor_cmd __monitor_cmds_start[];
extern const struct monitor_cmd __monitor_cmds_end[];

/* Every entry is well formed and the only one with its name. */
static void commands_are_unique_and_well_formed(struct ktest *t)
{
	const struct monitor_cmd *c;

	KTEST_EXPECT_GT(t, __monitor_cmds_end - __monitor_cmds_start, 0);
	for (c = __monitor_cmds_start; c < __monitor_cmds_end; c++) {
		KTEST_EXPECT_NOT_NULL(t, c->name);
		KTEST_EXPECT_NOT_NULL(t, c->help);
		KTEST_EXPECT_NOT_NULL(t, c->fn);
		KTEST_EXPECT_TRUE(t, c->min_args >= 0);
		KTEST_EXPECT_TRUE(t, c->min_args <= c->max_args);
		KTEST_EXPECT_TRUE(t, monitor_cmd_find(c->name) == c);
	}
}

/* The commands each subsystem registers from its own files. */
static void subsystems_register_their_commands(struct ktest *t)
{
	static const char *const names[] = {
		"help",	   "panic", "fault", "dmesg",	 "logflood", "uptime",
		"irqs",	   "ktest", "bench", "modprobe", "reboot",   "poweroff",
		"meminfo", "lspci", "lsdev", "ifconfig", "ping",     "netstat",
		"arp",	   "ps",    "cpus",  "sched",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		KTEST_EXPECT_NOT_NULL(t, monitor_cmd_find(names[i]));
	KTEST_EXPECT_NULL(t, monitor_cmd_find("frobnicate"));
}

/* Run a command; returns what it printed (at most size - 1 bytes). */
static void run_captured(const char *cmd, char *buf, size_t size, int *ret)
{
	*ret = monitor_exec_capture(cmd, buf, size);
}

static void help_lists_commands_sorted(struct ktest *t)
{
	static char out[4096];
	const char *arp, *bench, *uptime;
	int ret;

	run_captured("help", out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, 0);
	arp = strstr(out, "  arp ");
	bench = strstr(out, "  bench ");
	uptime = strstr(out, "  uptime ");
	KTEST_ASSERT_NOT_NULL(t, arp);
	KTEST_ASSERT_NOT_NULL(t, bench);
	KTEST_ASSERT_NOT_NULL(t, uptime);
	KTEST_EXPECT_TRUE(t, out == arp); /* the first, alphabetically */
	KTEST_EXPECT_TRUE(t, arp < bench && bench < uptime);
}

static void help_cmd_prints_usage(struct ktest *t)
{
	static char out[512];
	int ret;

	run_captured("help ping", out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_STREQ(t, out,
			   "usage: ping [-I IF] [-c N] [-s SIZE] ADDR\n"
			   "  ICMP echo\n");
	run_captured("help netstat", out, sizeof(out), &ret);
	KTEST_EXPECT_STREQ(t, out,
			   "usage: netstat\n  network stack counters\n");
}

/* A command's answer goes to the consoles, not into the kernel log. */
static void answer_is_not_logged(struct ktest *t)
{
	static char out[512], logged[4096];
	u64 pos = log_buf_total();
	size_t n = 0, got;
	int ret;

	run_captured("uptime", out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "uptime: "));
	while (n + 1 < sizeof(logged) &&
	       (got = log_buf_read(&pos, logged + n, sizeof(logged) - 1 - n)) !=
		       0)
		n += got;
	logged[n] = '\0';
	KTEST_EXPECT_NULL(t, strstr(logged, "uptime: "));
}

static void capture_cuts_at_size(struct ktest *t)
{
	char out[8];
	int ret;

	run_captured("help", out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_EQ(t, strlen(out), sizeof(out) - 1);
}

/* "help" starts every description in the same column. */
static void help_aligns_descriptions(struct ktest *t)
{
	static char out[4096];
	const struct monitor_cmd *c;
	long col = -1;
	int ret;

	run_captured("help", out, sizeof(out), &ret);
	KTEST_ASSERT_EQ(t, ret, 0);
	for (c = __monitor_cmds_start; c < __monitor_cmds_end; c++) {
		const char *help = strstr(out, c->help), *bol;

		KTEST_ASSERT_NOT_NULL(t, help);
		for (bol = help; bol > out && bol[-1] != '\n'; bol--)
			;
		if (col < 0)
			col = help - bol;
		KTEST_EXPECT_EQ(t, help - bol, col);
	}
}

/* Expect line to fail with -EINVAL and print "usage: NAME ...". */
static void expect_usage(struct ktest *t, const char *line, const char *name)
{
	static char out[512];
	char want[32];
	int ret;

	snprintf(want, sizeof(want), "usage: %s", name);
	run_captured(line, out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, -EINVAL);
	if (!strstr(out, want))
		ktest_fail(t, __FILE__, __LINE__, "'%s' printed '%s', no '%s'",
			   line, out, want);
}

/* Too many or too few arguments: every command prints its usage. */
static void wrong_count_prints_usage(struct ktest *t)
{
	const struct monitor_cmd *c;
	char line[128];
	int n;

	for (c = __monitor_cmds_start; c < __monitor_cmds_end; c++) {
		if (c->max_args + 1 < 8) { /* one too many, within the limit */
			n = snprintf(line, sizeof(line), "%s", c->name);
			for (int i = 0; i <= c->max_args; i++)
				n += snprintf(line + n, sizeof(line) - n, " x");
			expect_usage(t, line, c->name);
		}
		if (c->min_args > 0)
			expect_usage(t, c->name, c->name);
	}
}

/* Arguments a command cannot use: it refuses, the monitor shows usage. */
static void bad_argument_prints_usage(struct ktest *t)
{
	expect_usage(t, "logflood lots", "logflood");
	expect_usage(t, "ping -x 10.0.2.2", "ping");
	expect_usage(t, "ping 10.0.2", "ping");
	expect_usage(t, "ping -c 0 10.0.2.2", "ping");
	expect_usage(t, "panic please", "panic");
}

static void ps_lists_tasks_with_runtime(struct ktest *t)
{
	static char out[8192];
	int ret;

	run_captured("ps", out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "RUNTIME ms"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, " init "));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, " running "));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "idle/0"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "reaper"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, " 0:")); /* CPU 0's share */
}

static void cpus_lists_cpus_and_policy(struct ktest *t)
{
	static char out[8192];
	int ret;

	run_captured("cpus", out, sizeof(out), &ret);
	KTEST_EXPECT_EQ(t, ret, 0);
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "  0    "));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "online"));
	KTEST_EXPECT_NOT_NULL(t, strstr(out, "policy fair"));
	KTEST_EXPECT_EQ(t, monitor_exec("cpus now"), -EINVAL);
}

static struct ktest_case monitor_cases[] = {
	KTEST_CASE(empty_line_is_fine),
	KTEST_CASE(unknown_command),
	KTEST_CASE(wrong_argument_count),
	KTEST_CASE(too_many_arguments),
	KTEST_CASE(overlong_line),
	KTEST_CASE(help_runs),
	KTEST_CASE(help_for_one_command),
	KTEST_CASE(commands_are_unique_and_well_formed),
	KTEST_CASE(subsystems_register_their_commands),
	KTEST_CASE(help_lists_commands_sorted),
	KTEST_CASE(help_cmd_prints_usage),
	KTEST_CASE(help_aligns_descriptions),
	KTEST_CASE(wrong_count_prints_usage),
	KTEST_CASE(bad_argument_prints_usage),
	KTEST_CASE(answer_is_not_logged),
	KTEST_CASE(capture_cuts_at_size),
	KTEST_CASE(ps_lists_tasks_with_runtime),
	KTEST_CASE(cpus_lists_cpus_and_policy),
	{}
};
KTEST_SUITE(monitor, monitor_cases);
