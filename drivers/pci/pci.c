// SPDX-License-Identifier: MIT
/*
 * pci.c - PCI enumeration, configuration access, MSI and driver binding
 * (keel/pci.h). Configuration space is reached through ECAM when the
 * ACPI MCFG table gives one (q35), else through the legacy
 * CONFIG_ADDRESS/CONFIG_DATA ports (pc). Devices are kept on a list in scan
 * order (written only by pci_init, before any driver exists) and
 * registered on pci_bus_type; matching, probe and remove go through the
 * driver model (drivers/base/core.c), whose bus lock serialises binding.
 */
#include <asm/io.h>
#include <keel/acpi.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/monitor.h>
#include <keel/pci.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/vmalloc.h>

#define CONFIG_ADDRESS 0xcf8
#define CONFIG_DATA    0xcfc

/* ACPI MCFG: the table header, 8 reserved bytes, then allocations */
struct mcfg_alloc {
	u64 base;
	u16 segment;
	u8 start_bus, end_bus;
	u32 reserved;
} __packed;

#define MCFG_ALLOCS_OFFSET 44

static volatile u8 *ecam; /* bus ecam_first's config space, or NULL */
static unsigned int ecam_first, ecam_last;

static LIST_HEAD(pci_devices);	     /* scan order; never shrinks */
static DEFINE_SPINLOCK(config_lock); /* the address/data port pair */
static unsigned int nr_devices;

static u32 config_address(u8 bus, u8 slot, u8 func, u8 off)
{
	return 0x80000000U | (u32)bus << 16 | (u32)slot << 11 | (u32)func << 8 |
	       (off & 0xfc);
}

/* The ECAM address of a config dword, or NULL if ECAM does not cover bus. */
static volatile void *ecam_addr(u8 bus, u8 slot, u8 func, u8 off)
{
	if (!ecam || bus < ecam_first || bus > ecam_last)
		return NULL;
	return ecam + ((bus - ecam_first) << 20 | slot << 15 | func << 12 |
		       (off & 0xfc));
}

static u32 raw_read32(u8 bus, u8 slot, u8 func, u8 off)
{
	volatile void *mm = ecam_addr(bus, slot, func, off);
	unsigned long flags;
	u32 v;

	if (mm)
		return mmio_read32(mm);
	spin_lock_irqsave(&config_lock, flags);
	outl(CONFIG_ADDRESS, config_address(bus, slot, func, off));
	v = inl(CONFIG_DATA);
	spin_unlock_irqrestore(&config_lock, flags);
	return v;
}

static void raw_write32(u8 bus, u8 slot, u8 func, u8 off, u32 v)
{
	volatile void *mm = ecam_addr(bus, slot, func, off);
	unsigned long flags;

	if (mm) {
		mmio_write32(mm, v);
		return;
	}
	spin_lock_irqsave(&config_lock, flags);
	outl(CONFIG_ADDRESS, config_address(bus, slot, func, off));
	outl(CONFIG_DATA, v);
	spin_unlock_irqrestore(&config_lock, flags);
}

u32 pci_read_config32(const struct pci_dev *d, u8 off)
{
	return raw_read32(d->bus, d->slot, d->func, off);
}

u16 pci_read_config16(const struct pci_dev *d, u8 off)
{
	return pci_read_config32(d, off) >> ((off & 2) * 8);
}

u8 pci_read_config8(const struct pci_dev *d, u8 off)
{
	return pci_read_config32(d, off) >> ((off & 3) * 8);
}

void pci_write_config32(const struct pci_dev *d, u8 off, u32 v)
{
	raw_write32(d->bus, d->slot, d->func, off, v);
}

/* Read-modify-write of the dword holding a narrower register. */
static void write_part(const struct pci_dev *d, u8 off, u32 v, u32 mask)
{
	unsigned int shift = (off & 3) * 8;
	u32 old = pci_read_config32(d, off);

	pci_write_config32(d, off, (old & ~(mask << shift)) | (v << shift));
}

void pci_write_config16(const struct pci_dev *d, u8 off, u16 v)
{
	write_part(d, off, v, 0xffff);
}

void pci_write_config8(const struct pci_dev *d, u8 off, u8 v)
{
	write_part(d, off, v, 0xff);
}

/* Size BAR i by writing all ones with decoding off; returns the next BAR. */
static int size_bar(struct pci_dev *d, int i)
{
	u8 off = PCI_BAR0 + 4 * i;
	u32 orig = pci_read_config32(d, off), mask, hi_orig = 0, hi_mask = ~0U;
	bool is64 = !(orig & 1) && ((orig >> 1) & 3) == 2;
	u64 base, size;

	pci_write_config32(d, off, ~0U);
	mask = pci_read_config32(d, off);
	pci_write_config32(d, off, orig);
	if (is64 && i + 1 < PCI_NUM_BARS) {
		hi_orig = pci_read_config32(d, off + 4);
		pci_write_config32(d, off + 4, ~0U);
		hi_mask = pci_read_config32(d, off + 4);
		pci_write_config32(d, off + 4, hi_orig);
	}
	if (!mask || mask == ~0U)
		return i + 1 + is64; /* the device has no such BAR */
	d->bar_is_io[i] = orig & 1;
	if (d->bar_is_io[i]) {
		base = orig & ~3U;
		size = (~(mask & ~3U) + 1) & 0xffff;
	} else {
		base = (orig & ~0xfULL) | (u64)hi_orig << 32;
		size = ~(((u64)hi_mask << 32) | (mask & ~0xfU)) + 1;
		if (!is64)
			size &= 0xffffffffULL;
	}
	d->bar[i] = base;
	d->bar_size[i] = size;
	return i + 1 + is64;
}

static void read_bars(struct pci_dev *d)
{
	u16 cmd = pci_read_config16(d, PCI_COMMAND);

	/* no decoding while the BARs hold all-ones */
	pci_write_config16(d, PCI_COMMAND,
			   cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	for (int i = 0; i < PCI_NUM_BARS;)
		i = size_bar(d, i);
	pci_write_config16(d, PCI_COMMAND, cmd);
}

static int add_device(u8 bus, u8 slot, u8 func, u32 id)
{
	struct pci_dev *d = kzalloc(sizeof(*d), GFP_KERNEL);
	u32 class_rev;

	if (!d)
		return -ENOMEM;
	d->bus = bus;
	d->slot = slot;
	d->func = func;
	d->vendor = id & 0xffff;
	d->device = id >> 16;
	class_rev = pci_read_config32(d, PCI_REVISION_ID);
	d->revision = class_rev & 0xff;
	d->class = class_rev >> 8;
	d->irq_line = pci_read_config8(d, PCI_INTERRUPT_LINE);
	d->irq_pin = pci_read_config8(d, PCI_INTERRUPT_PIN);
	if (d->irq_pin && d->irq_line && d->irq_line != 0xff)
		d->irq = d->irq_line;
	if ((pci_read_config8(d, PCI_HEADER_TYPE) & 0x7f) == 0)
		read_bars(d);
	snprintf(d->dev.name, sizeof(d->dev.name), "%02x:%02x.%d", bus, slot,
		 func);
	d->dev.bus = &pci_bus_type;
	list_add_tail(&d->node, &pci_devices);
	nr_devices++;
	return device_register(&d->dev);
}

/* Bit 7 of the header type: functions 1..7 may exist. */
static bool multifunction(u8 bus, u8 slot)
{
	u32 dword = raw_read32(bus, slot, 0, PCI_HEADER_TYPE & ~3);

	return (dword >> ((PCI_HEADER_TYPE & 3) * 8)) & 0x80;
}

static void scan_slot(u8 bus, u8 slot)
{
	u32 id = raw_read32(bus, slot, 0, PCI_VENDOR_ID);
	int nfunc;

	if ((id & 0xffff) == 0xffff)
		return;
	nfunc = multifunction(bus, slot) ? 8 : 1;
	for (int f = 0; f < nfunc; f++) {
		id = raw_read32(bus, slot, f, PCI_VENDOR_ID);
		if ((id & 0xffff) == 0xffff)
			continue;
		if (add_device(bus, slot, f, id)) {
			pr_err("pci: no memory for %02x:%02x.%d\n", bus, slot,
			       f);
			return;
		}
	}
}

/* Map segment 0's ECAM window if the MCFG describes one. */
static void ecam_init(void)
{
	const struct acpi_table_header *h = acpi_find_table("MCFG");
	const struct mcfg_alloc *a;
	size_t len;

	if (!h || h->length < MCFG_ALLOCS_OFFSET + sizeof(*a))
		return;
	a = (const struct mcfg_alloc *)((const u8 *)h + MCFG_ALLOCS_OFFSET);
	if (a->segment || a->end_bus < a->start_bus)
		return;
	len = (size_t)(a->end_bus - a->start_bus + 1) << 20;
	ecam = ioremap(a->base, len);
	if (!ecam)
		return;
	ecam_first = a->start_bus;
	ecam_last = a->end_bus;
	pr_info("pci: ECAM at %#llx for buses %u-%u\n", a->base, ecam_first,
		ecam_last);
}

bool pci_using_ecam(void)
{
	return ecam != NULL;
}

void pci_init(void)
{
	ecam_init();
	for (unsigned int bus = 0; bus < 256; bus++)
		for (u8 slot = 0; slot < 32; slot++)
			scan_slot(bus, slot);
	pr_info("pci: %u devices\n", nr_devices);
}

unsigned int pci_device_count(void)
{
	return nr_devices;
}

const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *d)
{
	for (; ids->vendor || ids->device || ids->class_mask; ids++) {
		if (ids->vendor != PCI_ANY_ID && ids->vendor != d->vendor)
			continue;
		if (ids->device != PCI_ANY_ID && ids->device != d->device)
			continue;
		if ((d->class & ids->class_mask) != ids->class)
			continue;
		return ids;
	}
	return NULL;
}

struct pci_dev *pci_get_device(u16 vendor, u16 device, struct pci_dev *from)
{
	struct list_head *pos = from ? from->node.next : pci_devices.next;

	for (; pos != &pci_devices; pos = pos->next) {
		struct pci_dev *d = list_entry(pos, struct pci_dev, node);

		if ((vendor == PCI_ANY_ID || d->vendor == vendor) &&
		    (device == PCI_ANY_ID || d->device == device))
			return d;
	}
	return NULL;
}

static struct pci_driver *to_pci_driver(const struct device_driver *drv)
{
	return container_of(drv, struct pci_driver, driver);
}

static bool pci_bus_match(struct device *dev, const struct device_driver *drv)
{
	return pci_match_id(to_pci_driver(drv)->id_table, to_pci_dev(dev));
}

static int pci_bus_probe(struct device *dev)
{
	struct pci_dev *d = to_pci_dev(dev);
	struct pci_driver *drv = to_pci_driver(dev->driver);
	int err;

	d->driver = drv;
	err = drv->probe(d, pci_match_id(drv->id_table, d));
	if (err) {
		d->driver = NULL;
		d->drvdata = NULL;
	}
	return err;
}

static void pci_bus_remove(struct device *dev)
{
	struct pci_dev *d = to_pci_dev(dev);

	if (d->driver->remove)
		d->driver->remove(d);
	d->driver = NULL;
	d->drvdata = NULL;
}

static void pci_bus_describe(const struct device *dev, char *buf, size_t len)
{
	const struct pci_dev *d = container_of(dev, struct pci_dev, dev);

	snprintf(buf, len, "[%04x:%04x] class %06x", d->vendor, d->device,
		 d->class);
}

struct bus_type pci_bus_type = {
	BUS_TYPE_INIT(pci_bus_type, "pci"),
	.match = pci_bus_match,
	.probe = pci_bus_probe,
	.remove = pci_bus_remove,
	.describe = pci_bus_describe,
};

int pci_register_driver(struct pci_driver *drv)
{
	if (!drv->name || !drv->id_table || !drv->probe)
		return -EINVAL;
	drv->driver.name = drv->name;
	drv->driver.bus = &pci_bus_type;
	return driver_register(&drv->driver);
}

void pci_unregister_driver(struct pci_driver *drv)
{
	driver_unregister(&drv->driver);
}

int pci_enable_device(struct pci_dev *d)
{
	u16 cmd = pci_read_config16(d, PCI_COMMAND);

	for (int i = 0; i < PCI_NUM_BARS; i++) {
		if (!d->bar_size[i])
			continue;
		cmd |= d->bar_is_io[i] ? PCI_COMMAND_IO : PCI_COMMAND_MEMORY;
	}
	pci_write_config16(d, PCI_COMMAND, cmd);
	return 0;
}

void pci_set_master(struct pci_dev *d)
{
	pci_write_config16(d, PCI_COMMAND,
			   pci_read_config16(d, PCI_COMMAND) |
				   PCI_COMMAND_MASTER);
}

u8 pci_find_capability(const struct pci_dev *d, u8 id)
{
	u8 pos;
	int ttl = 48; /* a malformed list must not loop forever */

	if (!(pci_read_config16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	pos = pci_read_config8(d, PCI_CAPABILITY_LIST) & ~3;
	while (pos >= 0x40 && ttl--) {
		if (pci_read_config8(d, pos) == id)
			return pos;
		pos = pci_read_config8(d, pos + 1) & ~3;
	}
	return 0;
}

int pci_enable_msi(struct pci_dev *d)
{
	u8 pos = pci_find_capability(d, PCI_CAP_ID_MSI);
	u16 ctrl;
	u64 addr;
	u32 data;
	int irq;

	if (!pos)
		return -EOPNOTSUPP;
	if (d->msi_enabled)
		return -EBUSY;
	irq = irq_alloc(&msi_irq_chip);
	if (irq < 0)
		return irq;
	arch_msi_compose(irq, &addr, &data);
	ctrl = pci_read_config16(d, pos + PCI_MSI_FLAGS);
	pci_write_config32(d, pos + PCI_MSI_ADDRESS_LO, (u32)addr);
	if (ctrl & PCI_MSI_FLAGS_64BIT) {
		pci_write_config32(d, pos + PCI_MSI_ADDRESS_HI, addr >> 32);
		pci_write_config16(d, pos + PCI_MSI_DATA_64, data);
	} else {
		pci_write_config16(d, pos + PCI_MSI_DATA_32, data);
	}
	/* one message, enabled; INTx off */
	pci_write_config16(d, pos + PCI_MSI_FLAGS,
			   (ctrl & ~PCI_MSI_FLAGS_QSIZE) |
				   PCI_MSI_FLAGS_ENABLE);
	pci_write_config16(d, PCI_COMMAND,
			   pci_read_config16(d, PCI_COMMAND) |
				   PCI_COMMAND_INTX_DISABLE);
	d->intx_irq = d->irq;
	d->irq = irq;
	d->msi_enabled = true;
	return 0;
}

void pci_disable_msi(struct pci_dev *d)
{
	u8 pos = pci_find_capability(d, PCI_CAP_ID_MSI);

	if (!d->msi_enabled || !pos)
		return;
	pci_write_config16(d, pos + PCI_MSI_FLAGS,
			   pci_read_config16(d, pos + PCI_MSI_FLAGS) &
				   ~PCI_MSI_FLAGS_ENABLE);
	pci_write_config16(d, PCI_COMMAND,
			   pci_read_config16(d, PCI_COMMAND) &
				   ~PCI_COMMAND_INTX_DISABLE);
	irq_release(d->irq);
	d->irq = d->intx_irq;
	d->msi_enabled = false;
}

void pci_show(void)
{
	struct pci_dev *d;

	mutex_lock(&pci_bus_type.lock);
	list_for_each_entry(d, &pci_devices, node) {
		monitor_printf("%02x:%02x.%d %04x: %04x:%04x rev %02x", d->bus,
			       d->slot, d->func, d->class >> 8, d->vendor,
			       d->device, d->revision);
		if (d->msi_enabled)
			monitor_printf(" msi irq %u", d->irq);
		else if (d->irq_pin)
			monitor_printf(" irq %u", d->irq_line);
		monitor_printf(" %s\n", d->driver ? d->driver->name : "-");
		for (int i = 0; i < PCI_NUM_BARS; i++)
			if (d->bar_size[i])
				monitor_printf(
					"        BAR%d %s %#llx size %#llx\n",
					i, d->bar_is_io[i] ? "io " : "mem",
					d->bar[i], d->bar_size[i]);
	}
	mutex_unlock(&pci_bus_type.lock);
}

static int cmd_lspci(int argc, char **argv)
{
	pci_show();
	return 0;
}
MONITOR_CMD(lspci, NULL, "PCI devices and their drivers", 0, 0, cmd_lspci);
