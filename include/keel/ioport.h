/* SPDX-License-Identifier: MIT */
/*
 * keel/ioport.h - who owns which I/O ports. A driver claims its port
 * range before touching it; a second claim of any port in the range
 * fails with -EBUSY. The ports the kernel drives itself (PICs, PIT,
 * 8042, CMOS, PCI configuration, COM1, ...; kernel/ioport.c) are claimed
 * from the start and never released, so no driver gets them.
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
