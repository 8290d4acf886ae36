/* SPDX-License-Identifier: MIT */
/*
 * ktap.h - KTAP output for keel's user-space tests (the programs in tests/user).
 *
 * Each test program is one KTAP subtest, indented four spaces, that
 * init.c (the runner, /init in the test initramfs) nests under its own
 * plan, so tests/check.py counts every case. Lines go out with one
 * write(2) each (no stdio buffering across fork).
 *
 *	ktap_begin("fork", 3);
 *	ktap_check(pid > 0, "fork_returns_child_pid");
 *	...
 *	return ktap_end();
 */
#ifndef KEEL_USER_KTAP_H
#define KEEL_USER_KTAP_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int ktap_case, ktap_failed, ktap_silent;

static inline void ktap_line(const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	int n;

	if (ktap_silent)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(buf) - 2)
		n = sizeof(buf) - 2;
	buf[n++] = '\n';
	write(1, buf, n);
}

/*
 * KTAP_SILENT in the environment: print nothing, only the exit status
 * counts (a test that runs another test program as its child).
 */
static inline void ktap_begin(const char *name, int cases)
{
	ktap_silent = getenv("KTAP_SILENT") != NULL;
	ktap_line("    KTAP version 1");
	ktap_line("    # Subtest: %s", name);
	ktap_line("    1..%d", cases);
}

/* One case: ok or not ok; a failing one says what it saw first. */
static inline void ktap_result(int ok, const char *name, const char *why)
{
	ktap_case++;
	if (!ok) {
		ktap_failed++;
		if (why)
			ktap_line("    # %s: %s", name, why);
	}
	ktap_line("    %s %d %s", ok ? "ok" : "not ok", ktap_case, name);
}

#define ktap_check(cond, name) ktap_result(!!(cond), name, #cond)

/* A call that must fail with errno err (ret -1). */
#define ktap_errno(call, err, name)                                  \
	do {                                                         \
		long __r = (long)(call);                             \
		int __e = errno;                                     \
		char __why[128];                                     \
		snprintf(__why, sizeof(__why),                       \
			 "returned %ld errno %d, "                   \
			 "want -1 errno %d",                         \
			 __r, __e, err);                             \
		ktap_result(__r == -1 && __e == (err), name, __why); \
	} while (0)

static inline int ktap_end(void)
{
	return ktap_failed ? 1 : 0;
}

#endif
