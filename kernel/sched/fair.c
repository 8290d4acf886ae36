// SPDX-License-Identifier: MIT
/*
 * fair.c - the weighted-fair reference policy (CFS-like).
 *
 * Each task accumulates virtual runtime: CPU time scaled by
 * NICE_0_WEIGHT / weight, with Linux's nice-to-weight table (each nice
 * step is ~10% of CPU, weights ~1.25x apart). Each CPU keeps its queue
 * sorted by vruntime and runs the smallest; so over time every task
 * gets CPU time in proportion to its weight.
 *
 *   min_vruntime  per CPU, never decreasing: the smallest vruntime of
 *                 the running and queued tasks. A blocked task keeps its
 *                 vruntime as it was on its CPU (meanwhile that CPU's
 *                 min_vruntime moves on, so a sleeper falls behind); a
 *                 task taken off a queue to move keeps its lag relative
 *                 to that queue's min_vruntime. Either way it is
 *                 re-expressed against the queue it joins, so vruntimes
 *                 of different CPUs are never compared.
 *   slices        the running task is preempted at a tick once it ran
 *                 SCHED_LATENCY * weight / queue weight (at least
 *                 MIN_GRANULARITY) and another task waits.
 *   wake-ups      a sleeper returns at no less than min_vruntime -
 *                 SCHED_LATENCY / 2 (Linux's "gentle fair sleepers"), so
 *                 it gets at most that much credit, and preempts the
 *                 running task if it is ahead by WAKEUP_GRANULARITY.
 *   placement     select_cpu prefers the previous CPU if idle, then any
 *                 idle allowed CPU, then the allowed CPU with the
 *                 shortest queue; new tasks go to the least loaded.
 *   balancing     an idle CPU pulls the queued task with the largest
 *                 vruntime (the one that would wait longest) that may
 *                 run on it.
 *   hand-over     at a live switch a queued or running task is
 *                 exported as its lag behind the queue's weighted
 *                 average vruntime, and adopted at vruntime -lag (the
 *                 queues are empty then, their zero-lag point is 0).
 *
 * Locking: each CPU's fair_rq is protected by that CPU's rq lock (every
 * callback but select_cpu runs with it; balance has both). select_cpu
 * reads only word-sized counters racily.
 */
#include <keel/errno.h>
#include <keel/sched.h>
#include <keel/time.h>

#define NICE_0_WEIGHT	   1024
#define SCHED_LATENCY	   (20 * NSEC_PER_MSEC)
#define MIN_GRANULARITY	   (4 * NSEC_PER_MSEC)
#define WAKEUP_GRANULARITY (4 * NSEC_PER_MSEC)
#define HANDOVER_LAG_MAX   (10 * (s64)NSEC_PER_SEC) /* adopted lag: +-10 s */

#define slice_start se.data[0] /* runtime_ns when it last got the CPU */
#define blocked_on  se.data[1] /* CPU + 1 whose vruntime it kept; 0: lag */

struct fair_rq {
	struct list_head queue; /* queued tasks by vruntime, ascending */
	unsigned int nr;
	s64 min_vruntime;
	struct task *curr; /* the fair task running on this CPU */
	struct task *skip; /* yielded: pass it over once */
};

static struct fair_rq fair_rqs[NR_CPUS];

/* Linux's sched_prio_to_weight[], nice -20 .. 19. */
static const unsigned int prio_to_weight[40] = {
	88761, 71755, 56483, 46273, 36291, 29154, 23254, 18705, 14949, 11916,
	9548,  7620,  6100,  4904,  3906,  3121,  2501,	 1991,	1586,  1277,
	1024,  820,   655,   526,   423,   335,	  272,	 215,	172,   137,
	110,   87,    70,    56,    45,	   36,	  29,	 23,	18,    15,
};

static unsigned int weight_of(const struct task *p)
{
	return prio_to_weight[READ_ONCE(p->nice) - NICE_MIN];
}

static struct fair_rq *fair_rq_of(const struct rq *rq)
{
	return &fair_rqs[rq->cpu];
}

static struct task *first_queued(struct fair_rq *frq)
{
	return frq->nr ? list_first_entry(&frq->queue, struct task, se.node) :
			 NULL;
}

static void update_min_vruntime(struct fair_rq *frq)
{
	struct task *first = first_queued(frq);
	s64 v = frq->min_vruntime;
	bool have = false;

	if (frq->curr) {
		v = frq->curr->se.vruntime;
		have = true;
	}
	if (first && (!have || first->se.vruntime < v))
		v = first->se.vruntime;
	if (v > frq->min_vruntime)
		frq->min_vruntime = v;
}

/* Charge p's CPU time since its last update as virtual runtime. */
static void update_vruntime(struct fair_rq *frq, struct task *p)
{
	u64 delta = p->runtime_ns - p->se.prev_runtime;

	p->se.prev_runtime = p->runtime_ns;
	p->se.vruntime += delta * NICE_0_WEIGHT / weight_of(p);
	update_min_vruntime(frq);
}

static void queue_sorted(struct fair_rq *frq, struct task *p)
{
	struct task *it;

	list_for_each_entry(it, &frq->queue, se.node) {
		if (p->se.vruntime < it->se.vruntime) {
			list_add_tail(&p->se.node, &it->se.node);
			goto out;
		}
	}
	list_add_tail(&p->se.node, &frq->queue);
out:
	frq->nr++;
}

static void unqueue(struct fair_rq *frq, struct task *p)
{
	list_del_init(&p->se.node);
	frq->nr--;
	if (frq->skip == p)
		frq->skip = NULL;
}

static int fair_init(void)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		INIT_LIST_HEAD(&fair_rqs[cpu].queue);
		fair_rqs[cpu].nr = 0;
		fair_rqs[cpu].min_vruntime = 0;
		fair_rqs[cpu].curr = NULL;
		fair_rqs[cpu].skip = NULL;
	}
	return 0;
}

static int fair_task_new(struct task *p)
{
	INIT_LIST_HEAD(&p->se.node);
	p->blocked_on = 0;
	p->se.vruntime = 0; /* lag: joins at its queue's min_vruntime */
	p->se.prev_runtime = p->runtime_ns;
	p->slice_start = p->runtime_ns;
	return 0;
}

/* p's vruntime in frq's terms (see "min_vruntime" above). */
static s64 vruntime_here(struct fair_rq *frq, const struct task *p)
{
	const struct fair_rq *from;

	if (!p->blocked_on)
		return frq->min_vruntime + p->se.vruntime; /* a lag */
	from = &fair_rqs[p->blocked_on - 1];
	if (from == frq)
		return p->se.vruntime;
	return p->se.vruntime - READ_ONCE(from->min_vruntime) +
	       frq->min_vruntime;
}

static bool fair_task_wakeup(struct rq *rq, struct task *p, unsigned int flags)
{
	struct fair_rq *frq = fair_rq_of(rq);
	s64 floor = frq->min_vruntime - (s64)(SCHED_LATENCY / 2);
	struct task *curr = frq->curr;
	s64 v;

	if (curr)
		update_vruntime(frq, curr);
	if (flags & (WF_NEW | WF_SWITCH))
		v = frq->min_vruntime;
	else
		v = vruntime_here(frq, p);
	if ((flags & WF_WAKEUP) && v < floor)
		v = floor;
	p->se.vruntime = v;
	p->blocked_on = 0;
	p->se.prev_runtime = p->runtime_ns;
	queue_sorted(frq, p);
	return curr && curr == rq->curr &&
	       v + (s64)WAKEUP_GRANULARITY < curr->se.vruntime;
}

/* p leaves the CPU without being queued here: keep its vruntime. */
static void fair_task_blocked(struct rq *rq, struct task *p)
{
	struct fair_rq *frq = fair_rq_of(rq);

	update_vruntime(frq, p);
	if (frq->curr == p)
		frq->curr = NULL;
	p->blocked_on = rq->cpu + 1;
}

static void fair_task_preempt(struct rq *rq, struct task *p)
{
	struct fair_rq *frq = fair_rq_of(rq);

	update_vruntime(frq, p);
	if (frq->curr == p)
		frq->curr = NULL;
	queue_sorted(frq, p);
}

static void fair_task_yield(struct rq *rq, struct task *p)
{
	fair_task_preempt(rq, p);
	fair_rq_of(rq)->skip = p;
}

static void fair_task_dequeue(struct rq *rq, struct task *p)
{
	struct fair_rq *frq = fair_rq_of(rq);

	unqueue(frq, p);
	p->se.vruntime -= frq->min_vruntime; /* keep the lag */
	p->blocked_on = 0;
}

static bool fair_task_tick(struct rq *rq, struct task *p)
{
	struct fair_rq *frq = fair_rq_of(rq);
	u64 load = weight_of(p), slice;
	struct task *it;

	update_vruntime(frq, p);
	if (!frq->nr)
		return false;
	list_for_each_entry(it, &frq->queue, se.node)
		load += weight_of(it);
	slice = SCHED_LATENCY * weight_of(p) / load;
	if (slice < MIN_GRANULARITY)
		slice = MIN_GRANULARITY;
	return p->runtime_ns - p->slice_start >= slice;
}

static struct task *fair_pick_next(struct rq *rq)
{
	struct fair_rq *frq = fair_rq_of(rq);
	struct task *p = first_queued(frq);

	if (!p)
		return NULL;
	if (p == frq->skip && frq->nr > 1)
		p = list_entry(p->se.node.next, struct task, se.node);
	frq->skip = NULL;
	unqueue(frq, p);
	frq->curr = p;
	p->slice_start = p->runtime_ns;
	update_min_vruntime(frq);
	return p;
}

/* p's vruntime now, without charging anything (p running or queued). */
static s64 vruntime_now(const struct fair_rq *frq, const struct task *p)
{
	if (frq->curr != p)
		return p->se.vruntime;
	/* NOLINTNEXTLINE(clang-analyzer-core.NullDereference): p is a task */
	return p->se.vruntime + (s64)((p->runtime_ns - p->se.prev_runtime) *
				      NICE_0_WEIGHT / weight_of(p));
}

/* The weighted average vruntime of frq's running and queued tasks. */
static s64 avg_vruntime(const struct fair_rq *frq)
{
	s64 base = frq->min_vruntime, sum = 0, load = 0;
	const struct task *it;

	if (frq->curr) {
		sum = (vruntime_now(frq, frq->curr) - base) *
		      weight_of(frq->curr);
		load = weight_of(frq->curr);
	}
	list_for_each_entry(it, &frq->queue, se.node) {
		sum += (it->se.vruntime - base) * weight_of(it);
		load += weight_of(it);
	}
	return load ? base + sum / load : base;
}

static void fair_task_export(struct rq *rq, struct task *p,
			     struct sched_handover *h, unsigned int flags)
{
	struct fair_rq *frq = fair_rq_of(rq);

	if ((flags & WF_RUNNING) && frq->curr != p)
		return; /* running since before fair was switched in */
	h->lag_ns = avg_vruntime(frq) - vruntime_now(frq, p);
	h->valid = SH_LAG;
}

static int fair_task_adopt(struct rq *rq, struct task *p,
			   const struct sched_handover *h, unsigned int flags)
{
	struct fair_rq *frq = fair_rq_of(rq);
	s64 lag = h->valid & SH_LAG ? h->lag_ns : 0;

	if (lag > HANDOVER_LAG_MAX || lag < -HANDOVER_LAG_MAX)
		lag = lag > 0 ? HANDOVER_LAG_MAX : -HANDOVER_LAG_MAX;
	p->se.vruntime = -lag;
	p->se.prev_runtime = p->runtime_ns;
	p->blocked_on = 0;
	p->slice_start = p->runtime_ns;
	if (p->se.vruntime < frq->min_vruntime)
		frq->min_vruntime = p->se.vruntime;
	if (flags & WF_RUNNING)
		frq->curr = p;
	else
		queue_sorted(frq, p);
	return 0;
}

static bool cpu_is_idle(unsigned int cpu)
{
	const struct cpu *c = cpu_of(cpu);

	return READ_ONCE(c->current_task) == c->idle &&
	       !READ_ONCE(fair_rqs[cpu].nr);
}

static int fair_select_cpu(struct task *p, unsigned int prev_cpu,
			   unsigned int flags)
{
	cpumask_t allowed = READ_ONCE(p->allowed) & READ_ONCE(cpu_online_mask);
	unsigned int cpu, best = prev_cpu, best_nr = ~0U;

	if (!(flags & WF_NEW) && cpumask_test(allowed, prev_cpu) &&
	    cpu_is_idle(prev_cpu))
		return prev_cpu;
	for_each_cpu(cpu, allowed)
		if (cpu_is_idle(cpu))
			return cpu;
	for_each_cpu(cpu, allowed) {
		unsigned int nr = READ_ONCE(fair_rqs[cpu].nr) + 1;

		if (nr < best_nr || (nr == best_nr && cpu == prev_cpu)) {
			best = cpu;
			best_nr = nr;
		}
	}
	return best;
}

/* The queued task of src that would wait longest and may run on dst. */
static struct task *fair_balance(struct rq *dst, struct rq *src)
{
	struct fair_rq *frq = fair_rq_of(src);
	struct list_head *pos;

	for (pos = frq->queue.prev; pos != &frq->queue; pos = pos->prev) {
		struct task *p = list_entry(pos, struct task, se.node);

		if (cpumask_test(p->allowed, dst->cpu) && !p->on_cpu)
			return p;
	}
	return NULL;
}

const struct sched_policy_ops fair_policy = {
	.name = "fair",
	.init = fair_init,
	.task_new = fair_task_new,
	.task_wakeup = fair_task_wakeup,
	.task_blocked = fair_task_blocked,
	.task_preempt = fair_task_preempt,
	.task_yield = fair_task_yield,
	.task_dequeue = fair_task_dequeue,
	.task_tick = fair_task_tick,
	.pick_next = fair_pick_next,
	.select_cpu = fair_select_cpu,
	.balance = fair_balance,
	.task_export = fair_task_export,
	.task_adopt = fair_task_adopt,
};
