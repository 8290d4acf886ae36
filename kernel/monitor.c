// SPDX-License-Identifier: MIT
/*
 * monitor.c - the kernel monitor on the serial console.
 *
 * Until user space exists, boot ends here: a prompt ("keel> "), a line
 * editor (printable characters, backspace/DEL, Ctrl-U to kill the line,
 * Enter to run) and the dispatcher. Commands live with their subsystems
 * (MONITOR_CMD() in keel/monitor.h puts each in the .monitor_cmds
 * section); only "help" and the deliberate crashes ("panic", "fault")
 * are here. A command gets argc/argv and returns 0 or -Exxx; unknown
 * commands and bad arguments are reported and never crash the kernel.
 * monitor_exec() runs one line and is what tests call.
 */
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/monitor.h>
#include <keel/mutex.h>
#include <keel/printk.h>
#include <keel/serial.h>
#include <keel/string.h>

#define MON_LINE_MAX 128
#define MON_ARGS_MAX 8

extern const struct monitor_cmd __monitor_cmds_start[];
extern const struct monitor_cmd __monitor_cmds_end[];

/* The section is an array: MONITOR_CMD() aligns each entry to 8. */
_Static_assert(sizeof(struct monitor_cmd) % 8 == 0,
	       "struct monitor_cmd must be a multiple of its alignment");

/*
 * monitor_exec_capture()'s buffer; capture_mutex serialises captures.
 * While one runs, every monitor_printf() lands here: commands run in
 * the task that called monitor_exec(), so only tests capture, and only
 * the monitor's own task prints answers.
 */
static DEFINE_MUTEX(capture_mutex);
static struct {
	char *buf;
	size_t size, len;
} capture;

/* Monitor output goes to every console (serial, fbcon), not the log. */
static void mon_write(const char *s)
{
	size_t len = strlen(s);

	if (capture.buf) {
		size_t n = min(len, capture.size - 1 - capture.len);

		memcpy(capture.buf + capture.len, s, n);
		capture.len += n;
		capture.buf[capture.len] = '\0';
		return;
	}
	console_write(s, len);
}

void monitor_printf(const char *fmt, ...)
{
	char buf[MONITOR_PRINTF_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mon_write(buf);
}

const struct monitor_cmd *monitor_cmd_find(const char *name)
{
	for (const struct monitor_cmd *c = __monitor_cmds_start;
	     c < __monitor_cmds_end; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/* The command that sorts first after prev (NULL: the first), or NULL. */
static const struct monitor_cmd *next_sorted(const struct monitor_cmd *prev)
{
	const struct monitor_cmd *best = NULL;

	for (const struct monitor_cmd *c = __monitor_cmds_start;
	     c < __monitor_cmds_end; c++) {
		if (prev && strcmp(c->name, prev->name) <= 0)
			continue;
		if (!best || strcmp(c->name, best->name) < 0)
			best = c;
	}
	return best;
}

static void print_usage(const struct monitor_cmd *c)
{
	char line[160];

	snprintf(line, sizeof(line), "usage: %s%s%s\n  %s\n", c->name,
		 c->usage ? " " : "", c->usage ?: "", c->help);
	mon_write(line);
}

/*
 * "help" prints "  NAME USAGE  HELP" with every HELP in one column, just
 * past the widest "NAME USAGE" up to HELP_COLUMN; a longer one puts its
 * HELP on the next line, in the same column.
 */
#define HELP_COLUMN 24

static int help_column(void)
{
	int col = 0;

	for (const struct monitor_cmd *c = __monitor_cmds_start;
	     c < __monitor_cmds_end; c++) {
		int w = strlen(c->name) + (c->usage ? 1 + strlen(c->usage) : 0);

		if (w <= HELP_COLUMN && w > col)
			col = w;
	}
	return col;
}

static void print_help_line(const struct monitor_cmd *c, int col)
{
	char line[160];
	int w;

	w = snprintf(line, sizeof(line), "  %s%s%s", c->name,
		     c->usage ? " " : "", c->usage ?: "");
	if (w - 2 > col)
		monitor_printf("%s\n  %*s  %s\n", line, col, "", c->help);
	else
		monitor_printf("%-*s  %s\n", col + 2, line, c->help);
}

/* "help": every command, sorted by name; "help CMD": its usage. */
static int cmd_help(int argc, char **argv)
{
	const struct monitor_cmd *c;
	int col;

	if (argc == 2) {
		c = monitor_cmd_find(argv[1]);
		if (!c) {
			pr_err("monitor: help: unknown command '%s'\n",
			       argv[1]);
			return -ENOENT;
		}
		print_usage(c);
		return 0;
	}
	col = help_column();
	for (c = next_sorted(NULL); c; c = next_sorted(c))
		print_help_line(c, col);
	return 0;
}
MONITOR_CMD(help, "[CMD]", "list commands, or show how to use CMD", 0, 1,
	    cmd_help);

static enum irqreturn panic_irq_handler(unsigned int irq, void *cookie)
{
	panic("requested from an interrupt handler (IRQ %u)", irq);
}

/* "panic": here; "panic irq": from a handler of the test IRQ line. */
static int cmd_panic(int argc, char **argv)
{
	static int cookie;
	unsigned int irq;
	int err;

	if (argc == 1)
		panic("requested from the monitor");
	if (strcmp(argv[1], "irq")) {
		pr_err("monitor: panic: unknown context '%s'\n", argv[1]);
		return -EINVAL;
	}
	irq = irq_test_line_get();
	err = request_irq(irq, panic_irq_handler, "panic", &cookie);
	if (!err)
		err = irq_test_line_raise(); /* the handler does not return */
	free_irq(irq, &cookie);
	irq_test_line_put();
	pr_err("monitor: panic irq: %s\n", errname(err));
	return err;
}
MONITOR_CMD(panic, "[irq]", "panic the kernel here or in an IRQ handler", 0, 1,
	    cmd_panic);

/* A real bad pointer dereference in a named function, for backtraces. */
static noinline int monitor_fault_null_deref(volatile int *p)
{
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): the point */
	return *p;
}

static int cmd_fault(int argc, char **argv)
{
	return monitor_fault_null_deref(NULL);
}
MONITOR_CMD(fault, NULL, "dereference NULL (tests the fault path)", 0, 0,
	    cmd_fault);

/* Split line in place at spaces; returns argc or -E2BIG. */
static int split_args(char *line, char **argv)
{
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MON_ARGS_MAX)
			return -E2BIG;
		argv[argc++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	return argc;
}

int monitor_exec(const char *cmdline)
{
	char line[MON_LINE_MAX], *argv[MON_ARGS_MAX];
	const struct monitor_cmd *c;
	int argc, err;

	if (strlcpy(line, cmdline, sizeof(line)) >= sizeof(line)) {
		pr_err("monitor: line too long\n");
		return -E2BIG;
	}
	argc = split_args(line, argv);
	if (argc < 0) {
		pr_err("monitor: too many arguments\n");
		return argc;
	}
	if (!argc)
		return 0;
	c = monitor_cmd_find(argv[0]);
	if (!c) {
		pr_err("monitor: unknown command '%s'; try 'help'\n", argv[0]);
		return -ENOENT;
	}
	if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
		print_usage(c);
		return -EINVAL;
	}
	err = c->fn(argc, argv);
	if (err == -EINVAL) /* the command refused its arguments */
		print_usage(c);
	return err;
}

int monitor_exec_capture(const char *line, char *buf, size_t size)
{
	int ret;

	if (!size)
		return -EINVAL;
	mutex_lock(&capture_mutex);
	buf[0] = '\0';
	capture.buf = buf;
	capture.size = size;
	capture.len = 0;
	ret = monitor_exec(line);
	capture.buf = NULL;
	mutex_unlock(&capture_mutex);
	return ret;
}

/* Read one line with echo and editing; returns its length. */
static size_t read_line(char *line, size_t size)
{
	size_t len = 0;

	for (;;) {
		int c = serial_wait_char();

		if (c == '\r' || c == '\n') {
			mon_write("\n");
			line[len] = '\0';
			return len;
		}
		if (c == 0x7f || c == '\b') {
			if (len) {
				len--;
				mon_write("\b \b");
			}
		} else if (c == 0x15) { /* Ctrl-U */
			for (; len; len--)
				mon_write("\b \b");
		} else if (c >= ' ' && c < 0x7f && len + 1 < size) {
			char s[2] = { (char)c, 0 };

			line[len++] = c;
			mon_write(s);
		}
	}
}

void monitor_run(void)
{
	char line[MON_LINE_MAX];

	pr_info("monitor: type 'help' for commands\n");
	for (;;) {
		mon_write("keel> ");
		read_line(line, sizeof(line));
		monitor_exec(line);
	}
}
