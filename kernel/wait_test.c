// SPDX-License-Identifier: MIT
/*
 * wait_test.c - tests of wait queues, completions, timers and msleep
 * (kernel/wait.c, kernel/timer.c): conditions set on another CPU wake
 * the sleeper, timeouts expire (never before their time), and a
 * completion crosses CPUs.
 *
 * Times are only bounded from below: the host may always be slower.
 */
#include <asm/cpu.h>
#include <keel/completion.h>
#include <keel/cpumask.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/smp.h>
#include <keel/time.h>
#include <keel/timer.h>
#include <keel/wait.h>

#define LONG_TIMEOUT (60 * HZ) /* "forever", but a dead waker fails */

static unsigned int other_cpu(void)
{
	return num_online_cpus() - 1;
}

struct flag_waker {
	struct wait_queue_head wq;
	int flag;
	unsigned int delay_ms;
};

static int set_flag_later(void *data)
{
	struct flag_waker *fw = data;

	msleep(fw->delay_ms);
	WRITE_ONCE(fw->flag, 1);
	wake_up(&fw->wq);
	return 0;
}

static void wait_event_wakes_on_condition_from_other_cpu(struct ktest *t)
{
	struct flag_waker fw = { .delay_ms = 5 };
	struct task *p =
		kthread_run_on_cpu(set_flag_later, &fw, other_cpu(), "waker");
	long left;

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	left = wait_event_timeout(fw.wq, READ_ONCE(fw.flag), LONG_TIMEOUT);
	KTEST_EXPECT_GT(t, left, 0L);
	KTEST_EXPECT_EQ(t, READ_ONCE(fw.flag), 1);
	kthread_stop(p);
	KTEST_EXPECT_FALSE(t, waitqueue_active(&fw.wq));
}

static void wait_event_true_condition_returns_at_once(struct ktest *t)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	int x = 1;

	wait_event(wq, x == 1);
	KTEST_EXPECT_EQ(t, wait_event_timeout(wq, x == 1, 10), 10L);
	KTEST_EXPECT_EQ(t, wait_event_timeout(wq, x == 1, 0), 1L);
}

static void wait_event_timeout_expires(struct ktest *t)
{
	DECLARE_WAIT_QUEUE_HEAD(wq);
	u64 j0 = READ_ONCE(jiffies);
	long left = wait_event_timeout(wq, false, 5);

	KTEST_EXPECT_EQ(t, left, 0L);
	KTEST_EXPECT_GE(t, READ_ONCE(jiffies) - j0, 5ULL);
	KTEST_EXPECT_FALSE(t, waitqueue_active(&wq));
}

struct sleeper_crowd {
	struct wait_queue_head wq;
	int go;
	int woke;
};

static int wait_for_go(void *data)
{
	struct sleeper_crowd *c = data;

	wait_event(c->wq, READ_ONCE(c->go));
	__atomic_fetch_add(&c->woke, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void wake_up_wakes_every_waiter(struct ktest *t)
{
	struct sleeper_crowd c = {};
	struct task *p[6];
	int n;

	/* on a failed start, release and stop the others: c is ours */
	for (n = 0; n < 6; n++) {
		p[n] = kthread_run(wait_for_go, &c, "crowd/%d", n);
		if (IS_ERR(p[n]))
			break;
	}
	msleep(10);
	WRITE_ONCE(c.go, 1);
	wake_up(&c.wq);
	for (int i = 0; i < n; i++)
		kthread_stop(p[i]);
	KTEST_ASSERT_EQ(t, n, 6);
	KTEST_EXPECT_EQ(t, c.woke, 6);
}

static void msleep_sleeps_at_least(struct ktest *t)
{
	u64 t0 = ktime_get_ns();

	msleep(20);
	KTEST_EXPECT_GE(t, ktime_get_ns() - t0, 20 * NSEC_PER_MSEC);
	t0 = ktime_get_ns();
	msleep(1);
	KTEST_EXPECT_GE(t, ktime_get_ns() - t0, NSEC_PER_MSEC);
}

/*
 * msleep() counts the clock, not jiffies that lag it. CPU 0 owns
 * jiffies (kernel/time.c); with its interrupts off for 60 ms they stand
 * still, then catch up at once. A msleep(20) started on CPU 1 55 ms into
 * that stall saw jiffies 5 behind the clock, so its three jiffies passed
 * as soon as CPU 0 caught up (it used to return after 5-15 ms by ktime).
 */
struct late_tick {
	struct completion stalled, done;
	u64 slept_ns;
};

static int stall_cpu0(void *data)
{
	struct late_tick *lt = data;
	unsigned long flags = local_irq_save();

	complete(&lt->stalled);
	mdelay(60);
	local_irq_restore(flags);
	return 0;
}

static int sleep_on_cpu1(void *data)
{
	struct late_tick *lt = data;
	u64 t0;

	wait_for_completion(&lt->stalled);
	mdelay(55);
	t0 = ktime_get_ns();
	msleep(20);
	lt->slept_ns = ktime_get_ns() - t0;
	complete(&lt->done);
	return 0;
}

static void msleep_counts_the_clock_when_jiffies_lag(struct ktest *t)
{
	struct late_tick lt = { .slept_ns = 0 };
	struct task *a, *b;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	init_completion(&lt.stalled);
	init_completion(&lt.done);
	a = kthread_run_on_cpu(stall_cpu0, &lt, 0, "stall0");
	KTEST_ASSERT_FALSE(t, IS_ERR(a));
	b = kthread_run_on_cpu(sleep_on_cpu1, &lt, 1, "sleep1");
	KTEST_ASSERT_FALSE(t, IS_ERR(b));
	wait_for_completion(&lt.done);
	kthread_stop(a);
	kthread_stop(b);
	KTEST_EXPECT_GE(t, lt.slept_ns, 20 * NSEC_PER_MSEC);
}

static void schedule_timeout_returns_zero_when_it_expires(struct ktest *t)
{
	set_current_state(TASK_BLOCKED);
	KTEST_EXPECT_EQ(t, schedule_timeout(2), 0L);
	KTEST_EXPECT_EQ(t, schedule_timeout_uninterruptible(0), 0L);
}

struct timer_probe {
	struct timer_list timer;
	int fired;
	unsigned int cpu;
};

static void probe_fire(struct timer_list *tl)
{
	struct timer_probe *tp = container_of(tl, struct timer_probe, timer);

	tp->cpu = smp_processor_id();
	__atomic_fetch_add(&tp->fired, 1, __ATOMIC_SEQ_CST);
}

static void timer_fires_once_and_can_be_cancelled(struct ktest *t)
{
	struct timer_probe a = {}, b = {};
	unsigned int cpu;

	timer_setup(&a.timer, probe_fire);
	timer_setup(&b.timer, probe_fire);
	preempt_disable();
	cpu = smp_processor_id();
	mod_timer(&a.timer, READ_ONCE(jiffies) + 2);
	mod_timer(&b.timer, READ_ONCE(jiffies) + 2);
	preempt_enable();
	KTEST_EXPECT_TRUE(t, timer_pending(&a.timer));
	KTEST_EXPECT_EQ(t, del_timer_sync(&b.timer), 1);
	msleep(50);
	KTEST_EXPECT_EQ(t, a.fired, 1);
	KTEST_EXPECT_EQ(t, a.cpu, cpu);
	KTEST_EXPECT_EQ(t, b.fired, 0);
	KTEST_EXPECT_FALSE(t, timer_pending(&a.timer));
	KTEST_EXPECT_EQ(t, del_timer_sync(&a.timer), 0);
}

struct completer {
	struct completion *c;
	unsigned int n;
};

static int complete_n(void *data)
{
	struct completer *cp = data;

	for (unsigned int i = 0; i < cp->n; i++) {
		msleep(1);
		complete(cp->c);
	}
	return 0;
}

static void completion_crosses_cpus(struct ktest *t)
{
	DECLARE_COMPLETION(done);
	struct completer cp = { .c = &done, .n = 3 };
	struct task *p =
		kthread_run_on_cpu(complete_n, &cp, other_cpu(), "completer");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	for (int i = 0; i < 3; i++)
		KTEST_EXPECT_GT(
			t, wait_for_completion_timeout(&done, LONG_TIMEOUT),
			0L);
	kthread_stop(p);
	KTEST_EXPECT_FALSE(t, try_wait_for_completion(&done));
}

static void completion_counts(struct ktest *t)
{
	DECLARE_COMPLETION(c);

	KTEST_EXPECT_FALSE(t, completion_done(&c));
	complete(&c);
	complete(&c);
	KTEST_EXPECT_TRUE(t, completion_done(&c));
	wait_for_completion(&c); /* done before: returns at once */
	KTEST_EXPECT_TRUE(t, try_wait_for_completion(&c));
	KTEST_EXPECT_FALSE(t, try_wait_for_completion(&c));
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&c, 3), 0L);
	complete_all(&c);
	for (int i = 0; i < 5; i++)
		KTEST_EXPECT_TRUE(t, try_wait_for_completion(&c));
	reinit_completion(&c);
	KTEST_EXPECT_FALSE(t, completion_done(&c));
}

struct gate {
	struct completion open;
	int passed;
};

static int pass_gate(void *data)
{
	struct gate *g = data;

	wait_for_completion(&g->open);
	__atomic_fetch_add(&g->passed, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void complete_all_releases_every_waiter(struct ktest *t)
{
	struct gate g = {};
	struct task *p[5];
	unsigned int cpu = 0;

	int n;

	/* on a failed start, release and stop the others: g is ours */
	for (n = 0; n < 5; n++) {
		p[n] = kthread_run_on_cpu(pass_gate, &g, cpu, "gate/%d", n);
		if (IS_ERR(p[n]))
			break;
		/* NOLINTNEXTLINE(clang-analyzer-core.DivideZero): >= 1 CPU */
		cpu = (cpu + 1) % num_online_cpus();
	}
	msleep(10);
	complete_all(&g.open);
	for (int i = 0; i < n; i++)
		kthread_stop(p[i]);
	KTEST_ASSERT_EQ(t, n, 5);
	KTEST_EXPECT_EQ(t, g.passed, 5);
}

static void one_complete_wakes_one_of_two(struct ktest *t)
{
	struct gate g = {};
	struct task *p[2];

	p[0] = kthread_run(pass_gate, &g, "one/0");
	KTEST_ASSERT_FALSE(t, IS_ERR(p[0]));
	p[1] = kthread_run(pass_gate, &g, "one/1");
	if (IS_ERR(p[1])) { /* release and stop the first: g is ours */
		complete_all(&g.open);
		kthread_stop(p[0]);
		KTEST_ASSERT_FALSE(t, IS_ERR(p[1]));
	}
	msleep(10);
	complete(&g.open);
	for (int ms = 0; ms < 20000 && !READ_ONCE(g.passed); ms++)
		msleep(1);
	msleep(20); /* the other one must still be waiting */
	KTEST_EXPECT_EQ(t, __atomic_load_n(&g.passed, __ATOMIC_SEQ_CST), 1);
	complete(&g.open);
	for (int i = 0; i < 2; i++)
		kthread_stop(p[i]);
	KTEST_EXPECT_EQ(t, g.passed, 2);
}

static struct ktest_case wait_cases[] = {
	KTEST_CASE(wait_event_wakes_on_condition_from_other_cpu),
	KTEST_CASE(wait_event_true_condition_returns_at_once),
	KTEST_CASE(wait_event_timeout_expires),
	KTEST_CASE(wake_up_wakes_every_waiter),
	KTEST_CASE(msleep_sleeps_at_least),
	KTEST_CASE(msleep_counts_the_clock_when_jiffies_lag),
	KTEST_CASE(schedule_timeout_returns_zero_when_it_expires),
	KTEST_CASE(timer_fires_once_and_can_be_cancelled),
	KTEST_CASE(completion_crosses_cpus),
	KTEST_CASE(completion_counts),
	KTEST_CASE(complete_all_releases_every_waiter),
	KTEST_CASE(one_complete_wakes_one_of_two),
	{}
};
KTEST_SUITE(wait, wait_cases);
