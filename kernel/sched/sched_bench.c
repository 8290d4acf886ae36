// SPDX-License-Identifier: MIT
/*
 * sched_bench.c - scheduler benchmarks (bench=1), in-kernel versions of
 * the classic ones, as the baseline policies are compared against:
 *
 *   sched_pipe_same_cpu, sched_pipe_cross_cpu
 *	perf bench sched pipe: two threads pass a 4-byte token back and
 *	forth through a pair of one-slot channels (a wait queue each),
 *	both on one CPU or on two; ns per round trip.
 *   sched_messaging
 *	perf bench sched messaging / hackbench: groups of senders and
 *	receivers; every sender sends `iters` 100-byte messages to every
 *	receiver of its group through the receiver's bounded ring; total
 *	time in ms. sched_messaging_run() is the same workload for the
 *	monitor (`sched msg N`, used to record a trace for replay).
 *   wakeup_latency_p50, wakeup_latency_p99
 *	schbench-like: a messenger wakes workers one at a time on another
 *	CPU where a busy thread runs; the latency is from the wake-up call
 *	to the worker running; the median and 99th percentile in ns.
 *
 * Needs two CPUs for the cross-CPU cases (tools/bench.py boots -smp 2);
 * with one, those cases report -ENODEV.
 */
#include <keel/bench.h>
#include <keel/errno.h>
#include <keel/kthread.h>
#include <keel/monitor.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/sched_record.h>
#include <keel/slab.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/wait.h>

#include "sched_cmds.h"

/*
 * Every case runs three times, one after the other: under the C fair
 * policy (its own name), under the Rust fair policy, kernel/sched/
 * fair_rs.rs (name_rs), and under the Rust EEVDF policy, kernel/sched/
 * eevdf.rs (name_eevdf), switched to live before the case starts.
 * The switch back to C fair is not timed.
 */
static int under_policy(struct bench *b, const char *policy,
			int (*fn)(struct bench *b))
{
	int err = sched_policy_switch_to(policy);

	if (err)
		return err;
	err = fn(b);
	if (!err && !b->result_unit)
		bench_set_result(
			b, (ktime_get_ns() - b->start_ns) * 1000 / b->iters,
			"ns/op");
	sched_policy_switch(&fair_policy);
	return err;
}

#define SCHED_BENCH(cname, fn, niters)                 \
	BENCH_CASE(cname, fn, niters);                 \
	static int fn##_rs(struct bench *b)            \
	{                                              \
		return under_policy(b, "fair_rs", fn); \
	}                                              \
	BENCH_CASE(cname##_rs, fn##_rs, niters);       \
	static int fn##_eevdf(struct bench *b)         \
	{                                              \
		return under_policy(b, "eevdf", fn);   \
	}                                              \
	BENCH_CASE(cname##_eevdf, fn##_eevdf, niters)

/* ---- pipe: one-slot channels ---- */

struct chan {
	struct wait_queue_head wq;
	int full;
	u32 token;
};

static void chan_send(struct chan *c, u32 token)
{
	wait_event(c->wq, !smp_load_acquire(&c->full));
	c->token = token;
	smp_store_release(&c->full, 1);
	wake_up(&c->wq);
}

static u32 chan_recv(struct chan *c)
{
	u32 token;

	wait_event(c->wq, smp_load_acquire(&c->full));
	token = c->token;
	smp_store_release(&c->full, 0);
	wake_up(&c->wq);
	return token;
}

struct pipe {
	struct chan ping, pong;
	u64 rounds;
	int err;
};

static int pipe_echo(void *data)
{
	struct pipe *pp = data;

	for (u64 i = 0; i < pp->rounds; i++)
		chan_send(&pp->pong, chan_recv(&pp->ping) + 1);
	return 0;
}

static int pipe_client(void *data)
{
	struct pipe *pp = data;

	for (u64 i = 0; i < pp->rounds; i++) {
		chan_send(&pp->ping, (u32)i);
		if (chan_recv(&pp->pong) != (u32)i + 1)
			pp->err = -EIO;
	}
	return 0;
}

/* The two sides on cpu_a and cpu_b; time from start to both done. */
static int run_pipe(struct bench *b, unsigned int cpu_a, unsigned int cpu_b)
{
	struct pipe *pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	struct task *echo, *client;
	int err = 0;

	if (!pp)
		return -ENOMEM;
	pp->rounds = b->iters;
	echo = kthread_create(pipe_echo, pp, "pipe-echo");
	client = kthread_create(pipe_client, pp, "pipe-client");
	if (IS_ERR(echo) || IS_ERR(client)) {
		err = -ENOMEM;
		goto out_stop;
	}
	kthread_bind(echo, cpu_b);
	kthread_bind(client, cpu_a);
	bench_reset_timer(b);
	wake_up_process(echo);
	wake_up_process(client);
out_stop:
	if (!IS_ERR(client))
		kthread_stop(client); /* waits for all its round trips */
	if (!IS_ERR(echo))
		kthread_stop(echo);
	err = err ? err : pp->err;
	kfree(pp);
	return err;
}

/* The CPU the benchmark threads use: not the runner's, if possible. */
static unsigned int bench_cpu(void)
{
	return num_online_cpus() - 1;
}

static int pipe_same_cpu(struct bench *b)
{
	return run_pipe(b, bench_cpu(), bench_cpu());
}
SCHED_BENCH(sched_pipe_same_cpu, pipe_same_cpu, 100000);

static int pipe_cross_cpu(struct bench *b)
{
	if (num_online_cpus() < 2)
		return -ENODEV;
	return run_pipe(b, 0, 1);
}
SCHED_BENCH(sched_pipe_cross_cpu, pipe_cross_cpu, 100000);

/* ---- messaging: hackbench-like groups ---- */

#define MSG_GROUPS    4
#define MSG_SENDERS   10
#define MSG_RECEIVERS 10
#define MSG_SIZE      100
#define RING_SLOTS    16

struct ring {
	spinlock_t lock;
	struct wait_queue_head wq;
	unsigned int head, tail; /* head - tail messages queued */
	u8 slot[RING_SLOTS][MSG_SIZE];
};

struct group {
	struct ring rings[MSG_RECEIVERS];
	u64 loops;
	u64 checksum[MSG_RECEIVERS];
};

struct member {
	struct group *g;
	int index;
};

static void ring_put(struct ring *r, const u8 *msg)
{
	unsigned long flags;

	for (;;) {
		wait_event(r->wq, READ_ONCE(r->head) - READ_ONCE(r->tail) <
					  RING_SLOTS);
		spin_lock_irqsave(&r->lock, flags);
		if (r->head - r->tail < RING_SLOTS)
			break;
		spin_unlock_irqrestore(&r->lock, flags);
	}
	memcpy(r->slot[r->head % RING_SLOTS], msg, MSG_SIZE);
	r->head++;
	spin_unlock_irqrestore(&r->lock, flags);
	wake_up(&r->wq);
}

static u8 ring_get(struct ring *r)
{
	unsigned long flags;
	u8 first;

	wait_event(r->wq, READ_ONCE(r->head) != READ_ONCE(r->tail));
	spin_lock_irqsave(&r->lock, flags);
	first = r->slot[r->tail % RING_SLOTS][0];
	r->tail++;
	spin_unlock_irqrestore(&r->lock, flags);
	wake_up(&r->wq);
	return first;
}

static int sender(void *data)
{
	struct member *m = data;
	u8 msg[MSG_SIZE];

	memset(msg, m->index, sizeof(msg));
	for (u64 i = 0; i < m->g->loops; i++)
		for (int r = 0; r < MSG_RECEIVERS; r++)
			ring_put(&m->g->rings[r], msg);
	return 0;
}

static int receiver(void *data)
{
	struct member *m = data;
	u64 n = m->g->loops * MSG_SENDERS, sum = 0;

	for (u64 i = 0; i < n; i++) /* one ring: only one reader */
		sum += ring_get(&m->g->rings[m->index]);
	m->g->checksum[m->index] = sum;
	return 0;
}

struct messaging {
	struct group groups[MSG_GROUPS];
	struct member members[MSG_GROUPS][MSG_SENDERS + MSG_RECEIVERS];
	struct task *tasks[MSG_GROUPS * (MSG_SENDERS + MSG_RECEIVERS)];
};

/* All threads on cpu (or wherever the policy puts them, if cpu < 0). */
static int messaging_run_on(unsigned int loops, int cpu, u64 *elapsed_ns)
{
	struct messaging *ms = kzalloc(sizeof(*ms), GFP_KERNEL);
	u64 want = (u64)loops * (MSG_SENDERS * (MSG_SENDERS - 1) / 2);
	unsigned int n = 0;
	u64 t0 = ktime_get_ns();
	int err = 0;

	if (!ms)
		return -ENOMEM;
	for (int g = 0; g < MSG_GROUPS; g++) {
		ms->groups[g].loops = loops;
		for (int i = 0; i < MSG_SENDERS + MSG_RECEIVERS; i++) {
			struct member *m = &ms->members[g][i];
			bool send = i < MSG_SENDERS;

			m->g = &ms->groups[g];
			m->index = send ? i : i - MSG_SENDERS;
			ms->tasks[n] = kthread_create(send ? sender : receiver,
						      m, "%s/%d.%d",
						      send ? "snd" : "rcv", g,
						      m->index);
			if (IS_ERR(ms->tasks[n])) {
				err = PTR_ERR(ms->tasks[n]);
				goto out_stop;
			}
			if (cpu >= 0)
				kthread_bind(ms->tasks[n], cpu);
			n++;
		}
	}
	t0 = ktime_get_ns();
	for (unsigned int i = 0; i < n; i++)
		wake_up_process(ms->tasks[i]);
out_stop:
	for (unsigned int i = 0; i < n; i++)
		kthread_stop(ms->tasks[i]);
	*elapsed_ns = ktime_get_ns() - t0;
	for (int g = 0; g < MSG_GROUPS && !err; g++)
		for (int r = 0; r < MSG_RECEIVERS; r++)
			if (ms->groups[g].checksum[r] != want)
				err = -EIO;
	kfree(ms);
	return err;
}

int sched_messaging_run(unsigned int loops, u64 *elapsed_ns)
{
	return messaging_run_on(loops, -1, elapsed_ns);
}

/* The monitor's "sched msg [N]" (sched_cmds.c). */
int sched_msg_cmd(int argc, char **argv)
{
	unsigned int loops = 1;
	u64 ns;
	int err;

	if (argc > 1 && kstrtouint(argv[1], 10, &loops))
		return -EINVAL;
	err = sched_messaging_run(loops, &ns);
	monitor_printf("sched msg: %u loops under %s: %llu ms, %s (%d)\n",
		       loops, sched_policy_name(), ns / NSEC_PER_MSEC,
		       err ? "failed" : "ok", err);
	return err;
}

static int messaging_on(struct bench *b, int cpu)
{
	u64 elapsed = 0; /* not set when the run fails */
	int err = messaging_run_on(b->iters, cpu, &elapsed);

	bench_set_result(b, elapsed / NSEC_PER_USEC, "ms");
	return err;
}

static int messaging(struct bench *b)
{
	return messaging_on(b, -1);
}
SCHED_BENCH(sched_messaging, messaging, 100);

/*
 * The same on one CPU. With two, which thread runs where and when
 * depends on where each CPU stands when the other wakes it, so a few
 * instructions more anywhere reshuffle the whole run (under icount too):
 * its total moves by tens of percent between builds and says little
 * about the cost of the code. On one CPU the order follows from the
 * policy's decisions alone.
 */
static int messaging_1cpu(struct bench *b)
{
	return messaging_on(b, bench_cpu());
}
SCHED_BENCH(sched_messaging_1cpu, messaging_1cpu, 100);

/* ---- wake-up latency ---- */

#define LAT_SAMPLES 2000
#define LAT_WORKERS 4

struct lat_worker {
	struct wait_queue_head wq;
	u64 woken_at; /* 0: asleep; else the waker's ktime */
	struct lat_run *run;
};

struct lat_run {
	struct lat_worker w[LAT_WORKERS];
	struct completion ack;
	u64 samples[LAT_SAMPLES];
	unsigned int n;
	int stop;
};

static int lat_worker_fn(void *data)
{
	struct lat_worker *w = data;
	struct lat_run *run = w->run;

	for (;;) {
		u64 at;

		wait_event(w->wq,
			   READ_ONCE(w->woken_at) || kthread_should_stop());
		at = READ_ONCE(w->woken_at);
		if (!at)
			return 0;
		if (run->n < LAT_SAMPLES)
			run->samples[run->n++] = ktime_get_ns() - at;
		WRITE_ONCE(w->woken_at, 0);
		complete(&run->ack);
	}
}

static int lat_hog(void *data)
{
	struct lat_run *run = data;

	while (!READ_ONCE(run->stop))
		cpu_relax();
	return 0;
}

static void sort_u64(u64 *a, unsigned int n)
{
	for (unsigned int gap = n / 2; gap; gap /= 2) /* Shell sort */
		for (unsigned int i = gap; i < n; i++)
			for (unsigned int j = i; j >= gap && a[j - gap] > a[j];
			     j -= gap) {
				u64 x = a[j];

				a[j] = a[j - gap];
				a[j - gap] = x;
			}
}

/* Fill run->samples with n wake-up latencies, sorted. */
static int measure_wakeups(struct lat_run *run, unsigned int n)
{
	struct task *tasks[LAT_WORKERS + 1];
	unsigned int cpu = bench_cpu();
	int err = 0, made = 0;

	init_completion(&run->ack);
	tasks[made] = kthread_run_on_cpu(lat_hog, run, cpu, "lat-hog");
	if (IS_ERR(tasks[made]))
		return PTR_ERR(tasks[made]);
	made++;
	for (int i = 0; i < LAT_WORKERS; i++, made++) {
		run->w[i].run = run;
		tasks[made] = kthread_run_on_cpu(lat_worker_fn, &run->w[i], cpu,
						 "lat-worker/%d", i);
		if (IS_ERR(tasks[made])) {
			err = PTR_ERR(tasks[made]);
			goto out_stop;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		struct lat_worker *w = &run->w[i % LAT_WORKERS];

		WRITE_ONCE(w->woken_at, ktime_get_ns());
		wake_up(&w->wq);
		wait_for_completion(&run->ack);
	}
out_stop:
	WRITE_ONCE(run->stop, 1);
	while (made--)
		kthread_stop(tasks[made]);
	sort_u64(run->samples, run->n);
	return err ? err : (run->n ? 0 : -EIO);
}

static int wakeup_percentile(struct bench *b, unsigned int pct)
{
	struct lat_run *run = kzalloc(sizeof(*run), GFP_KERNEL);
	int err;

	if (!run)
		return -ENOMEM;
	err = measure_wakeups(run,
			      b->iters < LAT_SAMPLES ? b->iters : LAT_SAMPLES);
	if (!err)
		bench_set_result(
			b, run->samples[(run->n - 1) * pct / 100] * 1000, "ns");
	kfree(run);
	return err;
}

static int wakeup_p50(struct bench *b)
{
	return wakeup_percentile(b, 50);
}
SCHED_BENCH(wakeup_latency_p50, wakeup_p50, LAT_SAMPLES);

static int wakeup_p99(struct bench *b)
{
	return wakeup_percentile(b, 99);
}
SCHED_BENCH(wakeup_latency_p99, wakeup_p99, LAT_SAMPLES);

/* ---- live policy switch: the pause ---- */

#define SWITCH_BENCH_HOGS 4

static int switch_hog(void *data)
{
	while (!READ_ONCE(*(int *)data))
		cpu_relax();
	return 0;
}

/*
 * sched_policy_switch() between C fair and Rust fair under load (4 busy
 * threads): the mean time every runqueue lock was held per switch, the
 * time no CPU could schedule. Each iteration is two switches.
 */
static int switch_pause(struct bench *b)
{
	struct task *p[SWITCH_BENCH_HOGS];
	u64 total = 0;
	int stop = 0, n = 0, err = 0;

	for (; n < SWITCH_BENCH_HOGS; n++) {
		p[n] = kthread_run(switch_hog, &stop, "swbench/%d", n);
		if (IS_ERR(p[n])) {
			err = PTR_ERR(p[n]);
			break;
		}
	}
	for (u64 i = 0; i < b->iters && !err; i++) {
		err = sched_policy_switch_to("fair_rs");
		total += sched_policy_last_pause_ns();
		if (!err)
			err = sched_policy_switch(&fair_policy);
		total += sched_policy_last_pause_ns();
	}
	sched_policy_switch(&fair_policy);
	WRITE_ONCE(stop, 1);
	for (int i = 0; i < n; i++)
		kthread_stop(p[i]);
	if (!err && b->iters)
		bench_set_result(b, total * 1000 / (2 * b->iters), "ns");
	return err;
}
BENCH_CASE(sched_switch_pause, switch_pause, 5);
