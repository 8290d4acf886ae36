/* SPDX-License-Identifier: MIT */
/* keel/monitor.h - the built-in serial console monitor (kernel/monitor.c). */
#ifndef _KEEL_MONITOR_H
#define _KEEL_MONITOR_H

#include <keel/compiler.h>

/* Read commands from the serial console forever. */
void monitor_run(void) __noreturn;
/* Run one command line; returns 0 or -Exxx (unknown command, bad args). */
int monitor_exec(const char *line);

#endif
