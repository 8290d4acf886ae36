// SPDX-License-Identifier: MIT
/*
 * policy.c - the one place where the core calls a scheduling policy.
 *
 * Every callback of struct sched_policy_ops is reached through a
 * policy_*() wrapper here, and every answer a policy gives is checked
 * before the core acts on it:
 *
 *   pick_next   must name a task queued on that runqueue (found by
 *               walking rq->queue, so a stale or wild pointer is never
 *               dereferenced); otherwise the core runs its oldest queued
 *               task and tells the policy with task_dequeue().
 *   select_cpu  must name an online CPU the task may run on; otherwise
 *               the task's previous (or first allowed) CPU is used.
 *   balance     must name a task queued on src that may run on dst.
 *   task_new    must return 0 or a negative errno.
 *
 * A rejected answer is counted (sched_policy_stats()) and logged, the
 * first few times and then every 1000th, and the kernel keeps running.
 * The watchdog (called by the tick) catches a policy that keeps a task
 * waiting: a task queued for longer than the watchdog period is run
 * next by the core and counted as starved.
 *
 * Every call runs under the policy guard (watchdog.h), and a policy
 * other than fair that starves a task, keeps giving bad answers or
 * panics is ejected (watchdog.c): after a panic no callback of it is
 * made again (policy_is_broken) and the wrappers give the core's
 * defaults until fair is switched in.
 *
 * A live switch (sched_policy_switch) stops the world with the task
 * list and every runqueue locked, has the old policy export each queued
 * and running task and the new one adopt it (or undoes everything if
 * the new one fails), publishes the new table, and waits until no CPU
 * can still be inside an old callback before calling its exit().
 * Every call goes through CALL() (record.h): guarded as above, and
 * while a policy is being recorded for replay, logged by record.c with
 * its inputs and the answer the core got.
 */
#define pr_fmt(fmt) "sched: " fmt

#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/monitor.h>
#include <keel/mutex.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>

#include "record.h"
#include "sched.h"
#include "watchdog.h"

#define LOG_FIRST	    10
#define LOG_EVERY	    1000
#define WATCHDOG_DEFAULT_MS 20000
#define MAX_POLICIES	    16

static const struct sched_policy_ops *ops;
static struct sched_policy_stats stats;
static unsigned int watchdog_ms = WATCHDOG_DEFAULT_MS;
static DEFINE_MUTEX(switch_mutex);
static const struct sched_policy_ops *registered[MAX_POLICIES] = {
	&fair_policy,
};
static char boot_policy[32];
static u64 last_pause_ns;

static const struct sched_policy_ops *active(void)
{
	return READ_ONCE(ops);
}

/*
 * Count a rejection of one kind and log it: the first LOG_FIRST of each
 * kind, then every LOG_EVERY-th, so a broken policy cannot flood the log.
 */
__printf(2, 3) static void reject(unsigned long *counter, const char *fmt, ...)
{
	unsigned long n = __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	char msg[160];
	va_list ap;

	if (counter != &stats.starved)
		watchdog_note_reject(active());
	if (n >= LOG_FIRST && (n + 1) % LOG_EVERY)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("policy %s: %s; rejected (%lu of this kind)\n", active()->name,
		msg, n + 1);
}

bool task_queued_on(const struct rq *rq, const struct task *p)
{
	const struct task *it;

	list_for_each_entry(it, &rq->queue, rq_node)
		if (it == p)
			return true;
	return false;
}

/*
 * A callback is made only if the policy has it and did not panic
 * before (policy_is_broken); it runs under the guard (watchdog.h) and
 * is recorded if o is being recorded (record.h).
 */
#define CAN_CALL(o, cb) ((o)->cb && !policy_is_broken(o))

/* o->task_new(p), guarded and recorded; 0 if o has none or panicked. */
static int call_task_new(const struct sched_policy_ops *o, struct task *p)
{
	return CAN_CALL(o, task_new) ? (int)CALL(o, task_new, p, 0, 0).val : 0;
}

int policy_task_new(struct task *p)
{
	const struct sched_policy_ops *o = active();
	int err = call_task_new(o, p);

	if (err > 0) {
		reject(&stats.task_new_invalid,
		       "task_new(%s) returned %d, not 0 or -errno", p->name,
		       err);
		err = -EINVAL;
	}
	return err;
}

void policy_task_dead(struct task *p)
{
	const struct sched_policy_ops *o = active();

	if (CAN_CALL(o, task_dead))
		CALL(o, task_dead, p, 0, 0);
}

bool policy_task_wakeup(struct rq *rq, struct task *p, unsigned int flags)
{
	const struct sched_policy_ops *o = active();

	if (!CAN_CALL(o, task_wakeup))
		return false;
	return (u8)CALL(o, task_wakeup, rq, p, flags).val; /* bool: %al */
}

void policy_task_blocked(struct rq *rq, struct task *p)
{
	const struct sched_policy_ops *o = active();

	if (CAN_CALL(o, task_blocked))
		CALL(o, task_blocked, rq, p, 0);
}

void policy_task_preempt(struct rq *rq, struct task *p)
{
	const struct sched_policy_ops *o = active();

	if (CAN_CALL(o, task_preempt))
		CALL(o, task_preempt, rq, p, 0);
	else
		policy_task_wakeup(rq, p, 0);
}

void policy_task_yield(struct rq *rq, struct task *p)
{
	const struct sched_policy_ops *o = active();

	if (CAN_CALL(o, task_yield))
		CALL(o, task_yield, rq, p, 0);
	else
		policy_task_preempt(rq, p);
}

void policy_task_dequeue(struct rq *rq, struct task *p)
{
	const struct sched_policy_ops *o = active();

	if (CAN_CALL(o, task_dequeue))
		CALL(o, task_dequeue, rq, p, 0);
}

bool policy_task_tick(struct rq *rq, struct task *p)
{
	const struct sched_policy_ops *o = active();

	if (policy_is_broken(o)) /* the core's FIFO: a slice per tick */
		return rq->nr_queued > 0;
	return o->task_tick ? (u8)CALL(o, task_tick, rq, p, 0).val : false;
}

struct task *policy_pick_next(struct rq *rq)
{
	const struct sched_policy_ops *o = active();
	struct task *p = NULL;
	bool valid;

	if (CAN_CALL(o, pick_next))
		p = (struct task *)CALL(o, pick_next, rq, 0, 0).val;
	if (policy_is_broken(o)) /* the core's FIFO: oldest first */
		goto oldest;
	valid = p && task_queued_on(rq, p);
	watchdog_note_pick(rq, p, valid);
	if (valid)
		return p;
	if (!p)
		reject(&stats.pick_lost,
		       "pick_next on CPU %u gave NULL with %u task(s) queued",
		       rq->cpu, rq->nr_queued);
	else
		reject(&stats.pick_invalid,
		       "pick_next on CPU %u gave %p, not a task queued there",
		       rq->cpu, p);
oldest:
	p = list_first_entry(&rq->queue, struct task, rq_node);
	policy_task_dequeue(rq, p);
	return p;
}

unsigned int policy_select_cpu(struct task *p, unsigned int prev_cpu,
			       unsigned int flags)
{
	const struct sched_policy_ops *o = active();
	cpumask_t allowed = READ_ONCE(p->allowed) & READ_ONCE(cpu_online_mask);
	unsigned int cpu = prev_cpu;

	if (CAN_CALL(o, select_cpu)) {
		int want = (int)CALL(o, select_cpu, p, prev_cpu, flags).val;

		if (want >= 0 && cpumask_test(allowed, want))
			return want;
		if (!policy_is_broken(o))
			reject(&stats.select_invalid,
			       "select_cpu(%s) gave CPU %d, not online and allowed",
			       p->name, want);
	}
	if (!cpumask_test(allowed, cpu))
		cpu = cpumask_first(allowed);
	return cpu < NR_CPUS ? cpu : 0;
}

bool policy_can_balance(void)
{
	return CAN_CALL(active(), balance);
}

struct task *policy_balance(struct rq *dst, struct rq *src)
{
	const struct sched_policy_ops *o = active();
	struct task *p;

	/* a switch may have happened while dst->lock was dropped */
	if (CAN_CALL(o, balance))
		p = (struct task *)CALL(o, balance, dst, src, 0).val;
	else
		p = NULL;
	if (!p)
		return NULL;
	if (!task_queued_on(src, p)) {
		reject(&stats.balance_invalid,
		       "balance(CPU %u <- %u) gave %p, not queued on CPU %u",
		       dst->cpu, src->cpu, p, src->cpu);
		return NULL;
	}
	if (!cpumask_test(p->allowed, dst->cpu)) {
		reject(&stats.balance_invalid,
		       "balance(CPU %u <- %u) gave %s, not allowed on CPU %u",
		       dst->cpu, src->cpu, p->name, dst->cpu);
		return NULL;
	}
	return READ_ONCE(p->on_cpu) ? NULL : p; /* still switching out */
}

bool policy_watchdog(struct rq *rq)
{
	u64 limit = (u64)READ_ONCE(watchdog_ms) * NSEC_PER_MSEC;
	struct task *p;

	if (!rq->nr_queued)
		return false;
	p = list_first_entry(&rq->queue, struct task, rq_node);
	if (rq->force_next == p || rq->clock - p->enqueue_ns < limit)
		return false;
	reject(&stats.starved, "%s waited %llu ms on CPU %u; running it",
	       p->name, (rq->clock - p->enqueue_ns) / NSEC_PER_MSEC, rq->cpu);
	rq->force_next = p;
	watchdog_request_eject(active(), EJECT_STARVED, NULL, p,
			       rq->clock - p->enqueue_ns, rq->cpu);
	return true;
}

void sched_set_watchdog_ms(unsigned int ms)
{
	WRITE_ONCE(watchdog_ms, ms ? ms : WATCHDOG_DEFAULT_MS);
}

unsigned int sched_watchdog_ms(void)
{
	return READ_ONCE(watchdog_ms);
}

void sched_policy_stats(struct sched_policy_stats *out)
{
	unsigned long *src = (unsigned long *)&stats, *dst = (void *)out;

	for (size_t i = 0; i < sizeof(stats) / sizeof(long); i++)
		dst[i] = __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

u64 sched_policy_last_pause_ns(void)
{
	return READ_ONCE(last_pause_ns);
}

const struct sched_policy_ops *policy_active(void)
{
	return active();
}

const char *sched_policy_name(void)
{
	return active()->name;
}

/* --- live switching --- */

static void lock_all_rqs(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		spin_lock(&cpu_rq(cpu)->lock);
}

static void unlock_all_rqs(void)
{
	for (unsigned int cpu = NR_CPUS; cpu-- > 0;)
		spin_unlock(&cpu_rq(cpu)->lock);
}

/*
 * The hand-over (docs/scheduler.md, "Live switching
 * and the hand-over"). With the task list and
 * every runqueue locked: save every task's p->se and let the old policy
 * export its queued and running tasks (read-only), then give the new
 * policy task_new for every task and task_adopt for those. Only if all
 * of that succeeds is the old policy told (task_dequeue of its queued
 * tasks, seeing its own p->se again) and the new table published;
 * otherwise the new policy undoes its part and every p->se is restored,
 * so the old policy runs on as if nothing happened.
 */
struct handover_slot {
	struct task *p;
	struct rq *rq;		/* NULL: neither queued nor running */
	unsigned int flags;	/* WF_SWITCH, | WF_RUNNING for rq->curr */
	struct sched_entity se; /* the other policy's p->se */
	struct sched_handover h;
};

struct handover {
	unsigned int n, cap;
	struct handover_slot slot[];
};

static unsigned int count_tasks(void)
{
	unsigned long flags;
	unsigned int n = 0;
	struct task *p;

	spin_lock_irqsave(&tasklist_lock, flags);
	list_for_each_entry(p, &task_list, tasks)
		n++;
	spin_unlock_irqrestore(&tasklist_lock, flags);
	return n;
}

/*
 * Fill a slot per task, saving its p->se; the old policy exports the
 * queued and running ones. -EAGAIN if tasks appeared since hv was sized.
 */
static int export_all(const struct sched_policy_ops *old, struct handover *hv)
{
	struct task *p;

	hv->n = 0;
	list_for_each_entry(p, &task_list, tasks) {
		struct handover_slot *s = &hv->slot[hv->n];
		struct rq *rq = cpu_rq(p->cpu);

		if (p->flags & PF_IDLE)
			continue;
		if (hv->n == hv->cap)
			return -EAGAIN;
		*s = (struct handover_slot){ .p = p, .se = p->se };
		hv->n++;
		if (!list_empty(&p->rq_node))
			s->flags = WF_SWITCH;
		else if (rq->curr == p)
			s->flags = WF_SWITCH | WF_RUNNING;
		else
			continue;
		s->rq = rq;
		if (CAN_CALL(old, task_export) && !watchdog_abandoned(old))
			CALL4(old, task_export, rq, p, &s->h, s->flags);
	}
	return 0;
}

/* Exchange each task's p->se with the one saved in its slot. */
static void swap_se(struct handover *hv)
{
	for (unsigned int i = 0; i < hv->n; i++) {
		struct sched_entity tmp = hv->slot[i].p->se;

		hv->slot[i].p->se = hv->slot[i].se;
		hv->slot[i].se = tmp;
	}
}

/* o->task_dead for every task before stop (NULL: all). */
static void dead_all_tasks(const struct sched_policy_ops *o,
			   const struct task *stop)
{
	struct task *p;

	list_for_each_entry(p, &task_list, tasks) {
		if (p == stop)
			break;
		if (!(p->flags & PF_IDLE) && CAN_CALL(o, task_dead))
			CALL(o, task_dead, p, 0, 0);
	}
}

/* new->task_new for every task; on failure undo and return the error. */
static int new_all_tasks(const struct sched_policy_ops *o)
{
	struct task *p;
	int err;

	list_for_each_entry(p, &task_list, tasks) {
		p->se.token =
			0; /* o holds no token yet (the old one's: saved) */
		if (p->flags & PF_IDLE || !o->task_new)
			continue;
		err = call_task_new(o, p);
		if (err) {
			dead_all_tasks(o, p);
			return err > 0 ? -EINVAL : err;
		}
	}
	return 0;
}

static int adopt_one(const struct sched_policy_ops *o, struct handover_slot *s)
{
	int err;

	if (CAN_CALL(o, task_adopt)) {
		err = (int)CALL4(o, task_adopt, s->rq, s->p, &s->h, s->flags)
			      .val;
		return err > 0 ? -EINVAL : err;
	}
	if (!(s->flags & WF_RUNNING) && CAN_CALL(o, task_wakeup))
		CALL(o, task_wakeup, s->rq, s->p, WF_SWITCH);
	return 0;
}

/* o adopts every queued and running task; undone if one fails. */
static int adopt_all(const struct sched_policy_ops *o, struct handover *hv)
{
	unsigned int i;
	int err = 0;

	for (i = 0; i < hv->n && !err; i++)
		if (hv->slot[i].rq)
			err = adopt_one(o, &hv->slot[i]);
	if (!err)
		return 0;
	pr_warn("policy %s: task_adopt(%s) failed: %d; switch undone\n",
		o->name, hv->slot[i - 1].p->name, err);
	while (--i > 0) {
		struct handover_slot *s = &hv->slot[i - 1];

		if (s->rq && !(s->flags & WF_RUNNING) &&
		    CAN_CALL(o, task_dequeue))
			CALL(o, task_dequeue, s->rq, s->p, 0);
	}
	return err;
}

/*
 * After o let go of its tasks (everything locked, p->se is o's): if o
 * still holds a TaskToken of a live task, it could reach that task's
 * p->se, now the next policy's, in its exit() or later: abandon it.
 * Its kept tokens then work nowhere (rust/kernel/sched.rs lets a token
 * touch its task only in its own policy's callbacks and init/exit, and
 * none of those runs again), and dropping them leaves p->se.token, the
 * next policy's flag, alone.
 */
static void abandon_if_tokens_kept(const struct sched_policy_ops *o)
{
	struct task *p;

	if (watchdog_abandoned(o))
		return;
	list_for_each_entry(p, &task_list, tasks) {
		if (p->se.token) {
			pr_warn("policy %s kept the token of %s (pid %d); abandoned\n",
				o->name, p->name, p->pid);
			watchdog_abandon(o, "kept a task's token; abandoned");
			return;
		}
	}
}

/* Everything locked: hand every task from old to new, or change nothing. */
static int switch_locked(const struct sched_policy_ops *old,
			 const struct sched_policy_ops *new,
			 struct handover *hv)
{
	int err = export_all(old, hv);

	if (err)
		goto out_restore;
	err = new_all_tasks(new);
	if (err)
		goto out_restore;
	err = adopt_all(new, hv);
	if (err)
		goto out_dead;
	record_policy_switch(old); /* its task_export calls were the last */
	swap_se(hv); /* the old policy lets go of its queued tasks */
	for (unsigned int i = 0; i < hv->n; i++)
		if (hv->slot[i].rq && !(hv->slot[i].flags & WF_RUNNING) &&
		    CAN_CALL(old, task_dequeue) && !watchdog_abandoned(old))
			CALL(old, task_dequeue, hv->slot[i].rq, hv->slot[i].p,
			     0);
	abandon_if_tokens_kept(old);
	swap_se(hv);
	WRITE_ONCE(ops, new);
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (cpu_online(cpu))
			resched_curr(cpu_rq(cpu));
	return 0;
out_dead:
	dead_all_tasks(new, NULL);
	abandon_if_tokens_kept(new);
out_restore:
	for (unsigned int i = 0; i < hv->n; i++)
		hv->slot[i].p->se = hv->slot[i].se;
	return err;
}

/* switch_locked() with everything locked; the pause is timed. */
static int switch_stopped(const struct sched_policy_ops *old,
			  const struct sched_policy_ops *new)
{
	struct handover *hv;
	unsigned long flags;
	unsigned int cap;
	u64 pause_start;
	int err;

	do {
		cap = count_tasks() + 8; /* a few may appear meanwhile */
		hv = kmalloc(sizeof(*hv) + cap * sizeof(hv->slot[0]),
			     GFP_KERNEL);
		if (!hv)
			return -ENOMEM;
		hv->cap = cap;
		spin_lock_irqsave(&tasklist_lock, flags);
		lock_all_rqs();
		pause_start = ktime_get_ns();
		err = switch_locked(old, new, hv);
		WRITE_ONCE(last_pause_ns, ktime_get_ns() - pause_start);
		unlock_all_rqs();
		spin_unlock_irqrestore(&tasklist_lock, flags);
		kfree(hv);
	} while (err == -EAGAIN);
	return err;
}

static void nop(void *unused)
{
}

/*
 * Enter (o) or leave (NULL) o's init() or exit() on the current task:
 * current->policy_ctx says so, and cpu->policy_tokens follows it while
 * the task runs (context_switch() copies it), so the Rust layer lets
 * o's TaskTokens be used there (rust/kernel/sched.rs).
 */
static void policy_ctx_set(const struct sched_policy_ops *o)
{
	preempt_disable();
	WRITE_ONCE(current->policy_ctx, o);
	this_cpu_write(policy_tokens, o);
	preempt_enable();
}

/*
 * o's init() and exit(), with current->policy_ctx saying so: a switch
 * from inside them is refused (switch_refused()), which is what makes
 * the Rust layer's Quiescent proof true while they run.
 */
static int policy_init_call(const struct sched_policy_ops *o)
{
	int err;

	policy_ctx_set(o);
	err = call_init(o);
	policy_ctx_set(NULL);
	return err;
}

static void policy_exit_call(const struct sched_policy_ops *o)
{
	policy_ctx_set(o);
	o->exit();
	policy_ctx_set(NULL);
}

/*
 * A switch needs process context outside every policy: it sleeps (the
 * mutex, GFP_KERNEL, the IPI wait), and a switch nested in a callback
 * (this CPU's policy_guard is set: interrupts are off, the slot is
 * ours) or in init()/exit() (current->policy_ctx) would re-enter the
 * switch under its own mutex and publish or unpublish a policy while
 * its callbacks or its init()/exit() run. -EDEADLK instead.
 */
static int switch_refused(void)
{
	if (irqs_disabled() || in_atomic())
		return -EDEADLK;
	if (this_cpu_read(policy_guard) || current->policy_ctx)
		return -EDEADLK;
	return 0;
}

/*
 * The switch, with switch_mutex held. A policy that panicked
 * (watchdog_abandoned) exports nothing and gets no task_dequeue and no
 * exit: its state is abandoned; it cannot be switched to again.
 */
static int switch_mutexed(const struct sched_policy_ops *new)
{
	const struct sched_policy_ops *old = active();
	int err;

	if (new == old)
		return 0;
	if (watchdog_abandoned(new))
		return -EBUSY;
	err = policy_stacks_refill(); /* so that a panic finds a spare */
	if (err)
		return err;
	err = new->init ? policy_init_call(new) : 0;
	if (err)
		return err;
	err = switch_stopped(old, new);
	if (err) {
		if (new->exit && !watchdog_abandoned(new))
			policy_exit_call(new);
		return err;
	}
	/* no CPU is inside an old callback once each took an IPI */
	smp_call_function(nop, NULL, true);
	if (old->exit && !watchdog_abandoned(old))
		policy_exit_call(old);
	task_free_parked(); /* exit() may have dropped tokens */
	pr_info("policy %s -> %s\n", old->name, new->name);
	return 0;
}

int sched_policy_switch(const struct sched_policy_ops *new)
{
	int err;

	if (!new || !new->pick_next || !new->task_wakeup || !new->task_dequeue)
		return -EINVAL;
	err = switch_refused();
	if (err)
		return err;
	mutex_lock(&switch_mutex);
	err = switch_mutexed(new);
	mutex_unlock(&switch_mutex);
	return err;
}

int policy_eject_switch(const struct sched_policy_ops *bad)
{
	int err = -EALREADY;

	mutex_lock(&switch_mutex);
	if (active() == bad)
		err = switch_mutexed(&fair_policy);
	mutex_unlock(&switch_mutex);
	if (!err)
		__atomic_add_fetch(&stats.ejected, 1, __ATOMIC_RELAXED);
	return err;
}

/* --- the registry of policies, by name --- */

static int parse_policy(const char *val)
{
	if (!val || !*val ||
	    strlcpy(boot_policy, val, sizeof(boot_policy)) >=
		    sizeof(boot_policy))
		return -EINVAL;
	return 0;
}
cmdline_param("sched.policy", parse_policy);

const struct sched_policy_ops *sched_policy_find(const char *name)
{
	const struct sched_policy_ops *found = NULL;

	mutex_lock(&switch_mutex);
	for (int i = 0; i < MAX_POLICIES && registered[i]; i++)
		if (!strcmp(registered[i]->name, name))
			found = registered[i];
	mutex_unlock(&switch_mutex);
	return found;
}

int sched_policy_register(const struct sched_policy_ops *o)
{
	int i, err = 0;

	if (!o || !o->name || !o->pick_next || !o->task_wakeup ||
	    !o->task_dequeue)
		return -EINVAL;
	/*
	 * One table per name, checked and taken under the mutex: the Rust
	 * layer relies on it (a policy type has one name, so one table; see
	 * kernel::sched::InPolicy).
	 */
	mutex_lock(&switch_mutex);
	for (i = 0; i < MAX_POLICIES && registered[i]; i++)
		if (!strcmp(registered[i]->name, o->name))
			err = -EEXIST;
	if (!err && i < MAX_POLICIES)
		registered[i] = o;
	else if (!err)
		err = -ENOSPC;
	mutex_unlock(&switch_mutex);
	if (err)
		return err;
	pr_info("policy %s registered\n", o->name);
	if (!strcmp(boot_policy, o->name)) {
		err = sched_policy_switch(o);
		if (err)
			pr_err("policy %s (sched.policy=) failed to start: %d\n",
			       o->name, err);
	}
	return 0;
}

const struct sched_policy_ops *
sched_policy_other(const struct sched_policy_ops * not )
{
	const struct sched_policy_ops *found = NULL;

	mutex_lock(&switch_mutex);
	for (int i = 0; i < MAX_POLICIES && registered[i] && !found; i++)
		if (registered[i] != not &&!watchdog_abandoned(registered[i]))
			found = registered[i];
	mutex_unlock(&switch_mutex);
	return found;
}

int sched_policy_switch_to(const char *name)
{
	const struct sched_policy_ops *o;
	int err = switch_refused(); /* before the mutex of the lookup */

	if (err)
		return err;
	o = sched_policy_find(name);
	return o ? sched_policy_switch(o) : -ENOENT;
}

void sched_policy_list(void)
{
	mutex_lock(&switch_mutex);
	for (int i = 0; i < MAX_POLICIES && registered[i]; i++) {
		const char *note = watchdog_policy_note(registered[i]);

		monitor_printf("%c %s%s%s%s\n",
			       registered[i] == active() ? '*' : ' ',
			       registered[i]->name, note ? " (" : "",
			       note ?: "", note ? ")" : "");
	}
	mutex_unlock(&switch_mutex);
}

void policy_init(void)
{
	ops = &fair_policy;
	if (fair_policy.init && fair_policy.init())
		panic("sched: the fair policy failed to start");
}
