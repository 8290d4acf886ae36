/* SPDX-License-Identifier: MIT */
/*
 * keel/net/wait.h - how the network stack waits.
 *
 * Every "wait for a packet or a timeout" in the stack (recvfrom, ping,
 * the DHCP client) goes through net_wait_until(), and every event that
 * can end such a wait calls net_wake_up() on the same queue. Today the
 * wait is a hlt loop woken by any interrupt (the NIC's, or the tick)
 * that re-checks the condition with interrupts off, so no wakeup is
 * lost; net_wake_up() has nothing to do. When kernel threads and wait
 * queues arrive, net/core/wait.c alone changes: struct net_waitq wraps
 * a wait_queue_head, net_wait_until() becomes wait_event_timeout() and
 * net_wake_up() wake_up().
 */
#ifndef _KEEL_NET_WAIT_H
#define _KEEL_NET_WAIT_H

#include <keel/types.h>

struct net_waitq {
	unsigned long wakeups; /* count, for tests */
};

#define NET_WAITQ_INIT \
	{              \
		0      \
	}

/*
 * Sleep until cond(arg) is true or timeout_ms pass. Process context
 * with interrupts on only (WARNs and returns -EINVAL otherwise). cond is
 * evaluated with interrupts off and must not sleep. Returns 0 or
 * -ETIMEDOUT.
 */
int net_wait_until(struct net_waitq *wq, bool (*cond)(void *arg), void *arg,
		   unsigned int timeout_ms);
/* Wake whoever waits on wq; any context. */
void net_wake_up(struct net_waitq *wq);

#endif
