/* SPDX-License-Identifier: MIT */
/*
 * keel/io_tmp.h - TEMPORARY: the ioremap() prototype until the memory
 * branch (wt-mm) lands its real, uncached ioremap() in keel/mm.h.
 *
 * Integration: delete this header and arch/x86_64/ioremap_tmp.c, and
 * replace "#include <keel/io_tmp.h>" with the header that declares the
 * real ioremap(). Every MMIO user in the irq branch goes through
 * ioremap(), so nothing else changes.
 */
#ifndef _KEEL_IO_TMP_H
#define _KEEL_IO_TMP_H

#include <keel/types.h>

/* A kernel virtual address for device registers at [phys, phys + size). */
void *ioremap(phys_addr_t phys, size_t size);

#endif
