/* SPDX-License-Identifier: MIT */
/*
 * keel/ioport.h - who owns which I/O ports. A driver claims its port
 * range before touching it; a second claim of any port in the range
 * fails with -EBUSY.
 */
#ifndef _KEEL_IOPORT_H
#define _KEEL_IOPORT_H

#include <keel/types.h>

/* 0, -EBUSY (overlap), -EINVAL (empty or wrapping range), -ENOSPC. */
int request_region(u16 base, u16 len, const char *name);
void release_region(u16 base, u16 len);
/* Print the claimed ranges (monitor). */
void ioport_show(void);

#endif
