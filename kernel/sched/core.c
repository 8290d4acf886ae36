// SPDX-License-Identifier: MIT
/*
 * core.c - the scheduler core: per-CPU runqueues, wake-ups, schedule(),
 * preemption, the tick, affinity and nice.
 *
 * Each CPU has a runqueue (struct rq) with a lock, the running task
 * (curr), its idle task and the list of RUNNABLE tasks waiting for the
 * CPU. The list is the core's own record, kept in queueing order next
 * to whatever the policy keeps, so that the core can check every policy
 * answer (kernel/sched/policy.c) and always has a safe fallback.
 *
 * Three flags per task, as in Linux, make wake-ups safe without a
 * global lock:
 *   p->state   the task's intent; it sets TASK_BLOCKED (or
 *              TASK_INTERRUPTIBLE: a signal may wake it too) itself,
 *              then tests its wait condition, then calls schedule(); a
 *              waker sets TASK_RUNNING again;
 *   p->on_rq   queued or running (written under the rq lock);
 *   p->on_cpu  from being picked until the switch away finished
 *              (cleared by the next task, finish_task_switch()).
 * try_to_wake_up() holds p->pi_lock: if p has not yet left its runqueue
 * it only resets the intent (schedule() then keeps it); otherwise it
 * waits until p's CPU switched away from it (on_cpu) before queueing it
 * on the CPU the policy selects.
 *
 * A context switch happens with the rq lock held and interrupts off;
 * the task switched to releases the lock (finish_task_switch). The rq
 * lock also raises the per-CPU preemption count, so every task sees
 * the count at 1 across its switch and 0 after.
 *
 * Preemption: the tick asks the policy (task_tick) and a wake-up may
 * ask too (task_wakeup); either sets need_resched on the CPU (with a
 * reschedule IPI if remote), and the task is switched at the next
 * preemption point: interrupt return or preempt_enable().
 */
#define pr_fmt(fmt) "sched: " fmt

#include <asm/cpu.h>
#include <asm/pgtable.h>
#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/irq.h>
#include <keel/lockdep.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/smp.h>
#include <keel/time.h>
#include <keel/vmalloc.h>

#include "sched.h"
#include "watchdog.h"

struct rq runqueues[NR_CPUS];
static bool sched_running; /* schedule() may switch */
/* might_sleep() checks: from sched_init_late(), once interrupts are on */
static bool sleep_checks;

void core_enqueue(struct rq *rq, struct task *p)
{
	list_add_tail(&p->rq_node, &rq->queue);
	WRITE_ONCE(rq->nr_queued, rq->nr_queued + 1);
	p->enqueue_ns = rq->clock;
}

void core_dequeue(struct rq *rq, struct task *p)
{
	list_del_init(&p->rq_node);
	WRITE_ONCE(rq->nr_queued, rq->nr_queued - 1);
}

/* Charge the running task for the time since it last was. rq locked. */
void update_curr(struct rq *rq)
{
	struct task *curr = rq->curr;
	u64 now = ktime_get_ns();
	s64 delta = now - curr->exec_start;

	rq->clock = now;
	if (delta <= 0)
		return;
	curr->exec_start = now;
	WRITE_ONCE(curr->runtime_ns, curr->runtime_ns + delta);
	WRITE_ONCE(curr->cpu_runtime_ns[rq->cpu],
		   curr->cpu_runtime_ns[rq->cpu] + delta);
}

/* Make rq's CPU reschedule soon. Requires rq->lock. */
void resched_curr(struct rq *rq)
{
	struct cpu *c = cpu_of(rq->cpu);

	lockdep_assert_held(&rq->lock);
	if (READ_ONCE(c->need_resched))
		return;
	WRITE_ONCE(c->need_resched, true);
	if (rq->cpu != smp_processor_id())
		smp_send_reschedule(rq->cpu);
}

/*
 * Lock the runqueue p is on. Requires interrupts off; p->cpu changes
 * only under rq locks, so recheck it once the lock is held.
 */
static struct rq *task_rq_lock(struct task *p)
{
	for (;;) {
		struct rq *rq = cpu_rq(READ_ONCE(p->cpu));

		spin_lock(&rq->lock);
		if (rq->cpu == READ_ONCE(p->cpu))
			return rq;
		spin_unlock(&rq->lock);
	}
}

/* Lock rq2 too, keeping lower-CPU-first order; rq may be unlocked
 * for a moment. Requires rq->lock held, interrupts off. */
static void double_lock_balance(struct rq *rq, struct rq *rq2)
{
	lockdep_assert_held(&rq->lock);
	if (rq2->cpu > rq->cpu) {
		spin_lock(&rq2->lock);
		return;
	}
	spin_unlock(&rq->lock);
	spin_lock(&rq2->lock);
	spin_lock(&rq->lock);
}

/* Queue p (state TASK_RUNNING, off any rq) on rq. Requires rq->lock. */
static void activate_task(struct rq *rq, struct task *p, unsigned int flags)
{
	lockdep_assert_held(&rq->lock);
	update_curr(rq);
	p->cpu = rq->cpu;
	WRITE_ONCE(p->on_rq, 1);
	core_enqueue(rq, p);
	if (policy_task_wakeup(rq, p, flags) || rq->curr == rq->idle)
		resched_curr(rq);
}

/*
 * Move queued p from src to dst (both locked, p not running): the
 * policy lets it go (task_dequeue) and takes it on dst.
 */
static void move_queued_task(struct rq *src, struct rq *dst, struct task *p)
{
	lockdep_assert_held(&src->lock);
	lockdep_assert_held(&dst->lock);
	policy_task_dequeue(src, p);
	core_dequeue(src, p);
	update_curr(dst);
	p->cpu = dst->cpu;
	core_enqueue(dst, p);
	if (policy_task_wakeup(dst, p, WF_MIGRATED) || dst->curr == dst->idle)
		resched_curr(dst);
}

/* p still on its rq (not past schedule()): just keep it there. */
static bool ttwu_runnable(struct task *p)
{
	struct rq *rq = task_rq_lock(p);
	bool ret = false;

	if (p->on_rq) {
		WRITE_ONCE(p->state, TASK_RUNNING);
		ret = true;
	}
	spin_unlock(&rq->lock);
	return ret;
}

/* Queue p, off-CPU and off-rq, where the policy says. pi_lock held. */
static void ttwu_queue(struct task *p, unsigned int flags)
{
	unsigned int cpu = policy_select_cpu(p, p->cpu, flags);
	struct rq *rq = cpu_rq(cpu);

	lockdep_assert_held(&p->pi_lock);
	spin_lock(&rq->lock);
	WRITE_ONCE(p->state, TASK_RUNNING);
	activate_task(rq, p, flags);
	spin_unlock(&rq->lock);
}

/* Wake p if it is NEW or sleeps in one of the states wanted. */
static bool try_to_wake_up(struct task *p, bool blocked_too)
{
	int state;

	unsigned long flags;
	bool woken = false;

	spin_lock_irqsave(&p->pi_lock, flags);
	smp_mb();
	if (READ_ONCE(p->state) == TASK_NEW) {
		ttwu_queue(p, WF_NEW);
		woken = true;
		goto out;
	}
	state = READ_ONCE(p->state);
	if (state != TASK_INTERRUPTIBLE &&
	    (state != TASK_BLOCKED || !blocked_too))
		goto out;
	woken = true;
	if (READ_ONCE(p->on_rq) && ttwu_runnable(p))
		goto out;
	smp_rmb(); /* on_rq read 0 before on_cpu: see the file comment */
	while (smp_load_acquire(&p->on_cpu))
		cpu_relax();
	ttwu_queue(p, WF_WAKEUP);
out:
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return woken;
}

bool wake_up_process(struct task *p)
{
	return try_to_wake_up(p, true);
}

bool wake_up_interruptible_task(struct task *p)
{
	if (READ_ONCE(p->state) == TASK_NEW)
		return false;
	return try_to_wake_up(p, false);
}

/*
 * After the switch, on the new task: let the previous one go. A dead
 * one drops its own reference; one that had to leave this CPU (its
 * affinity changed) is queued where it may run.
 */
static void finish_task_switch(struct task *prev)
{
	struct rq *rq = this_rq();
	bool dead = prev->state == TASK_DEAD;
	bool migrate = prev->flags & PF_MIGRATE;

	prev->flags &= ~PF_MIGRATE;
	smp_store_release(&prev->on_cpu, 0);
	__spin_release(&rq->lock);
	preempt_enable_no_resched();
	if (migrate) {
		spin_lock(&prev->pi_lock);
		if (!prev->on_rq)
			ttwu_queue(prev, WF_MIGRATED);
		spin_unlock(&prev->pi_lock);
	}
	if (dead)
		put_task_dead(prev);
}

/* A new task's first instructions (from ret_from_kthread). */
void schedule_tail(struct task *prev)
{
	finish_task_switch(prev);
	local_irq_enable();
	preempt_check_resched();
}

static struct task *context_switch(struct task *prev, struct task *next)
{
	if (next->cr3 != prev->cr3)
		arch_load_page_tables(next->cr3);
	arch_switch_to(prev, next); /* kernel stack for user entry, FS */
	this_cpu_write(current_task, next);
	/* outside callbacks, next's policy init()/exit() (policy.c) */
	this_cpu_write(policy_tokens, READ_ONCE(next->policy_ctx));
	return __switch_to(prev, next);
}

/*
 * rq has nothing queued and is about to idle: offer the policy the
 * busiest other CPUs, one at a time, until it names a task to pull.
 * Requires rq->lock (dropped and retaken around double locking).
 */
static void idle_balance(struct rq *rq)
{
	cpumask_t tried = cpumask_of(rq->cpu);

	lockdep_assert_held(&rq->lock);
	if (!policy_can_balance())
		return;
	for (;;) {
		struct rq *src = NULL;
		struct task *p;
		unsigned int cpu, most = 0;

		for_each_online_cpu(cpu) {
			unsigned int n = READ_ONCE(cpu_rq(cpu)->nr_queued);

			if (!cpumask_test(tried, cpu) && n > most) {
				most = n;
				src = cpu_rq(cpu);
			}
		}
		if (!src)
			return;
		tried |= cpumask_of(src->cpu);
		double_lock_balance(rq, src);
		p = rq->nr_queued ? NULL : policy_balance(rq, src);
		if (p)
			move_queued_task(src, rq, p);
		spin_unlock(&src->lock);
		if (p || rq->nr_queued)
			return;
	}
}

static struct task *pick_next_task(struct rq *rq)
{
	struct task *p = rq->force_next;

	rq->force_next = NULL;
	if (p && task_queued_on(rq, p)) {
		policy_task_dequeue(rq, p);
		goto found;
	}
	if (!rq->nr_queued)
		idle_balance(rq);
	if (!rq->nr_queued)
		return rq->idle;
	p = policy_pick_next(rq);
found:
	core_dequeue(rq, p);
	return p;
}

/* prev leaves the CPU: off the runqueue, or back into its queue. */
static void put_prev_task(struct rq *rq, struct task *prev, bool preempt)
{
	int state = READ_ONCE(prev->state);

	if (prev->flags & PF_IDLE)
		return;
	if (state == TASK_DEAD ||
	    ((state == TASK_BLOCKED || state == TASK_INTERRUPTIBLE) &&
	     !preempt)) {
		WRITE_ONCE(prev->on_rq, 0);
		policy_task_blocked(rq, prev);
	} else if (!cpumask_test(prev->allowed, rq->cpu)) {
		WRITE_ONCE(prev->on_rq, 0);
		policy_task_blocked(rq, prev);
		prev->flags |= PF_MIGRATE;
	} else {
		core_enqueue(rq, prev);
		if (prev->flags & PF_YIELD)
			policy_task_yield(rq, prev);
		else
			policy_task_preempt(rq, prev);
	}
	prev->flags &= ~PF_YIELD;
}

/*
 * Pick the next task for this CPU and switch to it. preempt: prev was
 * interrupted (or yields) and stays runnable whatever its state says.
 */
static void __schedule(bool preempt)
{
	struct task *prev = current, *next;
	unsigned long flags = local_irq_save();
	struct rq *rq = this_rq();

	spin_lock(&rq->lock);
	this_cpu_write(need_resched, false);
	update_curr(rq);
	put_prev_task(rq, prev, preempt);
	next = pick_next_task(rq);
	if (next == prev) {
		spin_unlock_irqrestore(&rq->lock, flags);
		return;
	}
	next->exec_start = rq->clock;
	next->nr_switches++;
	rq->nr_switches++;
	WRITE_ONCE(next->on_cpu, 1);
	WRITE_ONCE(rq->curr, next);
	prev = context_switch(prev, next);
	/* now running as the task that once switched away from here */
	finish_task_switch(prev);
	local_irq_restore(flags);
}

/*
 * Sleeping where it is forbidden (preemption disabled: a spinlock held;
 * in an interrupt handler; interrupts disabled for might_sleep()) is a
 * bug that would deadlock or corrupt: refused with a panic, every build.
 */
static void __noreturn sleep_in_atomic(const char *where)
{
	panic("sleeping function called from invalid context (%s): "
	      "preempt_count %d, irq depth %u, irqs %s, locks held %u, "
	      "task %d",
	      where, preempt_count(), this_cpu_read(irq_depth),
	      irqs_disabled() ? "off" : "on", this_cpu_read(locks_held),
	      current ? current->pid : -1);
}

void schedule(void)
{
	if (unlikely(in_atomic()))
		sleep_in_atomic("schedule");
	if (unlikely(!sched_running)) {
		/* not yet: stay on the CPU; the caller's loop spins */
		WRITE_ONCE(current->state, TASK_RUNNING);
		return;
	}
	__schedule(false);
}

void sched_yield(void)
{
	if (!sched_running || in_atomic())
		return;
	current->flags |= PF_YIELD;
	__schedule(true);
}

void preempt_check_resched(void)
{
	if (preempt_count() || !sched_running || irqs_disabled() ||
	    this_cpu_read(irq_depth))
		return;
	/* NOLINTNEXTLINE(bugprone-infinite-loop): asm volatile re-reads */
	while (this_cpu_read(need_resched))
		__schedule(true);
}

void preempt_schedule_irq(void)
{
	if (preempt_count() || !sched_running || this_cpu_read(irq_depth))
		return;
	/* NOLINTNEXTLINE(bugprone-infinite-loop): asm volatile re-reads */
	while (this_cpu_read(need_resched))
		__schedule(true);
}

void do_task_dead(void)
{
	/*
	 * Under pi_lock, as Linux's set_special_state(): a try_to_wake_up()
	 * that read an earlier TASK_BLOCKED of ours (a receiver that set
	 * itself blocked, then saw it should stop) may still be about to
	 * write TASK_RUNNING over our state; without the lock that write
	 * could land after TASK_DEAD, and __schedule() would keep running a
	 * dead task (the BUG below).
	 */
	local_irq_disable();
	spin_lock(&current->pi_lock);
	WRITE_ONCE(current->state, TASK_DEAD);
	spin_unlock(&current->pi_lock); /* interrupts stay off: no preemption */
	__schedule(false);
	BUG();
}

void might_sleep(void)
{
	if (!READ_ONCE(sleep_checks))
		return;
	if (unlikely(in_atomic() || irqs_disabled()))
		sleep_in_atomic("might_sleep");
}

/* An idle CPU pulls work from a busy one at its next tick. */
static bool idle_should_pull(struct rq *rq)
{
	unsigned int cpu;

	if (!policy_can_balance())
		return false;
	for_each_online_cpu(cpu)
		if (cpu != rq->cpu && READ_ONCE(cpu_rq(cpu)->nr_queued))
			return true;
	return false;
}

void sched_tick(void)
{
	struct rq *rq = this_rq();
	bool resched;

	this_cpu_inc_64(ticks);
	if (!READ_ONCE(this_cpu()->online))
		return;
	spin_lock(&rq->lock);
	update_curr(rq);
	if (rq->curr == rq->idle)
		resched = rq->nr_queued || idle_should_pull(rq);
	else
		resched = policy_task_tick(rq, rq->curr);
	if (policy_watchdog(rq))
		resched = true;
	if (resched)
		resched_curr(rq);
	spin_unlock(&rq->lock);
	watchdog_tick();
}

int sched_set_nice(struct task *p, int nice)
{
	unsigned long flags;
	struct rq *rq;

	if (nice < NICE_MIN || nice > NICE_MAX)
		return -EINVAL;
	spin_lock_irqsave(&p->pi_lock, flags);
	rq = task_rq_lock(p);
	if (rq->curr == p)
		update_curr(rq);
	WRITE_ONCE(p->nice, nice);
	spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return 0;
}

/* p is queued on rq but may not stay: move it. rq and pi_lock held. */
static void migrate_queued(struct rq *rq, struct task *p)
{
	unsigned int cpu = policy_select_cpu(p, rq->cpu, WF_MIGRATED);
	struct rq *dst = cpu_rq(cpu);

	lockdep_assert_held(&rq->lock);
	double_lock_balance(rq, dst);
	if (task_queued_on(rq, p) && !p->on_cpu)
		move_queued_task(rq, dst, p);
	spin_unlock(&dst->lock);
}

int sched_setaffinity(struct task *p, cpumask_t mask)
{
	unsigned long flags;
	struct rq *rq;

	mask &= READ_ONCE(cpu_online_mask);
	if (!mask)
		return -EINVAL;
	spin_lock_irqsave(&p->pi_lock, flags);
	rq = task_rq_lock(p);
	WRITE_ONCE(p->allowed, mask);
	if (!cpumask_test(mask, rq->cpu)) {
		if (rq->curr == p)
			resched_curr(rq); /* leaves at its next switch */
		else if (task_queued_on(rq, p))
			migrate_queued(rq, p);
		else if (READ_ONCE(p->state) == TASK_NEW)
			p->cpu = cpumask_first(mask);
	}
	spin_unlock(&rq->lock);
	spin_unlock_irqrestore(&p->pi_lock, flags);
	return 0;
}

enum task_state task_state(const struct task *p)
{
	int state = READ_ONCE(p->state);

	if (state == TASK_DEAD)
		return TS_DEAD;
	if (state == TASK_NEW)
		return TS_NEW;
	if (READ_ONCE(p->on_cpu))
		return TS_RUNNING;
	if (READ_ONCE(p->on_rq))
		return TS_RUNNABLE;
	return TS_BLOCKED;
}

const char *task_state_name(enum task_state s)
{
	static const char *const names[] = {
		[TS_NEW] = "new",	    [TS_RUNNING] = "running",
		[TS_RUNNABLE] = "runnable", [TS_BLOCKED] = "blocked",
		[TS_DEAD] = "dead",
	};

	return s < ARRAY_SIZE(names) ? names[s] : "?";
}

/*
 * p's CPU time as charged so far: a running task is charged at every
 * tick and switch, so its current stretch (under a tick) is not in yet.
 */
u64 task_runtime_ns(const struct task *p)
{
	return READ_ONCE(p->runtime_ns);
}

static void rq_init(struct rq *rq, unsigned int cpu)
{
	spin_lock_init(&rq->lock);
	rq->cpu = cpu;
	INIT_LIST_HEAD(&rq->queue);
}

static int idle_thread(void *unused)
{
	cpu_idle();
}

struct task *sched_idle_task_create(unsigned int cpu)
{
	char name[TASK_COMM_LEN];
	struct task *idle;

	snprintf(name, sizeof(name), "idle/%u", cpu);
	idle = task_create(name, idle_thread, NULL, PF_IDLE);
	if (IS_ERR(idle))
		return NULL;
	/* policy callbacks run on a stack of their own (watchdog.h) */
	cpu_of(cpu)->policy_stack = kstack_alloc();
	cpu_of(cpu)->policy_stack_spare = kstack_alloc();
	if (!cpu_of(cpu)->policy_stack || !cpu_of(cpu)->policy_stack_spare)
		return NULL;
	idle->allowed = cpumask_of(cpu);
	idle->cpu = cpu;
	idle->state = TASK_RUNNING; /* never queued: on_rq stays 0 */
	cpu_rq(cpu)->idle = idle;
	cpu_rq(cpu)->curr = idle;
	cpu_of(cpu)->idle = idle;
	return idle;
}

void sched_init(void *boot_stack_top)
{
	struct rq *rq = cpu_rq(0);

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		rq_init(cpu_rq(cpu), cpu);
	init_task.stack_top = boot_stack_top;
	policy_init();
	task_init_boot();
	if (!sched_idle_task_create(0))
		panic("no memory for the boot CPU's idle task");
	WRITE_ONCE(rq->curr, &init_task);
	init_task.exec_start = ktime_get_ns();
	smp_mark_cpu_online(0);
	sched_running = true;
}

void sched_init_late(void)
{
	WRITE_ONCE(sleep_checks, true); /* boot is done with interrupts off */
	reaper_start();
	watchdog_start();
}

void sched_cpu_online(void)
{
	struct rq *rq = this_rq();

	rq->curr->exec_start = ktime_get_ns();
	WRITE_ONCE(rq->curr->on_cpu, 1);
	smp_mark_cpu_online(rq->cpu);
}

void cpu_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (this_cpu_read(need_resched)) {
			local_irq_enable();
			schedule();
			continue;
		}
		arch_safe_halt(); /* sti; hlt: no wake-up slips between */
	}
}
