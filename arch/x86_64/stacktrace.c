// SPDX-License-Identifier: MIT
/*
 * stacktrace.c - walk the frame-pointer chain (every C file is built with
 * -fno-omit-frame-pointer) and print one symbolized line per frame.
 * The walk stops at a NULL frame (boot.S clears %rbp), at a frame that is
 * not above the previous one, or outside the direct map/kernel ranges.
 */
#include <asm/layout.h>
#include <keel/bug.h>
#include <keel/printk.h>
#include <keel/stacktrace.h>

#define MAX_FRAMES 32

struct frame {
	struct frame *next;
	unsigned long ret;
};

static bool frame_ok(const struct frame *f, const struct frame *prev)
{
	unsigned long a = (unsigned long)f;

	if (!f || (a & 7) || (prev && f <= prev))
		return false;
	return a >= PAGE_OFFSET;
}

unsigned int stack_trace_save_fp(unsigned long fp, unsigned long *entries,
				 unsigned int max)
{
	const struct frame *f = (const struct frame *)fp, *prev = NULL;
	unsigned int n = 0;

	while (n < max && frame_ok(f, prev) && f->ret) {
		entries[n++] = f->ret;
		prev = f;
		f = f->next;
	}
	return n;
}

void show_stack_fp(unsigned long rip, unsigned long fp)
{
	unsigned long entries[MAX_FRAMES];
	unsigned int n;

	printk(KERN_EMERG "Call trace:\n");
	if (rip)
		printk(KERN_EMERG "  [<%016lx>] %pS\n", rip, (void *)rip);
	n = stack_trace_save_fp(fp, entries, MAX_FRAMES);
	for (unsigned int i = 0; i < n; i++)
		/* return addresses point after the call: show the call */
		printk(KERN_EMERG "  [<%016lx>] %pS\n", entries[i],
		       (void *)(entries[i] - 1));
}

void dump_stack(void)
{
	show_stack_fp(0, (unsigned long)__builtin_frame_address(0));
}
