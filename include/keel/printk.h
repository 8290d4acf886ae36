/* SPDX-License-Identifier: MIT */
/*
 * keel/printk.h - kernel log: printk with levels, the log ring buffer and
 * the console list. Messages go into the ring (always) and to every
 * registered console when their level is below console_loglevel.
 */
#ifndef _KEEL_PRINTK_H
#define _KEEL_PRINTK_H

#include <keel/compiler.h>

#define KERN_SOH     "\001"
#define KERN_EMERG   KERN_SOH "0"
#define KERN_ALERT   KERN_SOH "1"
#define KERN_CRIT    KERN_SOH "2"
#define KERN_ERR     KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE  KERN_SOH "5"
#define KERN_INFO    KERN_SOH "6"
#define KERN_DEBUG   KERN_SOH "7"
#define KERN_CONT    KERN_SOH "c"

#define LOGLEVEL_DEFAULT	 4 /* printk without a level: warning */
#define CONSOLE_LOGLEVEL_DEFAULT 7 /* show everything but debug */

#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif

#define pr_emerg(fmt, ...)  printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)  printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)   printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)    printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)   printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)   printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_debug(fmt, ...)  printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)   printk(KERN_CONT fmt, ##__VA_ARGS__)

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);
int scnprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* A console receives every character printk decides to show. */
struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	/* optional: bytes as they are, no '\n' -> "\r\n" (a tty's output) */
	void (*write_raw)(struct console *con, const char *s, size_t len);
	struct console *next;
};

void register_console(struct console *con);
/* Write to every console without logging (the monitor's echo and output). */
void console_write(const char *s, size_t len);
/* The same for bytes a tty already processed (OPOST): write_raw if any. */
void console_write_raw(const char *s, size_t len);
void unregister_console(struct console *con);

extern int console_loglevel;

/* The log ring keeps the last LOG_BUF_SIZE bytes of formatted output. */
#define LOG_BUF_SHIFT 16
#define LOG_BUF_SIZE  (1UL << LOG_BUF_SHIFT)

/*
 * Copy out the log, oldest byte first. pos is a cursor: start from 0,
 * pass the returned value back to continue. Returns the bytes copied
 * (0 at the end). Lines overwritten since the last call are skipped.
 */
size_t log_buf_read(u64 *pos, char *buf, size_t len);
/* Copy the newest min(len, stored) bytes into buf; returns the count. */
size_t log_buf_tail(char *buf, size_t len);
/* Total bytes ever logged (the ring holds the last LOG_BUF_SIZE). */
u64 log_buf_total(void);

/* Write straight to the consoles, bypassing locks: for panic(). */
void printk_emergency_mode(void);
/* Whether this CPU holds printk's lock (a report must not print then). */
bool printk_lock_held_here(void);

#endif
