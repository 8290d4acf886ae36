// SPDX-License-Identifier: MIT
/*
 * msi_test.c - message-signalled interrupts end to end, on QEMU's "edu"
 * teaching device (-device edu, 1234:11e8: writing its register 0x60
 * raises an interrupt, 0x64 acknowledges it; it has a 64-bit MSI
 * capability): enable MSI, take the interrupt on the new vector and not
 * on the INTx line, then go back to INTx. Skipped without the device
 * (make check boots one with it, tests/net.py).
 */
#include <asm/io.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/pci.h>
#include <keel/time.h>
#include <keel/vmalloc.h>

#define EDU_VENDOR    0x1234
#define EDU_DEVICE    0x11e8
#define EDU_IDENT     0x00
#define EDU_IRQ_STAT  0x24
#define EDU_IRQ_RAISE 0x60
#define EDU_IRQ_ACK   0x64

static volatile u8 *edu;
static unsigned int edu_irqs;

static enum irqreturn edu_handler(unsigned int irq, void *cookie)
{
	u32 status = mmio_read32(edu + EDU_IRQ_STAT);

	if (!status)
		return IRQ_NONE;
	mmio_write32(edu + EDU_IRQ_ACK, status);
	edu_irqs++;
	return IRQ_HANDLED;
}

static bool wait_irqs(unsigned int n)
{
	u64 t0 = ktime_get_ns();

	while (READ_ONCE(edu_irqs) < n)
		if (ktime_get_ns() - t0 > NSEC_PER_SEC)
			return false;
	return true;
}

static void msi_delivers_on_its_vector(struct ktest *t)
{
	struct pci_dev *d = pci_get_device(EDU_VENDOR, EDU_DEVICE, NULL);
	unsigned int intx;
	u64 intx_count;

	if (!d) {
		ktest_skip(t, "no edu device (-device edu)");
		return;
	}
	KTEST_ASSERT_EQ(t, pci_enable_device(d), 0);
	pci_set_master(d); /* an MSI is a memory write by the device */
	edu = ioremap(d->bar[0], 4096);
	KTEST_ASSERT_NOT_NULL(t, (const void *)edu);
	KTEST_EXPECT_EQ(t, mmio_read32(edu + EDU_IDENT) & 0xff, 0xedU);
	intx = d->irq;
	intx_count = irq_count(intx);
	edu_irqs = 0;
	KTEST_ASSERT_EQ(t, pci_enable_msi(d), 0);
	KTEST_EXPECT_EQ(t, pci_enable_msi(d), -EBUSY);
	KTEST_EXPECT_GE(t, d->irq, (unsigned int)IRQ_DYNAMIC_FIRST);
	KTEST_ASSERT_EQ(t, request_irq(d->irq, edu_handler, "edu-msi", NULL),
			0);
	for (unsigned int i = 1; i <= 3; i++) {
		mmio_write32(edu + EDU_IRQ_RAISE, 1);
		KTEST_EXPECT_TRUE(t, wait_irqs(i));
	}
	KTEST_EXPECT_EQ(t, irq_count(d->irq), 3ULL);
	KTEST_EXPECT_EQ(t, irq_count(intx), intx_count); /* not INTx */
	free_irq(d->irq, NULL);
	pci_disable_msi(d);
	KTEST_EXPECT_EQ(t, d->irq, intx);
	KTEST_EXPECT_FALSE(t, d->msi_enabled);
	iounmap((void *)edu);
}

static void msi_needs_the_capability(struct ktest *t)
{
	struct pci_dev *d = pci_get_device(0x8086, PCI_ANY_ID, NULL);

	KTEST_ASSERT_NOT_NULL(t, d); /* the host bridge: no MSI */
	KTEST_EXPECT_EQ(t, pci_enable_msi(d), -EOPNOTSUPP);
}

static void vectors_are_handed_out_once(struct ktest *t)
{
	int a = irq_alloc(&msi_irq_chip), b = irq_alloc(&msi_irq_chip);

	KTEST_ASSERT_GE(t, a, IRQ_DYNAMIC_FIRST);
	KTEST_ASSERT_GE(t, b, IRQ_DYNAMIC_FIRST);
	KTEST_EXPECT_NE(t, a, b);
	irq_release(a);
	KTEST_EXPECT_EQ(t, irq_alloc(&msi_irq_chip), a); /* reused */
	irq_release(a);
	irq_release(b);
}

static struct ktest_case msi_cases[] = { KTEST_CASE(msi_delivers_on_its_vector),
					 KTEST_CASE(msi_needs_the_capability),
					 KTEST_CASE(
						 vectors_are_handed_out_once),
					 {} };
KTEST_SUITE(pci_msi, msi_cases);
