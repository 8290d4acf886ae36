// SPDX-License-Identifier: MIT
/*
 * signal_test.c - the kernel side of signals (kernel/signal.c): a
 * signal's wake-up reaches TASK_INTERRUPTIBLE sleepers only, never a
 * TASK_BLOCKED one; kernel threads ignore signals. (Delivery to user
 * programs is tests/user/signals.c's.)
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/timer.h>

struct sleeper {
	int state; /* how it sleeps */
	int wakeups;
};

static int sleep_in_state(void *data)
{
	struct sleeper *s = data;

	for (;;) {
		set_current_state(s->state);
		if (kthread_should_stop()) {
			set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
		WRITE_ONCE(s->wakeups, s->wakeups + 1);
	}
	return 0;
}

/* Start a sleeper and wait until it sleeps. */
static struct task *start_sleeper(struct ktest *t, struct sleeper *s)
{
	struct task *p = kthread_run(sleep_in_state, s, "sigsleep");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	for (int i = 0; i < 1000 && task_state(p) != TS_BLOCKED; i++)
		msleep(1);
	KTEST_EXPECT_TRUE(t, task_state(p) == TS_BLOCKED);
	return p;
}

static void interruptible_sleep_is_woken(struct ktest *t)
{
	struct sleeper s = { .state = TASK_INTERRUPTIBLE };
	struct task *p = start_sleeper(t, &s);

	KTEST_EXPECT_TRUE(t, wake_up_interruptible_task(p));
	for (int i = 0; i < 1000 && !READ_ONCE(s.wakeups); i++)
		msleep(1);
	KTEST_EXPECT_GE(t, READ_ONCE(s.wakeups), 1);
	kthread_stop(p);
}

static void blocked_sleep_is_not_disturbed(struct ktest *t)
{
	struct sleeper s = { .state = TASK_BLOCKED };
	struct task *p = start_sleeper(t, &s);

	KTEST_EXPECT_FALSE(t, wake_up_interruptible_task(p));
	msleep(20);
	KTEST_EXPECT_EQ(t, READ_ONCE(s.wakeups), 0);
	KTEST_EXPECT_TRUE(t, task_state(p) == TS_BLOCKED);
	kthread_stop(p); /* wake_up_process wakes either kind */
}

static void kernel_threads_ignore_signals(struct ktest *t)
{
	struct sleeper s = { .state = TASK_INTERRUPTIBLE };
	struct task *p = start_sleeper(t, &s);

	KTEST_EXPECT_EQ(t, send_sig(SIGKILL, p, 1), 0);
	KTEST_EXPECT_FALSE(t, signal_pending(p));
	KTEST_EXPECT_EQ(t, send_sig(0, p, 1), -EINVAL);
	KTEST_EXPECT_EQ(t, send_sig(_NSIG + 1, p, 1), -EINVAL);
	msleep(20);
	KTEST_EXPECT_EQ(t, READ_ONCE(s.wakeups), 0);
	kthread_stop(p);
}

static struct ktest_case signal_cases[] = {
	KTEST_CASE(interruptible_sleep_is_woken),
	KTEST_CASE(blocked_sleep_is_not_disturbed),
	KTEST_CASE(kernel_threads_ignore_signals),
	{},
};

KTEST_SUITE(signal, signal_cases);
