/* SPDX-License-Identifier: MIT */
/*
 * helpers.h - out-of-line wrappers for the C core's static inline
 * functions and macros, so Rust (through bindgen) can call them. Each is
 * a one-line forwarder in helpers.c.
 */
#ifndef _RUST_HELPERS_H
#define _RUST_HELPERS_H

#include <keel/completion.h>
#include <keel/kthread.h>
#include <keel/mutex.h>
#include <keel/netdevice.h>
#include <keel/refcount.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <keel/timer.h>
#include <keel/wait.h>

void rust_helper_spin_lock_init(spinlock_t *l);
void rust_helper_spin_lock(spinlock_t *l);
void rust_helper_spin_unlock(spinlock_t *l);
bool rust_helper_spin_trylock(spinlock_t *l);
unsigned long rust_helper_spin_lock_irqsave(spinlock_t *l);
void rust_helper_spin_unlock_irqrestore(spinlock_t *l, unsigned long flags);
void rust_helper_spin_lock_irq_nested(spinlock_t *l);
void rust_helper_spin_unlock_irq_nested(spinlock_t *l);
void rust_helper_refcount_set(refcount_t *r, int n);
int rust_helper_refcount_read(const refcount_t *r);
void rust_helper_refcount_inc(refcount_t *r);
bool rust_helper_refcount_dec_and_test(refcount_t *r);
u8 rust_helper_inb(u16 port);
void rust_helper_outb(u16 port, u8 v);
u16 rust_helper_inw(u16 port);
void rust_helper_outw(u16 port, u16 v);
u32 rust_helper_inl(u16 port);
void rust_helper_outl(u16 port, u32 v);
u32 rust_helper_readl(const volatile void *addr);
void rust_helper_writel(volatile void *addr, u32 v);
bool rust_helper_irqs_disabled(void);
struct task *rust_helper_current(void);
unsigned int rust_helper_smp_processor_id(void);
unsigned int rust_helper_num_online_cpus(void);
unsigned long rust_helper_netif_tx_lock(struct net_device *dev);
void rust_helper_netif_tx_unlock(struct net_device *dev, unsigned long flags);
void rust_helper_dev_hold(struct net_device *dev);
void rust_helper_dev_put(struct net_device *dev);
/* Rust's panic handler ends here: message and location, then panic(). */
void rust_helper_panic(const char *msg) __attribute__((noreturn));

#endif
