// SPDX-License-Identifier: MIT
/*
 * record.c - record every call into one policy, for replay on the host.
 *
 * policy.c calls a policy through CALL() (record.h). While recording,
 * calls into the recorded policy land here instead: under record_lock
 * (interrupts off) the call appends a struct sched_rec to a ring
 * allocated at start (the callback, the CPU, the task argument's nice,
 * cpu, on_cpu, allowed mask and runtime, each runqueue argument's CPU,
 * current task and its runtime, queue length and queued tasks still on
 * a CPU, the online mask, which CPUs run their idle task, the
 * hand-over of task_export/task_adopt), makes the same call under the
 * policy guard (watchdog.h) and stores the answer the core got and
 * whether the callback panicked. Holding one lock around every
 * callback serialises the policy across CPUs, so the records' order is
 * the order in which the policy saw the world and changed its own
 * state: a replay that makes the same calls in that order must give
 * the same answers. It is a debug mode: while it runs, only one CPU at
 * a time is inside the policy.
 *
 * A trace starts from a known policy state: recording begins before the
 * policy is switched in (sched_record_start_policy), so it opens with
 * init, task_new for every task and task_adopt for each queued and
 * running one (with the hand-over the old policy exported; a policy
 * without task_adopt gets task_wakeup(WF_SWITCH) for queued ones). A
 * switch away from the policy ends the recording once the policy's
 * task_export calls are recorded. When
 * the ring is full, recording stops and the trace is marked truncated:
 * it is still a replayable prefix.
 *
 * Lock order: record_lock nests inside every scheduler lock (callbacks
 * run under them) and outside the allocator's and printk's (a policy
 * may allocate or log). record_mutex serialises start, stop, dump, free.
 */
#define pr_fmt(fmt) "sched: " fmt

#include <keel/bug.h>
#include <keel/errno.h>
#include <keel/lockdep.h>
#include <keel/monitor.h>
#include <keel/mutex.h>
#include <keel/printk.h>
#include <keel/slab.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>

#include "record.h"
#include "sched.h"
#include "sched_cmds.h"

#define LINE_LEN 400

const struct sched_policy_ops *record_ops;

static DEFINE_SPINLOCK(record_lock);
static DEFINE_MUTEX(record_mutex);
static const struct sched_policy_ops *ring_ops; /* what the ring holds */
static struct sched_rec *ring;
static unsigned int ring_cap, ring_len;
static bool truncated, switched_away;

static const char *const kind_names[SREC_NR_KINDS] = {
	[SREC_INIT] = "init",
	[SREC_TASK_NEW] = "task_new",
	[SREC_TASK_DEAD] = "task_dead",
	[SREC_TASK_WAKEUP] = "task_wakeup",
	[SREC_TASK_BLOCKED] = "task_blocked",
	[SREC_TASK_PREEMPT] = "task_preempt",
	[SREC_TASK_YIELD] = "task_yield",
	[SREC_TASK_DEQUEUE] = "task_dequeue",
	[SREC_TASK_TICK] = "task_tick",
	[SREC_PICK_NEXT] = "pick_next",
	[SREC_SELECT_CPU] = "select_cpu",
	[SREC_BALANCE] = "balance",
	[SREC_TASK_EXPORT] = "task_export",
	[SREC_TASK_ADOPT] = "task_adopt",
};

static void snap_task(struct sched_rec *r, const struct task *p)
{
	r->pid = p->pid;
	r->nice = READ_ONCE(p->nice);
	r->task_cpu = READ_ONCE(p->cpu);
	r->on_cpu = READ_ONCE(p->on_cpu);
	r->allowed = READ_ONCE(p->allowed);
	r->runtime_ns = READ_ONCE(p->runtime_ns);
}

/* rq's fields a policy reads. */
static void snap_rq(struct sched_rec_rq *s, const struct rq *rq)
{
	const struct task *curr = READ_ONCE(rq->curr), *q;
	unsigned int n = 0;

	lockdep_assert_held(&rq->lock);
	s->cpu = rq->cpu;
	s->curr_pid = curr->pid;
	s->curr_runtime = READ_ONCE(curr->runtime_ns);
	s->curr_idle = curr == rq->idle;
	s->nr_queued = READ_ONCE(rq->nr_queued);
	list_for_each_entry(q, &rq->queue, rq_node)
		if (READ_ONCE(q->on_cpu) && n < ARRAY_SIZE(s->oncpu_pid))
			s->oncpu_pid[n++] = q->pid;
}

/* The CPUs whose current task is their idle task (cpu_runs_idle()). */
static u64 idle_mask(void)
{
	u64 mask = 0;

	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++)
		if (READ_ONCE(cpu_data[cpu].current_task) ==
		    READ_ONCE(cpu_data[cpu].idle))
			mask |= 1ULL << cpu;
	return mask;
}

/*
 * Take the next slot for a call of kind into o, or NULL if o is not
 * (or no longer) recorded; stops recording when the ring is full.
 */
static struct sched_rec *rec_begin(const struct sched_policy_ops *o,
				   enum sched_rec_kind kind, struct rq *rq,
				   struct rq *src, struct task *p)
{
	struct sched_rec *r;

	lockdep_assert_held(&record_lock);
	if (READ_ONCE(record_ops) != o || !ring)
		return NULL;
	if (ring_len == ring_cap) {
		truncated = true;
		WRITE_ONCE(record_ops, NULL);
		return NULL;
	}
	r = &ring[ring_len];
	memset(r, 0, sizeof(*r));
	r->seq = ring_len++;
	r->kind = kind;
	r->cpu = smp_processor_id();
	r->rq.cpu = r->src.cpu = -1;
	if (p)
		snap_task(r, p);
	if (rq)
		snap_rq(&r->rq, rq);
	if (src)
		snap_rq(&r->src, src);
	r->online = READ_ONCE(cpu_online_mask);
	r->idle = idle_mask();
	return r;
}

/* The pid of a task a policy returned, if it is queued on rq. */
static s64 pid_if_queued(const struct rq *rq, const struct task *p)
{
	if (!p)
		return 0;
	return task_queued_on(rq, p) ? p->pid : -1;
}

/* init may sleep: the record is taken first, the call made unlocked. */
int record_init(const struct sched_policy_ops *o)
{
	unsigned int idx = ~0U;
	struct sched_rec *r;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&record_lock, flags);
	r = rec_begin(o, SREC_INIT, NULL, NULL, NULL);
	if (r)
		idx = r->seq;
	spin_unlock_irqrestore(&record_lock, flags);
	ret = o->init();
	spin_lock_irqsave(&record_lock, flags);
	if (idx < ring_len && ring[idx].kind == SREC_INIT) {
		ring[idx].result = ret;
		ring[idx].idle_after = idle_mask();
	}
	spin_unlock_irqrestore(&record_lock, flags);
	return ret;
}

/* The answer of a call of kind as the core reads it (the record's result). */
static s64 answer(enum sched_rec_kind kind, struct guard_ret ret,
		  unsigned long a, unsigned long b)
{
	if (ret.failed)
		return 0;
	switch (kind) {
	case SREC_TASK_NEW:
	case SREC_SELECT_CPU:
	case SREC_TASK_ADOPT: return (int)ret.val;
	case SREC_TASK_WAKEUP:
	case SREC_TASK_TICK: return (u8)ret.val; /* bool: %al */
	case SREC_PICK_NEXT:
		return pid_if_queued((struct rq *)a, (struct task *)ret.val);
	case SREC_BALANCE:
		return pid_if_queued((struct rq *)b, (struct task *)ret.val);
	default: return 0;
	}
}

static void snap_handover(struct sched_rec *r, const struct sched_handover *h)
{
	r->h_valid = h->valid;
	r->h_lag_ns = h->lag_ns;
	r->h_slice_left_ns = h->slice_left_ns;
}

/*
 * The recorded calls. The arguments are those of the callback kind
 * (include/keel/sched.h): task_new/task_dead (p), select_cpu (p,
 * prev_cpu, flags), pick_next (rq), balance (dst, src), task_wakeup
 * (rq, p, flags), task_export/task_adopt (rq, p, h, flags), the others
 * (rq, p). The guarded call is made with record_lock held: if it
 * panics, the guard unwinds to here and the lock is released below like
 * after any other call (policy_guard_recover() restores the lock count
 * the guard saw, which includes record_lock).
 */
struct guard_ret record_call(const struct sched_policy_ops *o,
			     enum sched_rec_kind kind, void (*fn)(void),
			     unsigned long a, unsigned long b, unsigned long c,
			     unsigned long d)
{
	struct rq *rq = NULL, *src = NULL;
	struct task *p = NULL;
	struct guard_ret ret;
	unsigned long flags;
	struct sched_rec *r;

	switch (kind) {
	case SREC_TASK_NEW:
	case SREC_TASK_DEAD:
	case SREC_SELECT_CPU: p = (struct task *)a; break;
	case SREC_PICK_NEXT: rq = (struct rq *)a; break;
	case SREC_BALANCE:
		rq = (struct rq *)a;
		src = (struct rq *)b;
		break;
	default:
		rq = (struct rq *)a;
		p = (struct task *)b;
		break;
	}
	spin_lock_irqsave(&record_lock, flags);
	r = rec_begin(o, kind, rq, src, p);
	if (r && kind == SREC_SELECT_CPU) {
		r->arg = b;
		r->flags = c;
	} else if (r && kind == SREC_TASK_WAKEUP) {
		r->flags = c;
	} else if (r && (kind == SREC_TASK_EXPORT || kind == SREC_TASK_ADOPT)) {
		r->flags = d;
		if (kind == SREC_TASK_ADOPT)
			snap_handover(r, (const struct sched_handover *)c);
	}
	ret = policy_guarded_tok(o, POLICY_TOKENS(o, kind), fn, a, b, c, d);
	if (r) {
		r->failed = ret.failed;
		r->result = answer(kind, ret, a, b);
		if (kind == SREC_TASK_EXPORT)
			snap_handover(r, (const struct sched_handover *)c);
		r->idle_after = idle_mask();
	}
	spin_unlock_irqrestore(&record_lock, flags);
	return ret;
}

bool record_lock_held(void)
{
	return spin_is_locked(&record_lock);
}

void record_policy_switch(const struct sched_policy_ops *old)
{
	unsigned long flags;

	if (!recording(old))
		return;
	spin_lock_irqsave(&record_lock, flags);
	if (record_ops == old) {
		WRITE_ONCE(record_ops, NULL);
		switched_away = true;
	}
	spin_unlock_irqrestore(&record_lock, flags);
	pr_info("record: stopped: policy %s switched away\n", old->name);
}

/* --- control: start, stop, dump, free --- */

/* Stop recording; after this no CPU writes the ring. record_mutex held. */
static void stop_locked(void)
{
	unsigned long flags;

	spin_lock_irqsave(&record_lock, flags);
	WRITE_ONCE(record_ops, NULL);
	spin_unlock_irqrestore(&record_lock, flags);
}

static void free_locked(void)
{
	unsigned long flags;
	struct sched_rec *old;

	stop_locked();
	spin_lock_irqsave(&record_lock, flags);
	old = ring;
	ring = NULL;
	ring_cap = ring_len = 0;
	spin_unlock_irqrestore(&record_lock, flags);
	kfree(old);
}

int sched_record_start(const struct sched_policy_ops *ops, unsigned int nr)
{
	struct sched_rec *new;
	unsigned long flags;
	int err = 0;

	BUILD_BUG_ON(sizeof(struct sched_rec) != 168); /* as documented */
	if (!ops)
		return -EINVAL;
	nr = nr ? nr : SCHED_REC_DEFAULT_RECORDS;
	if (nr > (1U << 20))
		return -EINVAL;
	mutex_lock(&record_mutex);
	if (READ_ONCE(record_ops)) {
		err = -EBUSY;
		goto out_unlock;
	}
	free_locked();
	new = kmalloc((size_t)nr * sizeof(*new), GFP_KERNEL);
	if (!new) {
		pr_err("record: no memory for %u records (%zu KiB)\n", nr,
		       (size_t)nr * sizeof(*new) / 1024);
		err = -ENOMEM;
		goto out_unlock;
	}
	spin_lock_irqsave(&record_lock, flags);
	ring = new;
	ring_cap = nr;
	ring_len = 0;
	ring_ops = ops;
	truncated = switched_away = false;
	WRITE_ONCE(record_ops, ops);
	spin_unlock_irqrestore(&record_lock, flags);
out_unlock:
	mutex_unlock(&record_mutex);
	return err;
}

int sched_record_start_policy(const char *name)
{
	const struct sched_policy_ops *target, *other;
	int err;

	if (READ_ONCE(record_ops))
		return -EBUSY; /* before any switch: that would end it */
	target = sched_policy_find(name ? name : sched_policy_name());
	if (!target)
		return -ENOENT;
	if (!strcmp(sched_policy_name(), target->name)) {
		/* a trace starts at init: switch away and back */
		other = sched_policy_other(target);
		if (!other)
			return -EINVAL;
		err = sched_policy_switch(other);
		if (err)
			return err;
	}
	err = sched_record_start(target, 0);
	if (err)
		return err;
	err = sched_policy_switch(target);
	if (err) {
		sched_record_stop();
		return err;
	}
	pr_info("record: recording policy %s (%u records)\n", target->name,
		SCHED_REC_DEFAULT_RECORDS);
	return 0;
}

void sched_record_stop(void)
{
	mutex_lock(&record_mutex);
	stop_locked();
	mutex_unlock(&record_mutex);
}

void sched_record_free(void)
{
	mutex_lock(&record_mutex);
	free_locked();
	mutex_unlock(&record_mutex);
}

void sched_record_status(struct sched_record_status *st)
{
	unsigned long flags;

	spin_lock_irqsave(&record_lock, flags);
	st->recording = READ_ONCE(record_ops) != NULL;
	st->truncated = truncated;
	st->switched_away = switched_away;
	st->records = ring_len;
	st->capacity = ring_cap;
	spin_unlock_irqrestore(&record_lock, flags);
}

int sched_record_get(unsigned int i, struct sched_rec *out)
{
	unsigned long flags;
	int err = -ENOENT;

	spin_lock_irqsave(&record_lock, flags);
	if (ring && i < ring_len) {
		*out = ring[i];
		err = 0;
	}
	spin_unlock_irqrestore(&record_lock, flags);
	return err;
}

static int format_rq(char *buf, size_t len, const struct sched_rec_rq *s)
{
	return snprintf(buf, len, " %d %d %llu %u %u %d %d", s->cpu,
			s->curr_pid, s->curr_runtime, s->nr_queued,
			s->curr_idle, s->oncpu_pid[0], s->oncpu_pid[1]);
}

/* One record as a dump line (without newline); returns its length. */
static int format_rec(char *buf, size_t len, const struct sched_rec *r)
{
	int n;

	n = snprintf(buf, len,
		     "SR %u %s %u %u %u %d %d %u %u %llx %llu %llx %llx",
		     r->seq, kind_names[r->kind], r->cpu, r->flags, r->arg,
		     r->pid, r->nice, r->task_cpu, r->on_cpu, r->allowed,
		     r->runtime_ns, r->online, r->idle);
	n += format_rq(buf + n, len - n, &r->rq);
	n += format_rq(buf + n, len - n, &r->src);
	n += snprintf(buf + n, len - n, " %lld %u %x %lld %llu %llx", r->result,
		      r->failed, r->h_valid, r->h_lag_ns, r->h_slice_left_ns,
		      r->idle_after);
	return n;
}

/* FNV-1a, 32 bits: the dump's checksum over its record lines. */
static u32 fnv1a(u32 h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (u8)s[i];
		h *= 16777619U;
	}
	return h;
}

int sched_record_dump(void)
{
	u32 sum = 2166136261U;
	char *line;
	int err = 0;

	line = kmalloc(LINE_LEN, GFP_KERNEL);
	if (!line)
		return -ENOMEM;
	mutex_lock(&record_mutex);
	if (READ_ONCE(record_ops)) {
		err = -EBUSY; /* stop first: the ring is still growing */
		goto out_unlock;
	}
	if (!ring) {
		err = -ENOENT;
		goto out_unlock;
	}
	monitor_printf(
		"sched-record begin format=%d policy=%s records=%u capacity=%u truncated=%d switched=%d\n",
		SCHED_REC_FORMAT, ring_ops->name, ring_len, ring_cap, truncated,
		switched_away);
	for (unsigned int i = 0; i < ring_len; i++) {
		int n = format_rec(line, LINE_LEN, &ring[i]);

		sum = fnv1a(sum, line, n);
		sum = fnv1a(sum, "\n", 1);
		monitor_printf("%s\n", line);
	}
	monitor_printf("sched-record end records=%u fnv1a=%08x\n", ring_len,
		       sum);
out_unlock:
	mutex_unlock(&record_mutex);
	kfree(line);
	return err;
}

/* --- the monitor's "sched record" (sched_cmds.c) --- */

static void print_status(void)
{
	struct sched_record_status st;

	sched_record_status(&st);
	monitor_printf("sched record: %s, %u of %u records%s%s\n",
		       st.recording ? "recording" : "stopped", st.records,
		       st.capacity,
		       st.truncated ? ", truncated (ring full)" : "",
		       st.switched_away ? ", ended by a policy switch" : "");
}

int sched_record_cmd(int argc, char **argv)
{
	const char *sub = argc > 1 ? argv[1] : NULL;
	int err = 0;

	if (!sub) {
		print_status();
		return 0;
	}
	if (!strcmp(sub, "start"))
		err = sched_record_start_policy(argc > 2 ? argv[2] : NULL);
	else if (!strcmp(sub, "stop"))
		sched_record_stop();
	else if (!strcmp(sub, "dump"))
		err = sched_record_dump();
	else if (!strcmp(sub, "free"))
		sched_record_free();
	else
		err = -EINVAL;
	if (err)
		pr_err("sched record %s: error %d\n", sub, err);
	else if (strcmp(sub, "dump"))
		print_status();
	return err;
}
