/* SPDX-License-Identifier: MIT */
/* keel/stacktrace.h - frame-pointer backtraces. */
#ifndef _KEEL_STACKTRACE_H
#define _KEEL_STACKTRACE_H

#include <keel/types.h>

/* Collect up to max return addresses starting at frame pointer fp. */
unsigned int stack_trace_save_fp(unsigned long fp, unsigned long *entries,
				 unsigned int max);
/* Print rip (if non-zero) and the chain from fp, symbolized. */
void show_stack_fp(unsigned long rip, unsigned long fp);

#endif
