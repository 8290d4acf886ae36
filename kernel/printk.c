// SPDX-License-Identifier: MIT
/*
 * printk.c - the kernel log.
 *
 * Every message is formatted once into a line buffer, given a timestamp
 * prefix ("[    1.234567] ") at the start of each line, appended to a byte
 * ring (log_buf) that keeps the newest LOG_BUF_SIZE bytes, and written to
 * the registered consoles when its level is below console_loglevel.
 *
 * Locking: logbuf_lock (irqsave) serializes formatting into the ring and
 * console output, so lines from different CPUs never interleave. After
 * printk_emergency_mode() (panic), the lock is only tried: a CPU that died
 * holding it must not silence the panic message.
 */
#include <keel/cmdline.h>
#include <keel/logring.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/spinlock.h>
#include <keel/string.h>
#include <keel/time.h>

#define LINE_MAX 1024

static char log_buf[LOG_BUF_SIZE];
static struct log_ring log_ring = { .buf = log_buf, .size = LOG_BUF_SIZE };
static DEFINE_SPINLOCK(logbuf_lock);
static struct console *consoles;
static bool line_open; /* last message did not end in '\n' */
static int line_level; /* level of the open line */
static bool emergency;
int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

static int parse_loglevel(const char *val)
{
	unsigned int lvl;
	int err = kstrtouint(val, 10, &lvl);

	if (err)
		return err;
	if (lvl > 8)
		return -ERANGE;
	console_loglevel = lvl;
	return 0;
}
cmdline_param("loglevel", parse_loglevel);

void register_console(struct console *con)
{
	unsigned long flags;

	spin_lock_irqsave(&logbuf_lock, flags);
	con->next = consoles;
	consoles = con;
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

void unregister_console(struct console *con)
{
	unsigned long flags;
	struct console **p;

	spin_lock_irqsave(&logbuf_lock, flags);
	for (p = &consoles; *p; p = &(*p)->next) {
		if (*p == con) {
			*p = con->next;
			break;
		}
	}
	spin_unlock_irqrestore(&logbuf_lock, flags);
}

static void emit(const char *s, size_t len, int level)
{
	log_ring_write(&log_ring, s, len);
	if (level >= console_loglevel)
		return;
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
}

static int timestamp(char *buf, size_t size)
{
	u64 ns = ktime_get_ns();

	return scnprintf(buf, size, "[%5llu.%06llu] ", ns / NSEC_PER_SEC,
			 (ns % NSEC_PER_SEC) / NSEC_PER_USEC);
}

/* Split "\001N" off the front of a message; returns the level or -1. */
static int strip_level(const char **text, bool *cont)
{
	const char *t = *text;
	int level = -1;

	*cont = false;
	while (t[0] == KERN_SOH[0] && t[1]) {
		if (t[1] == 'c')
			*cont = true;
		else if (t[1] >= '0' && t[1] <= '7')
			level = t[1] - '0';
		t += 2;
	}
	*text = t;
	return level;
}

/*
 * Emit text line by line, stamping each new line. Caller holds the lock
 * (in emergency mode it may have failed to get it).
 */
static void log_text(const char *text, size_t len, int level)
{
	char ts[32];

	if (!emergency)
		lockdep_assert_held(&logbuf_lock);
	while (len) {
		const char *nl = memchr(text, '\n', len);
		size_t n = nl ? (size_t)(nl - text) + 1 : len;

		if (!line_open)
			emit(ts, timestamp(ts, sizeof(ts)), level);
		emit(text, n, level);
		line_open = !nl;
		text += n;
		len -= n;
	}
}

int vprintk(const char *fmt, va_list ap)
{
	char line[LINE_MAX];
	const char *text = line;
	unsigned long flags;
	bool cont, locked = true;
	int level, len;

	len = vsnprintf(line, sizeof(line), fmt, ap);
	if (len >= (int)sizeof(line)) {
		/* keep the newline of a truncated line */
		len = sizeof(line) - 1;
		line[len - 1] = '\n';
	}
	level = strip_level(&text, &cont);
	len -= text - line;

	flags = local_irq_save();
	if (emergency)
		locked = spin_trylock(&logbuf_lock);
	else
		spin_lock(&logbuf_lock);
	if (cont && line_open) {
		level = line_level;
	} else {
		if (line_open)
			emit("\n", 1, line_level);
		line_open = false;
		if (level < 0)
			level = LOGLEVEL_DEFAULT;
	}
	line_level = level;
	log_text(text, len, level);
	if (locked)
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

static void __console_write(const char *s, size_t len, bool raw)
{
	unsigned long flags = local_irq_save();
	bool locked = true;

	if (emergency)
		locked = spin_trylock(&logbuf_lock);
	else
		spin_lock(&logbuf_lock);
	for (struct console *c = consoles; c; c = c->next) {
		if (raw && c->write_raw)
			c->write_raw(c, s, len);
		else
			c->write(c, s, len);
	}
	if (locked)
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
}

void console_write(const char *s, size_t len)
{
	__console_write(s, len, false);
}

void console_write_raw(const char *s, size_t len)
{
	__console_write(s, len, true);
}

void printk_emergency_mode(void)
{
	emergency = true;
}

bool printk_lock_held_here(void)
{
	return READ_ONCE(logbuf_lock.owner) == spin_owner_mark();
}

u64 log_buf_total(void)
{
	return READ_ONCE(log_ring.head);
}

size_t log_buf_read(u64 *pos, char *buf, size_t len)
{
	unsigned long flags;
	size_t n;

	spin_lock_irqsave(&logbuf_lock, flags);
	n = log_ring_read(&log_ring, pos, buf, len);
	spin_unlock_irqrestore(&logbuf_lock, flags);
	return n;
}

/* Used by the panic path too: the lock is only tried. */
size_t log_buf_tail(char *buf, size_t len)
{
	unsigned long flags = local_irq_save();
	bool locked = spin_trylock(&logbuf_lock);
	size_t n = log_ring_tail(&log_ring, buf, len);

	if (locked)
		spin_unlock(&logbuf_lock);
	local_irq_restore(flags);
	return n;
}

/* --- the monitor's "dmesg" and "logflood" --- */

static int cmd_dmesg(int argc, char **argv)
{
	char buf[256];
	u64 pos = 0;
	size_t n;

	while ((n = log_buf_read(&pos, buf, sizeof(buf))) != 0)
		console_write(buf, n);
	return 0;
}
MONITOR_CMD(dmesg, NULL, "print the kernel log", 0, 0, cmd_dmesg);

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
MONITOR_CMD(logflood, "N", "log N lines of filler text", 1, 1, cmd_logflood);
