// SPDX-License-Identifier: MIT
/*
 * dev_test.c - NAPI's contract as the core enforces it: a poll that does
 * less than its weight without completing is completed by the core (it
 * used to be polled again at once, forever); napi_disable() waits for a
 * poll running on another CPU (it used to return at once) and refuses to
 * be called from inside the poll it would wait for. And a device cannot
 * be unregistered from its own interrupt handler: unregister_netdev()
 * refuses atomic context before it touches anything, which is what
 * lets the Rust interrupt trampoline take no reference on the device.
 */
#include <asm/cpu.h>
#include <keel/cpumask.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/netdevice.h>
#include <keel/percpu.h>
#include <keel/preempt.h>
#include <keel/softirq.h>
#include <keel/string.h>
#include <keel/time.h>

static struct net_device *tdev;
static struct napi_struct tnapi;
static int polls;
static bool in_poll, poll_done;

static int napi_test_init(struct ktest *t)
{
	polls = 0;
	in_poll = poll_done = false;
	memset(&tnapi, 0, sizeof(tnapi));
	tdev = alloc_etherdev(0);
	return tdev ? 0 : -ENOMEM;
}

static void napi_test_exit(struct ktest *t)
{
	tnapi.state &= ~NAPI_STATE_POLLING; /* the panic case's pretence */
	napi_disable(&tnapi);
	free_netdev(tdev);
}

/* Wait (up to 1 s) for the poll side to let go of tnapi. */
static bool napi_idle(void)
{
	for (int i = 0; i < 1000; i++) {
		if (!(READ_ONCE(tnapi.state) &
		      (NAPI_STATE_SCHED | NAPI_STATE_POLLING)))
			return true;
		mdelay(1);
	}
	return false;
}

static void kick(void)
{
	local_bh_disable();
	napi_schedule(&tnapi);
	local_bh_enable(); /* runs NET_RX here, or on the CPU serving it */
}

/* Breaks the contract: nothing done, no napi_complete_done(). */
static int lazy_poll(struct napi_struct *napi, int budget)
{
	/* old net_rx_action: polled again at once; stop after 1000 */
	if (++polls >= 1000)
		napi_complete_done(napi, 0);
	return 0;
}

static void incomplete_poll_is_completed(struct ktest *t)
{
	netif_napi_add(tdev, &tnapi, lazy_poll);
	napi_enable(&tnapi);
	kick();
	KTEST_ASSERT_TRUE(t, napi_idle());
	KTEST_EXPECT_EQ(t, polls, 1);
	KTEST_EXPECT_EQ(t, tnapi.incomplete, 1ULL);
	/* it can be scheduled again, and is polled again */
	kick();
	KTEST_ASSERT_TRUE(t, napi_idle());
	KTEST_EXPECT_EQ(t, polls, 2);
}

/* Uses its whole weight 20 times, then completes. */
static int busy_poll(struct napi_struct *napi, int budget)
{
	if (++polls < 20)
		return budget;
	napi_complete_done(napi, 0);
	return 0;
}

static void busy_poll_is_requeued(struct ktest *t)
{
	netif_napi_add(tdev, &tnapi, busy_poll);
	napi_enable(&tnapi);
	kick();
	KTEST_ASSERT_TRUE(t, napi_idle());
	KTEST_EXPECT_EQ(t, polls, 20);
	KTEST_EXPECT_EQ(t, tnapi.incomplete, 0ULL);
}

static void napi_disable_inside_own_poll_panics(struct ktest *t)
{
	netif_napi_add(tdev, &tnapi, lazy_poll);
	napi_enable(&tnapi);
	/* what net_rx_action sets around the poll on this CPU */
	preempt_disable();
	tnapi.state |= NAPI_STATE_POLLING;
	tnapi.poll_cpu = smp_processor_id();
	ktest_expect_panic(t, "inside its own poll");
	napi_disable(&tnapi);
}

/* Runs for 20 ms on the other CPU. */
static int slow_poll(struct napi_struct *napi, int budget)
{
	WRITE_ONCE(in_poll, true);
	mdelay(20);
	WRITE_ONCE(poll_done, true);
	napi_complete_done(napi, 0);
	return 0;
}

static int kick_thread(void *data)
{
	kick();
	return 0;
}

static void napi_disable_waits_for_remote_poll(struct ktest *t)
{
	unsigned int other = smp_processor_id() ? 0 : 1;
	struct task *k;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		netif_napi_add(tdev, &tnapi, slow_poll);
		return;
	}
	netif_napi_add(tdev, &tnapi, slow_poll);
	napi_enable(&tnapi);
	k = kthread_run_on_cpu(kick_thread, NULL, other, "napi-kick");
	KTEST_ASSERT_FALSE(t, IS_ERR(k));
	for (int i = 0; i < 1000 && !READ_ONCE(in_poll); i++)
		mdelay(1);
	KTEST_ASSERT_TRUE(t, READ_ONCE(in_poll));
	napi_disable(&tnapi);
	/* no poll may run once napi_disable returned */
	KTEST_EXPECT_TRUE(t, READ_ONCE(poll_done));
	kthread_stop(k);
}

static struct ktest_case napi_cases[] = {
	KTEST_CASE(incomplete_poll_is_completed),
	KTEST_CASE(busy_poll_is_requeued),
	KTEST_CASE(napi_disable_inside_own_poll_panics),
	KTEST_CASE(napi_disable_waits_for_remote_poll),
	{}
};
KTEST_SUITE(net_napi, napi_cases, .init = napi_test_init,
	    .exit = napi_test_exit);

static unsigned int ctx_irq;

static int netdev_ctx_init(struct ktest *t)
{
	tdev = alloc_etherdev(0);
	if (!tdev)
		return -ENOMEM;
	ctx_irq = irq_test_line_get();
	return 0;
}

static void netdev_ctx_exit(struct ktest *t)
{
	free_irq(ctx_irq, tdev);
	irq_test_line_put();
	free_netdev(tdev);
}

static enum irqreturn unregister_in_handler(unsigned int irq, void *cookie)
{
	unregister_netdev(cookie);
	return IRQ_HANDLED;
}

static void unregister_from_interrupt_panics(struct ktest *t)
{
	KTEST_ASSERT_EQ(t,
			request_irq(ctx_irq, unregister_in_handler, "ndev_ctx",
				    tdev),
			0);
	ktest_expect_panic(t, "invalid context");
	irq_test_line_raise();
	ktest_fail(t, __FILE__, __LINE__, "unregistered from a handler");
}

static struct ktest_case netdev_ctx_cases[] = {
	KTEST_CASE(unregister_from_interrupt_panics),
	{}
};
KTEST_SUITE(netdev_context, netdev_ctx_cases, .init = netdev_ctx_init,
	    .exit = netdev_ctx_exit);
