/* SPDX-License-Identifier: MIT */
/*
 * keel/ubsan.h - the run-time half of `make UBSAN=1` (lib/ubsan.c).
 *
 * gcc's -fsanitize=... checks call __ubsan_handle_*() when they see
 * undefined behaviour; lib/ubsan.c prints the kind, the source location
 * and the values, once per site, and the kernel goes on (except after
 * __builtin_unreachable(), which panics). In other builds nothing calls
 * it and the counters stay zero.
 */
#ifndef _KEEL_UBSAN_H
#define _KEEL_UBSAN_H

#include <keel/types.h>

/* Reports printed since boot (each site reports once). */
unsigned long ubsan_reports(void);

/*
 * The last report's first two lines ("shift-out-of-bounds in
 * lib/x.c:12:9: shift exponent 40 is too large for 32-bit type 'int'"),
 * for tests; "" before the first. Not stable while reports come in.
 */
const char *ubsan_last_report(void);

#endif
