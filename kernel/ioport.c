// SPDX-License-Identifier: MIT
/*
 * ioport.c - the I/O port registry (keel/ioport.h): a small table of
 * claimed ranges under a spinlock. Port ranges are few and claimed at
 * probe time, so a linear table is the whole data structure.
 */
#include <keel/errno.h>
#include <keel/ioport.h>
#include <keel/printk.h>
#include <keel/spinlock.h>

#define MAX_REGIONS 32

struct region {
	u32 start, end; /* [start, end), 0-length = free slot */
	const char *name;
};

static struct region regions[MAX_REGIONS];
static DEFINE_SPINLOCK(ioport_lock);

int request_region(u16 base, u16 len, const char *name)
{
	u32 start = base, end = (u32)base + len;
	struct region *free = NULL;
	unsigned long flags;
	int err = 0;

	if (!len || end > 0x10000)
		return -EINVAL;
	spin_lock_irqsave(&ioport_lock, flags);
	for (int i = 0; i < MAX_REGIONS; i++) {
		struct region *r = &regions[i];

		if (r->end == r->start) {
			free = free ? free : r;
			continue;
		}
		if (start < r->end && r->start < end) {
			err = -EBUSY;
			goto out_unlock;
		}
	}
	if (!free) {
		err = -ENOSPC;
		goto out_unlock;
	}
	*free = (struct region){ start, end, name };
out_unlock:
	spin_unlock_irqrestore(&ioport_lock, flags);
	return err;
}

void release_region(u16 base, u16 len)
{
	unsigned long flags;

	spin_lock_irqsave(&ioport_lock, flags);
	for (int i = 0; i < MAX_REGIONS; i++) {
		if (regions[i].start == base &&
		    regions[i].end == (u32)base + len) {
			regions[i] = (struct region){ 0 };
			break;
		}
	}
	spin_unlock_irqrestore(&ioport_lock, flags);
}

void ioport_show(void)
{
	for (int i = 0; i < MAX_REGIONS; i++)
		if (regions[i].end != regions[i].start)
			pr_info("%04x-%04x : %s\n", regions[i].start,
				regions[i].end - 1, regions[i].name);
}
