/* SPDX-License-Identifier: MIT */
/*
 * asm/extable.h - the exception table: instructions allowed to fault.
 *
 * An entry pairs the address of an instruction with fixup code to resume
 * at if it faults; the trap handler looks the faulting RIP up before
 * treating the fault as a bug. probe_read_u8/probe_write_u8 use it to test
 * whether an access is allowed (e.g. writing to rodata must fault).
 */
#ifndef _ASM_EXTABLE_H
#define _ASM_EXTABLE_H

#include <keel/errno.h>
#include <keel/types.h>

struct exception_table_entry {
	unsigned long insn;
	unsigned long fixup;
};

/* On a fault at label insn: set err = errval, continue at label cont. */
#define EX_FIXUP_SET_ERR(insn, cont, err, errval) \
	".pushsection .fixup, \"ax\"\n"           \
	"3:	movl " errval ", " err "\n"       \
	"	jmp " cont "\n"                   \
	".popsection\n"                           \
	".pushsection __ex_table, \"a\"\n"        \
	".balign 8\n"                             \
	".quad " insn ", 3b\n"                    \
	".popsection\n"

/* 0, or -EFAULT if the access faulted (nothing is written then). */
int probe_write_u8(void *addr, u8 val);
int probe_read_u8(const void *addr, u8 *val);

#endif
