// SPDX-License-Identifier: MIT
/*
 * monitor.c - the kernel monitor on the serial console.
 *
 * Until user space exists, boot ends here: a prompt ("keel> "), a line
 * editor (printable characters, backspace/DEL, Ctrl-U to kill the line,
 * Enter to run) and a table of commands. A command gets argc/argv and
 * returns 0 or -Exxx; unknown commands and bad arguments are reported
 * and never crash the kernel. monitor_exec() runs one line and is what
 * tests call.
 */
#include <keel/bench.h>
#include <keel/bug.h>
#include <keel/device.h>
#include <keel/errno.h>
#include <keel/init.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/net/ipconfig.h>
#include <keel/monitor.h>
#include <keel/pci.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/sched_record.h>
#include <keel/serial.h>
#include <keel/string.h>
#include <keel/time.h>

#define MON_LINE_MAX 128
#define MON_ARGS_MAX 8

struct monitor_cmd {
	const char *name;
	const char *args;
	const char *help;
	int min_args, max_args; /* not counting the command */
	int (*fn)(int argc, char **argv);
};

static const struct monitor_cmd commands[];

/* Monitor output goes to every console (serial, fbcon), not the log. */
static void mon_write(const char *s)
{
	console_write(s, strlen(s));
}

static int cmd_help(int argc, char **argv)
{
	char line[128];

	for (const struct monitor_cmd *c = commands; c->name; c++) {
		snprintf(line, sizeof(line), "  %-8s %-8s %s\n", c->name,
			 c->args ? c->args : "", c->help);
		mon_write(line);
	}
	return 0;
}

static int cmd_dmesg(int argc, char **argv)
{
	char buf[256];
	u64 pos = 0;
	size_t n;

	while ((n = log_buf_read(&pos, buf, sizeof(buf))) != 0)
		console_write(buf, n);
	return 0;
}

static int cmd_meminfo(int argc, char **argv)
{
	mm_show_info();
	return 0;
}

static int cmd_uptime(int argc, char **argv)
{
	time_show();
	return 0;
}

static int cmd_irqs(int argc, char **argv)
{
	irq_show();
	return 0;
}

static int cmd_lspci(int argc, char **argv)
{
	pci_show();
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	sched_show_tasks();
	return 0;
}

static int cmd_cpus(int argc, char **argv)
{
	sched_show_cpus();
	return 0;
}

static int cmd_lsdev(int argc, char **argv)
{
	devices_show();
	return 0;
}

static int cmd_ifconfig(int argc, char **argv)
{
	return ifconfig_cmd(argc, argv);
}

static int cmd_ping(int argc, char **argv)
{
	return ping_cmd(argc, argv);
}

static int cmd_netstat(int argc, char **argv)
{
	return netstat_cmd(argc, argv);
}

static int cmd_arp(int argc, char **argv)
{
	return arp_cmd(argc, argv);
}

/*
 * "sched": list the policies; "sched NAME": switch to NAME live;
 * "sched record ..." and "sched msg N": sched_record_cmd (record.c).
 */
static int cmd_sched(int argc, char **argv)
{
	int err;

	if (argc > 1 && (!strcmp(argv[1], "record") || !strcmp(argv[1], "msg")))
		return sched_record_cmd(argc - 1, argv + 1);
	if (argc == 1) {
		sched_policy_list();
		return 0;
	}
	err = sched_policy_switch_to(argv[1]);
	if (err)
		pr_err("monitor: sched: cannot switch to '%s': %d\n", argv[1],
		       err);
	else
		printk(KERN_INFO "sched: policy %s\n", sched_policy_name());
	return err;
}

static int cmd_ktest(int argc, char **argv)
{
	int failed = ktest_run(argc > 1 ? argv[1] : NULL);

	printk(KERN_INFO "ktest: %d failed\n", failed);
	return 0;
}

static int cmd_bench(int argc, char **argv)
{
	return bench_run(argc > 1 ? argv[1] : NULL) ? -EIO : 0;
}

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

/* Fill the log: N numbered lines of filler text (tests, huge logs). */
static int cmd_logflood(int argc, char **argv)
{
	unsigned int n;
	int err = kstrtouint(argv[1], 10, &n);

	if (err)
		return err;
	for (unsigned int i = 0; i < n; i++)
		pr_info("logflood: line %u of %u: the quick brown fox jumps over the lazy dog %08x\n",
			i + 1, n, i * 2654435761U);
	return 0;
}

/* Start a module that does not start at boot (keel/init.h). */
static int cmd_modprobe(int argc, char **argv)
{
	int err = initcall_run_on_demand(argv[1]);

	if (err)
		pr_err("monitor: modprobe %s: %s\n", argv[1], errname(err));
	return err;
}

/* A real bad pointer dereference in a named function, for backtraces. */
static noinline int monitor_fault_null_deref(volatile int *p)
{
	return *p;
}

static int cmd_fault(int argc, char **argv)
{
	return monitor_fault_null_deref(NULL);
}

static int cmd_reboot(int argc, char **argv)
{
	kernel_restart();
}

static int cmd_poweroff(int argc, char **argv)
{
	kernel_power_off();
}

static const struct monitor_cmd commands[] = {
	{ "help", NULL, "list commands", 0, 0, cmd_help },
	{ "dmesg", NULL, "print the kernel log", 0, 0, cmd_dmesg },
	{ "meminfo", NULL, "free/used pages, kmalloc caches", 0, 0,
	  cmd_meminfo },
	{ "uptime", NULL, "time since boot, clock source", 0, 0, cmd_uptime },
	{ "irqs", NULL, "interrupt lines and counts", 0, 0, cmd_irqs },
	{ "lspci", NULL, "PCI devices and their drivers", 0, 0, cmd_lspci },
	{ "ps", NULL, "tasks: state, CPU, nice, runtime (also per CPU)", 0, 0,
	  cmd_ps },
	{ "cpus", NULL, "CPUs: running task, queue, ticks, IPIs; policy", 0, 0,
	  cmd_cpus },
	{ "lsdev", NULL, "device tree: buses, devices, drivers", 0, 0,
	  cmd_lsdev },
	{ "ifconfig", "[IF [ADDR/LEN [GW]|dhcp|up|down]]",
	  "show or configure network interfaces", 0, 3, cmd_ifconfig },
	{ "ping", "[-I IF] [-c N] [-s SIZE] ADDR", "ICMP echo", 1, 7,
	  cmd_ping },
	{ "netstat", NULL, "network stack counters", 0, 0, cmd_netstat },
	{ "arp", NULL, "the ARP cache", 0, 0, cmd_arp },
	{ "sched", "[NAME | record start [NAME]|stop|dump | msg N]",
	  "list policies / switch live / record decisions / messaging run", 0,
	  3, cmd_sched },
	{ "ktest", "[GLOB]", "run in-kernel tests (suite or suite.case)", 0, 1,
	  cmd_ktest },
	{ "bench", "[GLOB]", "run benchmarks (see make bench)", 0, 1,
	  cmd_bench },
	{ "panic", "[irq]", "panic the kernel here or in an IRQ handler", 0, 1,
	  cmd_panic },
	{ "logflood", "N", "log N lines of filler text", 1, 1, cmd_logflood },
	{ "modprobe", "NAME", "start an on-demand module", 1, 1, cmd_modprobe },
	{ "fault", NULL, "dereference NULL (tests the fault path)", 0, 0,
	  cmd_fault },
	{ "reboot", NULL, "restart the machine", 0, 0, cmd_reboot },
	{ "poweroff", NULL, "turn the machine off", 0, 0, cmd_poweroff },
	{ NULL, NULL, NULL, 0, 0, NULL }
};

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
	int argc;

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
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[0]))
			break;
	if (!c->name) {
		pr_err("monitor: unknown command '%s'; try 'help'\n", argv[0]);
		return -ENOENT;
	}
	if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
		pr_err("monitor: usage: %s %s\n", c->name,
		       c->args ? c->args : "");
		return -EINVAL;
	}
	return c->fn(argc, argv);
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
