// SPDX-License-Identifier: MIT
/*
 * timer.c - jiffy timers, schedule_timeout() and msleep().
 *
 * Each CPU has a list of armed timers under its own lock; mod_timer()
 * puts a timer on the calling CPU's list, and that CPU's tick runs the
 * expired ones (run_local_timers, hard IRQ) with the lock dropped
 * around each function, recording which one runs so del_timer_sync()
 * can wait for it. The lists are short and unsorted: a tick scans its
 * own list only.
 *
 * schedule_timeout() arms an on-stack timer that wakes the sleeper,
 * sleeps, and disarms it synchronously before returning, so the timer
 * never outlives the stack frame.
 */
#include <keel/bug.h>
#include <keel/lockdep.h>
#include <keel/percpu.h>
#include <keel/sched.h>
#include <keel/spinlock.h>
#include <keel/timer.h>

struct timer_base {
	spinlock_t lock;
	struct list_head timers;    /* NULL until first used */
	struct timer_list *running; /* function running now */
};

static struct timer_base bases[NR_CPUS];

static struct list_head *base_list(struct timer_base *b)
{
	if (!b->timers.next)
		INIT_LIST_HEAD(&b->timers);
	return &b->timers;
}

unsigned long msecs_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms * HZ + 999) / 1000;
}

void timer_setup(struct timer_list *t, void (*fn)(struct timer_list *t))
{
	INIT_LIST_HEAD(&t->entry);
	t->function = fn;
	t->expires = 0;
	t->cpu = 0;
}

bool timer_pending(const struct timer_list *t)
{
	return !list_empty(&t->entry);
}

/* Lock t's base; t->cpu may change while we wait, so recheck. */
static struct timer_base *lock_timer_base(struct timer_list *t,
					  unsigned long *flags)
{
	for (;;) {
		struct timer_base *b = &bases[READ_ONCE(t->cpu)];

		spin_lock_irqsave(&b->lock, *flags);
		if (b == &bases[t->cpu])
			return b;
		spin_unlock_irqrestore(&b->lock, *flags);
	}
}

int del_timer(struct timer_list *t)
{
	struct timer_base *b;
	unsigned long flags;
	int was = 0;

	b = lock_timer_base(t, &flags);
	if (timer_pending(t)) {
		list_del_init(&t->entry);
		was = 1;
	}
	spin_unlock_irqrestore(&b->lock, flags);
	return was;
}

int mod_timer(struct timer_list *t, u64 expires)
{
	struct timer_base *b;
	unsigned long flags;
	int was = del_timer(t);

	flags = local_irq_save();
	b = &bases[smp_processor_id()];
	spin_lock(&b->lock);
	t->expires = expires;
	WRITE_ONCE(t->cpu, smp_processor_id());
	list_add_tail(&t->entry, base_list(b));
	spin_unlock_irqrestore(&b->lock, flags);
	return was;
}

int del_timer_sync(struct timer_list *t)
{
	for (;;) {
		struct timer_base *b;
		unsigned long flags;
		bool running;
		int was = 0;

		b = lock_timer_base(t, &flags);
		if (timer_pending(t)) {
			list_del_init(&t->entry);
			was = 1;
		}
		running = b->running == t;
		spin_unlock_irqrestore(&b->lock, flags);
		if (!running)
			return was;
		cpu_relax();
	}
}

/* An expired timer of b, taken off the list, or NULL. */
static struct timer_list *next_expired(struct timer_base *b, u64 now)
{
	struct timer_list *t;

	lockdep_assert_held(&b->lock);
	if (!b->timers.next)
		return NULL;
	list_for_each_entry(t, &b->timers, entry) {
		if (time_after_eq64(now, t->expires)) {
			list_del_init(&t->entry);
			return t;
		}
	}
	return NULL;
}

void run_local_timers(void)
{
	struct timer_base *b = &bases[smp_processor_id()];
	u64 now = READ_ONCE(jiffies);
	struct timer_list *t;

	spin_lock(&b->lock);
	while ((t = next_expired(b, now))) {
		b->running = t;
		spin_unlock(&b->lock);
		t->function(t);
		spin_lock(&b->lock);
		b->running = NULL;
	}
	spin_unlock(&b->lock);
}

struct sleeper {
	struct timer_list timer;
	struct task *task;
};

static void wake_sleeper(struct timer_list *t)
{
	wake_up_process(container_of(t, struct sleeper, timer)->task);
}

long schedule_timeout(long timeout)
{
	struct sleeper s = { .task = current };
	u64 expires;
	long left;

	might_sleep(); /* before the timer points at this frame */
	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout <= 0) {
		set_current_state(TASK_RUNNING);
		return 0;
	}
	expires = READ_ONCE(jiffies) + timeout;
	timer_setup(&s.timer, wake_sleeper);
	mod_timer(&s.timer, expires);
	schedule();
	del_timer_sync(&s.timer);
	left = (long)(expires - READ_ONCE(jiffies));
	return left > 0 ? left : 0;
}

long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_BLOCKED);
	return schedule_timeout(timeout);
}

long schedule_timeout_interruptible(long timeout)
{
	set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

/*
 * At least ms milliseconds by ktime, not only by jiffies: a tick that
 * comes late leaves jiffies behind the clock for a while, and a sleep
 * that started then would end that much early (seen under TCG on a
 * loaded host, msleep(20) after 19.9 ms); one more jiffy at a time
 * until the clock agrees.
 */
void msleep(unsigned int ms)
{
	u64 end = ktime_get_ns() + (u64)ms * NSEC_PER_MSEC;
	long timeout = msecs_to_jiffies(ms) + 1;

	might_sleep(); /* before the task is marked blocked */
	for (;;) {
		while (timeout)
			timeout = schedule_timeout_uninterruptible(timeout);
		if (ktime_get_ns() >= end)
			return;
		timeout = 1;
	}
}
