// SPDX-License-Identifier: MIT
/*
 * helpers.c - see helpers.h. These are the only C functions that exist
 * for Rust's sake; each forwards to an inline function or macro.
 */
#include <asm/io.h>
#include <keel/bug.h>
#include "helpers.h"

void rust_helper_spin_lock_init(spinlock_t *l)
{
	spin_lock_init(l);
}

void rust_helper_spin_lock(spinlock_t *l)
{
	spin_lock(l);
}

void rust_helper_spin_unlock(spinlock_t *l)
{
	spin_unlock(l);
}

bool rust_helper_spin_trylock(spinlock_t *l)
{
	return spin_trylock(l);
}

unsigned long rust_helper_spin_lock_irqsave(spinlock_t *l)
{
	unsigned long flags;

	spin_lock_irqsave(l, flags);
	return flags;
}

void rust_helper_spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	spin_unlock_irqrestore(l, flags);
}

void rust_helper_spin_lock_irq_nested(spinlock_t *l)
{
	spin_lock_irq_nested(l);
}

void rust_helper_spin_unlock_irq_nested(spinlock_t *l)
{
	spin_unlock_irq_nested(l);
}

void rust_helper_refcount_set(refcount_t *r, int n)
{
	refcount_set(r, n);
}

int rust_helper_refcount_read(const refcount_t *r)
{
	return refcount_read(r);
}

void rust_helper_refcount_inc(refcount_t *r)
{
	refcount_inc(r);
}

bool rust_helper_refcount_dec_and_test(refcount_t *r)
{
	return refcount_dec_and_test(r);
}

u8 rust_helper_inb(u16 port)
{
	return inb(port);
}

void rust_helper_outb(u16 port, u8 v)
{
	outb(port, v);
}

u16 rust_helper_inw(u16 port)
{
	return inw(port);
}

void rust_helper_outw(u16 port, u16 v)
{
	outw(port, v);
}

u32 rust_helper_inl(u16 port)
{
	return inl(port);
}

void rust_helper_outl(u16 port, u32 v)
{
	outl(port, v);
}

u32 rust_helper_readl(const volatile void *addr)
{
	return mmio_read32(addr);
}

void rust_helper_writel(volatile void *addr, u32 v)
{
	mmio_write32(addr, v);
}

bool rust_helper_irqs_disabled(void)
{
	return irqs_disabled();
}

struct task *rust_helper_current(void)
{
	return current;
}

/* Meaningful only while preemption is off; a hint otherwise. */
unsigned int rust_helper_smp_processor_id(void)
{
	return smp_processor_id();
}

unsigned int rust_helper_num_online_cpus(void)
{
	return num_online_cpus();
}

unsigned long rust_helper_netif_tx_lock(struct net_device *dev)
{
	return netif_tx_lock(dev);
}

void rust_helper_netif_tx_unlock(struct net_device *dev, unsigned long flags)
{
	netif_tx_unlock(dev, flags);
}

void rust_helper_dev_hold(struct net_device *dev)
{
	dev_hold(dev);
}

void rust_helper_dev_put(struct net_device *dev)
{
	dev_put(dev);
}

void rust_helper_panic(const char *msg)
{
	panic("%s", msg);
}
