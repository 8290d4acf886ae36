/* SPDX-License-Identifier: MIT */
/*
 * keel/kallsyms.h - the kernel's own symbol table, for backtraces.
 *
 * The table holds every text symbol, sorted by address; it is generated
 * from the first link by tools/gen-ksyms.py and linked into the second.
 */
#ifndef _KEEL_KALLSYMS_H
#define _KEEL_KALLSYMS_H

#include <keel/types.h>

/*
 * Find the function containing addr. Returns its name and sets *offset
 * and *size, or NULL when addr is outside kernel text.
 */
const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset);
/* Address of a symbol by name, 0 if unknown. */
unsigned long kallsyms_lookup_name(const char *name);
/* "func+0x1c/0x80" or "0xffff..." into buf; returns buf. */
char *kallsyms_format(unsigned long addr, char *buf, size_t len);

#endif
