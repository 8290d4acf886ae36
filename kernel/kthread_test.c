// SPDX-License-Identifier: MIT
/*
 * kthread_test.c - tests of kernel threads (kernel/kthread.c) and the
 * task life cycle: start, states, exit codes, stop, reaping, affinity,
 * names, and that creating and reaping threads leaks nothing.
 *
 * Waits end on the awaited event or after a generous deadline (so a
 * broken scheduler fails a case instead of hanging the run); no case
 * bounds how long anything may take.
 */
#include <asm/pgtable.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/timer.h>
#include <keel/vmalloc.h>

#define DEADLINE_MS 20000

/* Sleep-poll until pred(arg) or the deadline; returns pred's last value. */
static bool wait_until(bool (*pred)(void *arg), void *arg)
{
	for (unsigned int ms = 0; ms < DEADLINE_MS; ms++) {
		if (pred(arg))
			return true;
		msleep(1);
	}
	return pred(arg);
}

static bool is_blocked(void *p)
{
	return task_state(p) == TS_BLOCKED;
}

static int return_arg(void *data)
{
	return (int)(long)data;
}

static int exit_early(void *data)
{
	kthread_exit(-(int)(long)data);
	return 0; /* not reached */
}

static int sleep_until_stopped(void *data)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_BLOCKED);
		if (kthread_should_stop()) {
			set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
	}
	return 7;
}

static void stop_returns_thread_result(struct ktest *t)
{
	struct task *p = kthread_run(return_arg, (void *)42L, "ret42");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_EQ(t, kthread_stop(p), 42);
}

static void kthread_exit_sets_code(struct ktest *t)
{
	struct task *p = kthread_run(exit_early, (void *)5L, "exit5");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_EQ(t, kthread_stop(p), -5);
}

static void stack_has_guard_page_below(struct ktest *t)
{
	struct task *p = kthread_create(return_arg, NULL, "guarded");
	unsigned long top;

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	top = (unsigned long)p->stack_top;
	KTEST_EXPECT_EQ(t, mmu_lookup(top - KSTACK_SIZE, NULL, NULL), 0);
	KTEST_EXPECT_EQ(t, mmu_lookup(top - 8, NULL, NULL), 0);
	KTEST_EXPECT_EQ(t, mmu_lookup(top - KSTACK_SIZE - 8, NULL, NULL),
			-ENOENT);
	kthread_stop(p);
}

static void stop_before_start_is_eintr(struct ktest *t)
{
	struct task *p = kthread_create(return_arg, (void *)1L, "never");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_TRUE(t, task_state(p) == TS_NEW);
	KTEST_EXPECT_EQ(t, kthread_stop(p), -EINTR);
}

static void sleeping_thread_is_blocked_then_stops(struct ktest *t)
{
	struct task *p = kthread_run(sleep_until_stopped, NULL, "sleeper");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_TRUE(t, wait_until(is_blocked, p));
	KTEST_EXPECT_EQ(t, kthread_stop(p), 7);
}

static void stopping_itself_is_refused(struct ktest *t)
{
	ktest_expect_panic(t, "would wait for its own exit");
	kthread_stop(current);
}

static void name_is_formatted_and_pid_unique(struct ktest *t)
{
	struct task *a = kthread_create(return_arg, NULL, "w/%d-%s", 3, "x");
	struct task *b =
		kthread_create(return_arg, NULL, "a-name-longer-than-15");
	struct task *found;

	KTEST_ASSERT_FALSE(t, IS_ERR(a) || IS_ERR(b));
	KTEST_EXPECT_STREQ(t, a->name, "w/3-x");
	KTEST_EXPECT_EQ(t, strlen(b->name), (size_t)TASK_COMM_LEN - 1);
	KTEST_EXPECT_NE(t, a->pid, b->pid);
	found = find_task_by_pid(b->pid);
	KTEST_EXPECT_TRUE(t, found == b);
	if (found)
		put_task(found);
	kthread_stop(a);
	kthread_stop(b);
}

static void create_reap_leaks_nothing(struct ktest *t)
{
	struct task *p[16];
	struct mm_usage before, after;

	mm_usage_get(&before);
	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < 16; i++) {
			p[i] = kthread_run(return_arg, (void *)(long)i,
					   "leak/%d", i);
			KTEST_ASSERT_FALSE(t, IS_ERR(p[i]));
		}
		for (int i = 0; i < 16; i++)
			KTEST_EXPECT_EQ(t, kthread_stop(p[i]), i);
	}
	mm_usage_get(&after);
	KTEST_EXPECT_EQ(t, after.slab_objects, before.slab_objects);
	KTEST_EXPECT_EQ(t, after.free_pages, before.free_pages);
}

static bool objects_back_to(void *arg)
{
	const struct mm_usage *before = arg;
	struct mm_usage now;

	mm_usage_get(&now);
	return now.slab_objects == before->slab_objects &&
	       now.free_pages == before->free_pages;
}

/* A thread nobody stops frees itself through the reaper. */
static void detached_thread_is_reaped(struct ktest *t)
{
	struct mm_usage before;
	struct task *p;

	mm_usage_get(&before);
	p = kthread_run(return_arg, NULL, "detached");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	put_task(p);
	KTEST_EXPECT_TRUE(t, wait_until(objects_back_to, &before));
}

struct where {
	unsigned int cpu[8];
	int n;
};

static int record_cpus(void *data)
{
	struct where *w = data;

	for (w->n = 0; w->n < 8; w->n++) {
		w->cpu[w->n] = smp_processor_id();
		if (w->n & 1)
			msleep(1);
		else
			sched_yield();
	}
	return 0;
}

static void bound_thread_stays_on_its_cpu(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		struct where w = {};
		struct task *p = kthread_run_on_cpu(record_cpus, &w, cpu,
						    "bound/%u", cpu);

		KTEST_ASSERT_FALSE(t, IS_ERR(p));
		KTEST_EXPECT_EQ(t, kthread_stop(p), 0);
		KTEST_EXPECT_EQ(t, w.n, 8);
		for (int i = 0; i < w.n; i++)
			KTEST_EXPECT_EQ(t, w.cpu[i], cpu);
	}
}

static void bind_checks_arguments(struct ktest *t)
{
	struct task *p = kthread_create(return_arg, NULL, "bind");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_EQ(t, kthread_bind(p, NR_CPUS + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, kthread_bind(p, 0), 0);
	KTEST_EXPECT_EQ(t, p->allowed, cpumask_of(0));
	wake_up_process(p);
	KTEST_EXPECT_EQ(t, kthread_bind(p, 0), -EBUSY);
	kthread_stop(p);
	KTEST_EXPECT_EQ(t, sched_setaffinity(&init_task, 0), -EINVAL);
}

struct spinner {
	int stop;
	unsigned int last_cpu;
};

static int spin_and_note_cpu(void *data)
{
	struct spinner *s = data;

	while (!READ_ONCE(s->stop)) {
		WRITE_ONCE(s->last_cpu, smp_processor_id());
		cpu_relax();
	}
	return 0;
}

static bool on_last_cpu(void *arg)
{
	struct task *p = arg;

	return READ_ONCE(p->cpu) == num_online_cpus() - 1 &&
	       task_state(p) == TS_RUNNING;
}

/* Changing the affinity of a running thread moves it. */
static void setaffinity_moves_running_thread(struct ktest *t)
{
	unsigned int last = num_online_cpus() - 1;
	struct spinner s = {};
	struct task *p;

	if (!last) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	p = kthread_run_on_cpu(spin_and_note_cpu, &s, 0, "mover");
	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	msleep(20);
	KTEST_EXPECT_EQ(t, sched_setaffinity(p, cpumask_of(last)), 0);
	KTEST_EXPECT_TRUE(t, wait_until(on_last_cpu, p));
	msleep(20);
	KTEST_EXPECT_EQ(t, READ_ONCE(s.last_cpu), last);
	WRITE_ONCE(s.stop, 1);
	kthread_stop(p);
}

static void nice_is_checked(struct ktest *t)
{
	struct task *p = kthread_create(return_arg, NULL, "nice");

	KTEST_ASSERT_FALSE(t, IS_ERR(p));
	KTEST_EXPECT_EQ(t, sched_set_nice(p, NICE_MAX + 1), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_set_nice(p, NICE_MIN - 1), -EINVAL);
	KTEST_EXPECT_EQ(t, sched_set_nice(p, 7), 0);
	KTEST_EXPECT_EQ(t, p->nice, 7);
	kthread_stop(p);
}

static void states_have_names(struct ktest *t)
{
	KTEST_EXPECT_STREQ(t, task_state_name(TS_RUNNING), "running");
	KTEST_EXPECT_STREQ(t, task_state_name(TS_BLOCKED), "blocked");
	KTEST_EXPECT_TRUE(t, task_state(current) == TS_RUNNING);
	KTEST_EXPECT_GT(t, task_runtime_ns(current), 0ULL);
}

static struct ktest_case kthread_cases[] = {
	KTEST_CASE(stop_returns_thread_result),
	KTEST_CASE(kthread_exit_sets_code),
	KTEST_CASE(stack_has_guard_page_below),
	KTEST_CASE(stop_before_start_is_eintr),
	KTEST_CASE(stopping_itself_is_refused),
	KTEST_CASE(sleeping_thread_is_blocked_then_stops),
	KTEST_CASE(name_is_formatted_and_pid_unique),
	KTEST_CASE(create_reap_leaks_nothing),
	KTEST_CASE(detached_thread_is_reaped),
	KTEST_CASE(bound_thread_stays_on_its_cpu),
	KTEST_CASE(bind_checks_arguments),
	KTEST_CASE(setaffinity_moves_running_thread),
	KTEST_CASE(nice_is_checked),
	KTEST_CASE(states_have_names),
	{}
};
KTEST_SUITE(kthread, kthread_cases);
