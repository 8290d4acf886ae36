// SPDX-License-Identifier: MIT
/*
 * kallsyms.c - address-to-name lookup over the table that
 * tools/gen-ksyms.py builds from the first link of the kernel.
 * A symbol's size is the distance to the next text symbol (or _etext).
 */
#include <keel/kallsyms.h>
#include <keel/printk.h>
#include <keel/string.h>

extern const u64 kallsyms_num;
extern const u64 kallsyms_addrs[];
extern const u32 kallsyms_offsets[];
extern const char kallsyms_names[];
extern const char _text[], _etext[];

const char *kallsyms_lookup(unsigned long addr, unsigned long *size,
			    unsigned long *offset)
{
	u64 lo = 0, hi = kallsyms_num;
	unsigned long end;

	if (addr < (unsigned long)_text || addr >= (unsigned long)_etext ||
	    !kallsyms_num || addr < kallsyms_addrs[0])
		return NULL;
	/* find the last symbol whose address is <= addr */
	while (hi - lo > 1) {
		u64 mid = lo + (hi - lo) / 2;

		if (kallsyms_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	end = lo + 1 < kallsyms_num ? kallsyms_addrs[lo + 1] :
				      (unsigned long)_etext;
	if (size)
		*size = end - kallsyms_addrs[lo];
	if (offset)
		*offset = addr - kallsyms_addrs[lo];
	return &kallsyms_names[kallsyms_offsets[lo]];
}

unsigned long kallsyms_lookup_name(const char *name)
{
	for (u64 i = 0; i < kallsyms_num; i++)
		if (!strcmp(&kallsyms_names[kallsyms_offsets[i]], name))
			return kallsyms_addrs[i];
	return 0;
}

char *kallsyms_format(unsigned long addr, char *buf, size_t len)
{
	unsigned long size, off;
	const char *name = kallsyms_lookup(addr, &size, &off);

	if (name)
		snprintf(buf, len, "%s+%#lx/%#lx", name, off, size);
	else
		snprintf(buf, len, "0x%016lx", addr);
	return buf;
}
