// SPDX-License-Identifier: MIT
/*
 * ioport.c - the I/O port registry (keel/ioport.h): a small table of
 * claimed ranges under a spinlock. Port ranges are few and claimed at
 * probe time, so a linear table is the whole data structure.
 *
 * The table starts with the ports the kernel itself drives or that no
 * driver may touch (Linux's standard_io_resources and then some): the
 * 8259s, the PIT, the 8042 (0x64 resets the machine), CMOS, port 0x92
 * (fast reset), PCI configuration (0xcf8-0xcff, with the reset control
 * at 0xcf9), COM1, VGA, fw_cfg, ACPI PM, QEMU's debug-exit. They are
 * fixed: nobody can claim them, and release_region() leaves them.
 */
#include <keel/errno.h>
#include <keel/ioport.h>
#include <keel/printk.h>
#include <keel/spinlock.h>

#define MAX_REGIONS 48

struct region {
	u32 start, end; /* [start, end), 0-length = free slot */
	const char *name;
	bool fixed; /* the kernel's own: never released */
};

#define KERNEL_PORTS(s, e, n)           \
	{                               \
		(s), (e) + 1, (n), true \
	}

static struct region regions[MAX_REGIONS] = {
	KERNEL_PORTS(0x0000, 0x001f, "dma1"),
	KERNEL_PORTS(0x0020, 0x0021, "pic1"),
	KERNEL_PORTS(0x0040, 0x0043, "timer0"),
	KERNEL_PORTS(0x0050, 0x0053, "timer1"),
	KERNEL_PORTS(0x0060, 0x0060, "keyboard"),
	KERNEL_PORTS(0x0061, 0x0061, "port b (speaker, pit gate)"),
	KERNEL_PORTS(0x0064, 0x0064, "keyboard (reset)"),
	KERNEL_PORTS(0x0070, 0x0077, "rtc/cmos"),
	KERNEL_PORTS(0x0080, 0x008f, "dma page reg"),
	KERNEL_PORTS(0x0092, 0x0092, "port a (fast reset)"),
	KERNEL_PORTS(0x00a0, 0x00a1, "pic2"),
	KERNEL_PORTS(0x00c0, 0x00df, "dma2"),
	KERNEL_PORTS(0x00f0, 0x00ff, "fpu"),
	KERNEL_PORTS(0x03c0, 0x03df, "vga"),
	KERNEL_PORTS(0x03f8, 0x03ff, "serial (com1)"),
	KERNEL_PORTS(0x0402, 0x0402, "debugcon"),
	KERNEL_PORTS(0x0501, 0x0501, "debug-exit"),
	KERNEL_PORTS(0x0510, 0x0511, "fw_cfg"),
	KERNEL_PORTS(0x0600, 0x063f, "acpi pm"),
	KERNEL_PORTS(0x0cf8, 0x0cff, "pci conf1 (reset at cf9)"),
};
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
	*free = (struct region){ start, end, name, false };
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
		    regions[i].end == (u32)base + len && !regions[i].fixed) {
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
