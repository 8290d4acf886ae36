/* SPDX-License-Identifier: MIT */
/*
 * keel/pci.h - the PCI bus: devices found at boot, drivers that claim
 * them by ID, and configuration-space access.
 *
 * pci_init() scans every bus/slot/function, through ECAM (the memory-
 * mapped configuration space the ACPI MCFG table describes, on q35) when
 * there is one and through the legacy 0xCF8/0xCFC ports otherwise (pc),
 * sizes each BAR and registers the
 * device on the "pci" bus of the driver model (keel/device.h). A driver
 * registers an ID table with probe/remove; the driver core calls probe
 * once for every unclaimed device that matches, in scan order. A probe
 * that fails leaves the device unbound (and must have undone its own
 * work); remove is called when the driver unregisters. A device's
 * dev.driver_override, when set, restricts it to the driver of that name.
 */
#ifndef _KEEL_PCI_H
#define _KEEL_PCI_H

#include <keel/device.h>
#include <keel/types.h>

#define PCI_ANY_ID 0xffffU

/* configuration space offsets */
#define PCI_VENDOR_ID	    0x00
#define PCI_DEVICE_ID	    0x02
#define PCI_COMMAND	    0x04
#define PCI_STATUS	    0x06
#define PCI_REVISION_ID	    0x08
#define PCI_CLASS_PROG	    0x09
#define PCI_HEADER_TYPE	    0x0e
#define PCI_BAR0	    0x10
#define PCI_CAPABILITY_LIST 0x34
#define PCI_INTERRUPT_LINE  0x3c
#define PCI_INTERRUPT_PIN   0x3d

#define PCI_CAP_ID_MSI	     0x05
#define PCI_MSI_FLAGS	     2 /* message control, from the capability */
#define PCI_MSI_FLAGS_ENABLE 0x0001
#define PCI_MSI_FLAGS_QSIZE  0x0070 /* messages enabled (log2) */
#define PCI_MSI_FLAGS_64BIT  0x0080
#define PCI_MSI_ADDRESS_LO   4
#define PCI_MSI_ADDRESS_HI   8
#define PCI_MSI_DATA_32	     8
#define PCI_MSI_DATA_64	     12

#define PCI_COMMAND_IO		 0x1
#define PCI_COMMAND_MEMORY	 0x2
#define PCI_COMMAND_MASTER	 0x4
#define PCI_COMMAND_INTX_DISABLE 0x400
#define PCI_STATUS_CAP_LIST	 0x10

#define PCI_NUM_BARS 6

struct pci_device_id {
	u16 vendor, device;    /* PCI_ANY_ID matches any */
	u32 class, class_mask; /* (class << 8 | subclass) << 8 | prog_if */
};

struct pci_driver;

struct pci_dev {
	u8 bus, slot, func;
	u16 vendor, device;
	u32 class; /* class << 16 | subclass << 8 | prog_if */
	u8 revision;
	u8 irq_line, irq_pin;  /* as the firmware left them */
	unsigned int irq;      /* INTx (or, once enabled, MSI) IRQ; 0: none */
	unsigned int intx_irq; /* irq before MSI took over */
	bool msi_enabled;
	u64 bar[PCI_NUM_BARS]; /* base address (physical or port) */
	u64 bar_size[PCI_NUM_BARS];
	bool bar_is_io[PCI_NUM_BARS];
	struct pci_driver *driver; /* bound driver, NULL if none */
	void *drvdata;
	struct list_head node;
	struct device dev; /* on pci_bus_type, named "bb:ss.f" */
};

struct pci_driver {
	const char *name;
	const struct pci_device_id *id_table; /* ends with a zero entry */
	/* 0 to bind, -Exxx to refuse (having undone its own setup) */
	int (*probe)(struct pci_dev *dev, const struct pci_device_id *id);
	void (*remove)(struct pci_dev *dev);
	struct device_driver driver; /* filled in by pci_register_driver */
};

extern struct bus_type pci_bus_type;

static inline struct pci_dev *to_pci_dev(struct device *dev)
{
	return container_of(dev, struct pci_dev, dev);
}

void pci_init(void);

/*
 * Bind the driver to every matching unbound device. Returns 0 (even if
 * no device matched) or -EINVAL/-EBUSY for a bad or twice-registered
 * driver.
 */
int pci_register_driver(struct pci_driver *drv);
/* Unbind (remove) every device of the driver, then forget it. */
void pci_unregister_driver(struct pci_driver *drv);

/* The first device from `from` on (NULL: the start) matching the IDs. */
struct pci_dev *pci_get_device(u16 vendor, u16 device, struct pci_dev *from);
/* The ID-table entry dev matches, or NULL. */
const struct pci_device_id *pci_match_id(const struct pci_device_id *ids,
					 const struct pci_dev *dev);

u8 pci_read_config8(const struct pci_dev *dev, u8 off);
u16 pci_read_config16(const struct pci_dev *dev, u8 off);
u32 pci_read_config32(const struct pci_dev *dev, u8 off);
void pci_write_config8(const struct pci_dev *dev, u8 off, u8 v);
void pci_write_config16(const struct pci_dev *dev, u8 off, u16 v);
void pci_write_config32(const struct pci_dev *dev, u8 off, u32 v);

/* Turn on I/O and memory decoding for the BARs the device has. */
int pci_enable_device(struct pci_dev *dev);
void pci_set_master(struct pci_dev *dev);
/* Offset of capability `id` in config space, or 0. */
u8 pci_find_capability(const struct pci_dev *dev, u8 id);

/*
 * Switch dev from INTx to one message-signalled interrupt: a fresh IRQ
 * number (dev->irq) whose vector the device writes; INTx is disabled.
 * Returns 0, -EOPNOTSUPP (no MSI capability), -EBUSY (already on) or
 * -ENOSPC (no vector left). Call before request_irq(dev->irq, ...).
 */
int pci_enable_msi(struct pci_dev *dev);
/* Back to INTx; the MSI IRQ's handlers must have been freed. */
void pci_disable_msi(struct pci_dev *dev);

/* Whether configuration space is reached through ECAM (MMIO). */
bool pci_using_ecam(void);

/* Print every device and its driver (monitor "lspci"). */
void pci_show(void);
unsigned int pci_device_count(void);

#endif
