// SPDX-License-Identifier: MIT
/*
 * wait.c - the stack's one way to wait (keel/net/wait.h).
 *
 * Until keel has a scheduler, waiting is: check the condition with
 * interrupts off; if false, "sti; hlt" (atomic: an interrupt arriving
 * between the check and the hlt still ends the hlt, thanks to sti's
 * one-instruction shadow), and check again when an interrupt (the NIC's
 * receive interrupt, whose softirq made the condition true, or the HZ
 * tick) woke the CPU. This file is the only one to change when wait
 * queues exist.
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/net/wait.h>
#include <keel/softirq.h>
#include <keel/time.h>

int net_wait_until(struct net_waitq *wq, bool (*cond)(void *arg), void *arg,
		   unsigned int timeout_ms)
{
	u64 deadline = ktime_get_ns() + timeout_ms * NSEC_PER_MSEC;
	unsigned long flags;
	int ret = 0;

	if (WARN_ON_ONCE(in_irq() || in_softirq() || irqs_disabled()))
		return -EINVAL;
	(void)wq;
	flags = local_irq_save();
	while (!cond(arg)) {
		if (ktime_get_ns() >= deadline) {
			ret = -ETIMEDOUT;
			break;
		}
		__asm__ __volatile__("sti; hlt; cli" : : : "memory");
	}
	local_irq_restore(flags);
	return ret;
}

void net_wake_up(struct net_waitq *wq)
{
	__atomic_fetch_add(&wq->wakeups, 1, __ATOMIC_RELAXED);
}
