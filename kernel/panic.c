// SPDX-License-Identifier: MIT
/*
 * panic.c - the end of the line.
 *
 * panic() prints its message and a backtrace exactly once: a second panic
 * (from the panic path itself, or another CPU) is reduced to a one-line
 * note and a halt. The first one stops the other CPUs (an NMI each;
 * they halt) so nothing scrolls the message away. Under test
 * (panic_exit_qemu, set by ktest=1 or panic.exit=1) it then leaves QEMU
 * through isa-debug-exit with QEMU_EXIT_PANIC so the runner can tell a
 * panic from a hang; otherwise the CPU halts with interrupts off.
 *
 * Before exiting or halting, panic() draws the panic screen (a header,
 * the message, the backtrace and a QR code of the log tail; see
 * keel/panic.h and docs/panic.md) when a display and a writer exist, and
 * prints one line saying what the QR code holds. The screen stays up
 * while the CPU halts.
 *
 * While a ktest case runs, panic() hands control back to the test runner
 * instead (ktest_panic_hook), so one bad case does not end the run.
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/fb.h>
#include <keel/ktest.h>
#include <keel/panic.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/serial.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>

static int panic_count;
bool panic_exit_qemu;

static int parse_panic_exit(const char *val)
{
	return val ? kstrtobool(val, &panic_exit_qemu) : -EINVAL;
}
cmdline_param("panic.exit", parse_panic_exit);

static const char *const qr_mode_names[] = {
	[PANIC_QR_PLAIN] = "plain",
	[PANIC_QR_ZLIB] = "zlib",
};

/* Draw the panic screen and say what its QR code holds. */
static void panic_show_screen(const char *msg, u64 start_ns)
{
	static struct panic_report report; /* not on a possibly deep stack */
	struct panic_screen_result res;
	int err;

	fbcon_stop(); /* the screen belongs to the panic screen now */
	panic_report_fill(&report, msg);
	report.start_ns = start_ns;
	err = panic_screen_draw(&report, &res);
	if (err == -ENODEV)
		return;
	if (err) {
		pr_emerg("panic screen: failed (%s)\n", errname(err));
		return;
	}
	pr_emerg(
		"panic screen: QR version %u, %s, %u log bytes, %u payload bytes, complete %llu us after panic()\n",
		res.qr_version, qr_mode_names[report.qr_mode], res.log_bytes,
		res.payload_bytes, (ktime_get_ns() - start_ns) / NSEC_PER_USEC);
}

bool in_panic(void)
{
	return READ_ONCE(panic_count) != 0;
}

void panic(const char *fmt, ...)
{
	u64 start_ns = ktime_get_ns();
	char msg[PANIC_MSG_MAX];
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);

	sched_policy_panic_hook(msg); /* returns unless a policy panicked */
	ktest_panic_hook(msg);	      /* returns only outside a test case */

	if (__atomic_fetch_add(&panic_count, 1, __ATOMIC_SEQ_CST)) {
		static const char again[] = "\npanic re-entered: ";

		serial_puts(again, sizeof(again) - 1);
		serial_puts(msg, strlen(msg));
		serial_puts("\n", 1);
		machine_halt();
	}
	smp_send_stop(); /* park the other CPUs (NMI), no locks */
	printk_emergency_mode();
	pr_emerg("Kernel panic - not syncing: %s\n", msg);
	dump_stack();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", msg);
	panic_show_screen(msg, start_ns);
	if (panic_exit_qemu)
		qemu_exit(QEMU_EXIT_PANIC);
	machine_halt();
}

void __warn(const char *file, int line, const char *cond)
{
	pr_warn("WARNING: %s at %s:%d\n", cond, file, line);
	dump_stack();
	ktest_warn_hook();
}
