// SPDX-License-Identifier: MIT
/*
 * watchdog.c - ejecting a misbehaving scheduling policy (sched_ext's
 * idea): the core gives up on the active policy and falls back to the
 * C reference policy, fair, and the system keeps running.
 *
 * Three triggers, all reported with watchdog_request_eject():
 *
 *   starvation  a queued task waited longer than sched.watchdog_ms
 *               (policy_watchdog() in policy.c, at each tick; the task
 *               is also run at once, as under fair);
 *   errors      more than sched.watchdog_errors rejected answers within
 *               one second (watchdog_note_reject(), from policy.c);
 *   panic       a panic inside a guarded callback (watchdog.h):
 *               sched_policy_panic_hook() marks the policy broken
 *               (policy_broken: no callback of it is made again, the
 *               core runs its own FIFO meanwhile) and unwinds to the
 *               guard, so the callback "returns" the core's default.
 *
 * The request only fills in a record; the failing context often holds
 * a runqueue lock with interrupts off, where waking a thread could
 * deadlock. The next tick on any CPU (watchdog_tick(), no locks held)
 * wakes the sched_watchdog thread, which prints the dump (reason,
 * every CPU's queue with wait times, the starving task, the last picks)
 * and switches to fair through policy_eject_switch(). A policy ejected
 * for starvation or errors is consistent, so the switch hands its tasks
 * back and calls its exit(); a panicked one is abandoned: neither
 * task_dequeue nor exit is called, its memory is never freed, and it
 * may not be switched to again.
 */
#define pr_fmt(fmt) "sched: watchdog: " fmt

#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/kthread.h>
#include <keel/lockdep.h>
#include <keel/mutex.h>
#include <keel/printk.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/vmalloc.h>

#include "sched.h"
#include "watchdog.h"

#define ERRORS_DEFAULT	100 /* rejected answers per second */
#define PICK_RING	8   /* last picks remembered per CPU */
#define DUMP_MAX_QUEUED 16  /* tasks listed per CPU in a dump */

const struct sched_policy_ops *policy_broken;

/* One pick_next answer: when, and whom (pid; -1 NULL, 0 invalid). */
struct pick_record {
	u64 ns;
	int pid;
};

static struct pick_record picks[NR_CPUS][PICK_RING];
static unsigned int pick_head[NR_CPUS];

/* The ejection in progress: at most one at a time. */
static struct ejection {
	const struct sched_policy_ops *ops; /* NULL: none */
	enum eject_reason why;
	char detail[160];
	char starving[TASK_COMM_LEN];
	int starving_pid;
	u64 waited_ns;
	unsigned int cpu;
	u64 when_ns;
	bool kicked; /* the thread was woken for it */
} eject;
static DEFINE_SPINLOCK(eject_lock);
static struct task *watchdog_task;

/* Ejected policies, for the sched listing and for refusing a return. */
static struct {
	const struct sched_policy_ops *ops;
	enum eject_reason why;
} ejected[EJECTED_REMEMBERED];
/*
 * Policies that panicked, from the moment they did, or kept a TaskToken
 * across a switch (watchdog_abandon); the first few.
 */
static struct {
	const struct sched_policy_ops *ops;
	const char *why;
} abandoned[EJECTED_REMEMBERED];
static unsigned int nr_abandoned;

static unsigned int error_limit = ERRORS_DEFAULT;
static u64 window_start;
static unsigned long window_errors;

static const char *const reason_names[] = {
	[EJECT_NONE] = "none",
	[EJECT_STARVED] = "starvation",
	[EJECT_ERRORS] = "repeated invalid answers",
	[EJECT_PANIC] = "panic in a callback",
};

/* --- the triggers --- */

void watchdog_request_eject(const struct sched_policy_ops *o,
			    enum eject_reason why, const char *detail,
			    const struct task *starving, u64 waited_ns,
			    unsigned int cpu)
{
	unsigned long flags;

	if (o == &fair_policy)
		return;
	spin_lock_irqsave(&eject_lock, flags);
	if (eject.ops)
		goto out_unlock; /* one at a time; this one is handled */
	eject.ops = o;
	eject.why = why;
	strlcpy(eject.detail, detail ? detail : "", sizeof(eject.detail));
	eject.starving_pid = starving ? starving->pid : 0;
	strlcpy(eject.starving, starving ? starving->name : "",
		sizeof(eject.starving));
	eject.waited_ns = waited_ns;
	eject.cpu = cpu;
	eject.when_ns = ktime_get_ns();
	eject.kicked = false;
out_unlock:
	spin_unlock_irqrestore(&eject_lock, flags);
}

void watchdog_note_reject(const struct sched_policy_ops *o)
{
	unsigned int limit = READ_ONCE(error_limit);
	u64 now;

	if (!limit || o == &fair_policy)
		return;
	now = ktime_get_ns();
	/* racy by design: a window that restarts twice is still a window */
	if (now - READ_ONCE(window_start) >= NSEC_PER_SEC) {
		WRITE_ONCE(window_start, now);
		WRITE_ONCE(window_errors, 0);
	}
	if (__atomic_add_fetch(&window_errors, 1, __ATOMIC_RELAXED) > limit)
		watchdog_request_eject(o, EJECT_ERRORS, NULL, NULL, 0,
				       smp_processor_id());
}

static unsigned int stacks_parked;

/*
 * A panic inside a guarded callback of a policy other than fair. The
 * callback's frames (and any nested guarded call's) are on this CPU's
 * policy stack; the C frames that called the outermost guard (the core,
 * holding the runqueue lock, record.c holding its lock) are on the
 * CPU's own stack and are returned to normally, so they release what
 * they took. The policy stack is parked: never returned to, never
 * freed, never reused. Whatever the policy's frames held stays held
 * forever: their locks stay locked (only the abandoned policy's code
 * reaches them, and none of it runs again), their TaskTokens are never
 * dropped, nothing borrowed by them is given back. That is a leak, and
 * leaking is what safe Rust may always do (mem::forget); what it may
 * not do, deallocate or reuse a frame without running its destructors,
 * never happens. Real panic (return) when fair is in the chain, when
 * the chain mixes policies, or when the CPU has no spare stack.
 */
void sched_policy_panic_hook(const char *msg)
{
	struct policy_guard *g = this_cpu_read(policy_guard), *outer;
	void *spare;

	if (!g)
		return; /* not in a policy: real */
	for (outer = g;; outer = outer->prev) {
		if (outer->ops == &fair_policy || outer->ops != g->ops)
			return; /* the reference policy, or a mix: real */
		if (!outer->prev)
			break;
	}
	spare = this_cpu_read(policy_stack_spare);
	if (!outer->stack || !spare)
		return; /* its frames share a stack with the caller's: real */
	this_cpu_write(policy_guard, NULL);  /* a panic from here is real */
	this_cpu_write(policy_stack, spare); /* the old one is parked */
	this_cpu_write(policy_stack_spare, NULL);
	__atomic_add_fetch(&stacks_parked, 1, __ATOMIC_RELAXED);
	/* other CPUs may panic in the same policy before they see it broken */
	if (__atomic_exchange_n(&policy_broken, g->ops, __ATOMIC_SEQ_CST) !=
	    g->ops) {
		watchdog_abandon(g->ops,
				 "ejected: panic in a callback; abandoned");
		watchdog_request_eject(g->ops, EJECT_PANIC, msg, NULL, 0,
				       smp_processor_id());
	}
	policy_guard_unwind(outer);
}

int policy_stacks_refill(void)
{
	static DEFINE_MUTEX(refill_mutex);
	int err = 0;

	mutex_lock(&refill_mutex);
	for (unsigned int cpu = 0; cpu < NR_CPUS && !err; cpu++) {
		struct cpu *c = &cpu_data[cpu];

		if (!c->idle)
			continue; /* never brought up; it gets its own */
		if (!READ_ONCE(c->policy_stack_spare)) {
			void *top = kstack_alloc();

			if (top)
				WRITE_ONCE(c->policy_stack_spare, top);
			else
				err = -ENOMEM;
		}
	}
	mutex_unlock(&refill_mutex);
	return err;
}

unsigned int policy_stacks_parked(void)
{
	return READ_ONCE(stacks_parked);
}

void policy_guard_recover(const struct policy_guard *g)
{
	this_cpu_write(preempt_count, g->preempt_count);
	this_cpu_write(locks_held, g->locks_held);
	this_cpu_write(irq_disable_depth, g->irq_disable_depth);
}

void watchdog_note_pick(struct rq *rq, const struct task *p, bool valid)
{
	unsigned int i = pick_head[rq->cpu]++ % PICK_RING;

	lockdep_assert_held(&rq->lock);
	picks[rq->cpu][i].ns = rq->clock;
	picks[rq->cpu][i].pid = !p ? -1 : valid ? p->pid : 0;
}

void watchdog_tick(void)
{
	struct task *w = READ_ONCE(watchdog_task);

	if (likely(!READ_ONCE(eject.ops)) || !w || READ_ONCE(eject.kicked))
		return;
	if (!__atomic_exchange_n(&eject.kicked, true, __ATOMIC_ACQ_REL))
		wake_up_process(w);
}

/* --- the dump --- */

static void dump_picks(struct rq *rq, u64 now)
{
	char line[160];
	int len = 0;

	for (unsigned int n = 0; n < PICK_RING; n++) {
		unsigned int head = pick_head[rq->cpu];
		const struct pick_record *r;

		if (n >= head)
			break;
		r = &picks[rq->cpu][(head - 1 - n) % PICK_RING];
		if (r->pid > 0)
			len += scnprintf(line + len, sizeof(line) - len,
					 " pid %d", r->pid);
		else
			len += scnprintf(line + len, sizeof(line) - len, " %s",
					 r->pid ? "NULL" : "invalid");
		len += scnprintf(line + len, sizeof(line) - len, " (-%llu ms)",
				 (now - r->ns) / NSEC_PER_MSEC);
	}
	pr_info("CPU %u: last picks, newest first:%s\n", rq->cpu,
		len ? line : " none");
}

/* One CPU's running task, queue (oldest first) and last picks. */
static void dump_cpu(struct rq *rq, u64 limit_ns)
{
	unsigned long flags;
	struct task *p;
	unsigned int n = 0;
	u64 now;

	spin_lock_irqsave(&rq->lock, flags);
	now = ktime_get_ns();
	pr_info("CPU %u: running %s (pid %d), %u queued\n", rq->cpu,
		rq->curr->name, rq->curr->pid, rq->nr_queued);
	list_for_each_entry(p, &rq->queue, rq_node) {
		u64 waited = now - p->enqueue_ns;

		if (n++ == DUMP_MAX_QUEUED) {
			pr_info("  ...\n");
			break;
		}
		pr_info("  pid %d %s waited %llu ms%s\n", p->pid, p->name,
			waited / NSEC_PER_MSEC,
			waited > limit_ns ? " (starving)" : "");
	}
	dump_picks(rq, now);
	spin_unlock_irqrestore(&rq->lock, flags);
}

static void dump(const struct ejection *e)
{
	unsigned int cpu;

	pr_err("ejecting policy %s: %s on CPU %u\n", e->ops->name,
	       reason_names[e->why], e->cpu);
	if (e->detail[0])
		pr_info("message: %s\n", e->detail);
	if (e->starving_pid)
		pr_info("starving: %s (pid %d) waited %llu ms (limit %u ms)\n",
			e->starving, e->starving_pid,
			e->waited_ns / NSEC_PER_MSEC, sched_watchdog_ms());
	if (e->why == EJECT_ERRORS)
		pr_info("more than %u rejected answers within 1 s\n",
			sched_watchdog_errors());
	for_each_online_cpu(cpu)
		dump_cpu(cpu_rq(cpu), (u64)sched_watchdog_ms() * NSEC_PER_MSEC);
	if (e->why == EJECT_PANIC)
		pr_info("policy %s abandoned: its callbacks are never called again and its memory is never freed\n",
			e->ops->name);
}

/* --- the thread --- */

static void remember(const struct sched_policy_ops *o, enum eject_reason why)
{
	int i;

	for (i = 0; i < EJECTED_REMEMBERED - 1; i++)
		if (!ejected[i].ops || ejected[i].ops == o)
			break;
	ejected[i].ops = o;
	ejected[i].why = why;
}

static void eject_now(void)
{
	struct ejection e;
	unsigned long flags;
	int err;

	spin_lock_irqsave(&eject_lock, flags);
	e = eject;
	/*
	 * A tick that saw the last request just before it was handled can
	 * set kicked after the request was cleared (watchdog_tick checks
	 * without the lock): nothing to do but take the kick back.
	 */
	if (!e.ops)
		eject.kicked = false;
	spin_unlock_irqrestore(&eject_lock, flags);
	if (!e.ops)
		return;
	if (policy_stacks_refill()) /* a panic took a CPU's spare */
		pr_err("no memory for a spare policy stack\n");
	if (policy_active() == e.ops) /* else the switch says so below */
		dump(&e);
	err = policy_eject_switch(e.ops);
	if (!err) {
		remember(e.ops, e.why);
		pr_err("policy %s ejected after %llu ms; running fair\n",
		       e.ops->name,
		       (ktime_get_ns() - e.when_ns) / NSEC_PER_MSEC);
	} else if (err == -EALREADY) {
		pr_info("policy %s (%s: %s) was no longer active; nothing to do\n",
			e.ops->name, reason_names[e.why], e.detail);
	} else {
		pr_err("policy %s: the switch to fair failed (%s)\n",
		       e.ops->name, errname(err));
	}
	spin_lock_irqsave(&eject_lock, flags);
	eject.ops = NULL;
	eject.kicked = false;
	spin_unlock_irqrestore(&eject_lock, flags);
	/* a second panic, in a policy switched to meanwhile, was not taken */
	if (policy_is_broken(policy_active()))
		watchdog_request_eject(
			policy_active(), EJECT_PANIC,
			"panicked while another ejection was handled", NULL, 0,
			smp_processor_id());
}

static int watchdog_thread(void *unused)
{
	for (;;) {
		set_current_state(TASK_BLOCKED);
		if (!READ_ONCE(eject.kicked)) {
			schedule();
			continue;
		}
		set_current_state(TASK_RUNNING);
		eject_now();
	}
	return 0;
}

void watchdog_start(void)
{
	struct task *p = kthread_run(watchdog_thread, NULL, "sched_watchdog");

	if (IS_ERR(p))
		panic("cannot start the sched_watchdog thread (%s)",
		      errname(PTR_ERR(p)));
	WRITE_ONCE(watchdog_task, p); /* runs forever; its reference stays */
}

/* --- queries and knobs --- */

void watchdog_kick_stale(void)
{
	struct task *w = READ_ONCE(watchdog_task);

	__atomic_store_n(&eject.kicked, true, __ATOMIC_RELEASE);
	if (w)
		wake_up_process(w);
}

bool watchdog_busy(void)
{
	return READ_ONCE(eject.ops) != NULL;
}

static const char *abandon_note(const struct sched_policy_ops *o);

/*
 * Remember o as abandoned, once: a policy listed already keeps its slot
 * and its first reason (a full table would forget later policies).
 */
void watchdog_abandon(const struct sched_policy_ops *o, const char *why)
{
	unsigned int i;

	if (abandon_note(o))
		return;
	i = __atomic_fetch_add(&nr_abandoned, 1, __ATOMIC_RELAXED);
	if (i < EJECTED_REMEMBERED) {
		WRITE_ONCE(abandoned[i].why, why);
		WRITE_ONCE(abandoned[i].ops, o);
	}
}

static const char *abandon_note(const struct sched_policy_ops *o)
{
	for (int i = 0; i < EJECTED_REMEMBERED; i++)
		if (READ_ONCE(abandoned[i].ops) == o)
			return READ_ONCE(abandoned[i].why);
	/*
	 * A policy abandoned is never called again (its kept TaskTokens
	 * rely on it, rust/kernel/sched.rs); once one did not fit in the
	 * table, every policy but fair counts as abandoned.
	 */
	if (READ_ONCE(nr_abandoned) > EJECTED_REMEMBERED && o != &fair_policy)
		return "abandoned (too many policies abandoned to tell which)";
	return NULL;
}

bool watchdog_abandoned(const struct sched_policy_ops *o)
{
	return policy_is_broken(o) || abandon_note(o);
}

const char *watchdog_policy_note(const struct sched_policy_ops *o)
{
	if (watchdog_abandoned(o))
		return abandon_note(o) ?:
			       "ejected: panic in a callback; abandoned";
	for (int i = 0; i < EJECTED_REMEMBERED; i++)
		if (ejected[i].ops == o)
			return ejected[i].why == EJECT_STARVED ?
				       "ejected: starvation" :
				       "ejected: repeated invalid answers";
	return NULL;
}

void sched_set_watchdog_errors(unsigned int n)
{
	WRITE_ONCE(error_limit, n);
}

unsigned int sched_watchdog_errors(void)
{
	return READ_ONCE(error_limit);
}

static int parse_errors(const char *val)
{
	unsigned int n;
	int err = val ? kstrtouint(val, 10, &n) : -EINVAL;

	if (!err)
		sched_set_watchdog_errors(n);
	return err;
}
cmdline_param("sched.watchdog_errors", parse_errors);

static int parse_watchdog_ms(const char *val)
{
	unsigned int ms;
	int err = val ? kstrtouint(val, 10, &ms) : -EINVAL;

	if (err)
		return err;
	if (ms < 10 || ms > 3600 * 1000)
		return -ERANGE;
	sched_set_watchdog_ms(ms);
	return 0;
}
cmdline_param("sched.watchdog_ms", parse_watchdog_ms);
