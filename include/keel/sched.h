/* SPDX-License-Identifier: MIT */
/*
 * keel/sched.h - tasks, the scheduler core and the policy interface.
 *
 * Every thread of control is a struct task: the boot context ("init"),
 * one idle task per CPU and the kernel threads (keel/kthread.h). The
 * scheduler core (kernel/sched/core.c) owns one runqueue per CPU: its
 * lock, the running task and the list of queued (runnable, waiting)
 * tasks. *Which* queued task runs next, on which CPU a waking task is
 * queued and what an idle CPU pulls from a busy one is decided by a
 * policy, a table of callbacks (struct sched_policy_ops) modelled on
 * Linux's sched_ext and on Enoki. The core checks every answer a policy
 * gives before acting on it (kernel/sched/policy.c): a wrong answer is
 * rejected, counted and logged, and the core falls back to a safe
 * choice, so a broken policy cannot crash or hang the kernel.
 * docs/scheduler.md describes the interface, a task's life in
 * callbacks, and the locking rules.
 *
 * Task states: a task is NEW until kthread_run() starts it, RUNNING on a
 * CPU, RUNNABLE in a runqueue, BLOCKED when it waits for something, DEAD
 * after it exited (until it is reaped). task_state() derives the state
 * from the fields below; p->state is only the task's own intent
 * (TASK_RUNNING or TASK_BLOCKED, as in Linux).
 */
#ifndef _KEEL_SCHED_H
#define _KEEL_SCHED_H

#include <keel/atomic.h>
#include <keel/completion.h>
#include <keel/cpumask.h>
#include <keel/cred.h>
#include <keel/list.h>
#include <keel/percpu.h>
#include <keel/refcount.h>
#include <keel/resource.h>
#include <keel/signal.h>
#include <keel/spinlock.h>

#define TASK_COMM_LEN 16
#define LD_TASK_HELD  8 /* mutexes a task may hold, as lockdep counts */

/* p->state: what the task wants (written by itself or a waker). */
#define TASK_RUNNING 0 /* on a CPU or queued for one */
#define TASK_BLOCKED 1 /* waiting: schedule() will take it off the CPU */
#define TASK_NEW     2 /* created, never started */
#define TASK_DEAD    3 /* exited */
/* waiting, and a signal ends the wait (keel/signal.h): else as BLOCKED */
#define TASK_INTERRUPTIBLE 4

/* What task_state() reports (ps). */
enum task_state {
	TS_NEW,
	TS_RUNNING,
	TS_RUNNABLE,
	TS_BLOCKED,
	TS_DEAD,
};

/* p->flags */
#define PF_IDLE	   0x1 /* a CPU's idle task: never in a policy */
#define PF_KTHREAD 0x2 /* made by kthread_create() */
#define PF_YIELD   0x4 /* in sched_yield() */
#define PF_MIGRATE 0x8 /* must leave this CPU (affinity changed) */

#define NICE_MIN (-20)
#define NICE_MAX 19

/*
 * The policy's per-task area. The core never touches it; the policy
 * owns it from task_new() to task_dead(). vruntime and node suit a
 * fair-queueing policy; data[] is free for others. token is not the
 * policy's: nonzero while a Rust policy holds p's TaskToken (written by
 * rust/kernel/sched.rs, reset by a switch; C policies leave it alone).
 * A task whose token is held is parked instead of freed (task.c).
 */
struct sched_entity {
	struct list_head node;
	unsigned int token;
	s64 vruntime;
	u64 prev_runtime;
	u64 data[4];
};

struct sched_policy_ops;

struct task {
	unsigned long sp;  /* saved stack pointer; first (switch.S) */
	void *stack_top;   /* kstack_alloc()'s value, NULL for init */
	u64 cr3;	   /* page tables to run on; 0: the kernel's */
	int state;	   /* TASK_*: the task's intent */
	int on_rq;	   /* queued or running (under the rq lock) */
	int on_cpu;	   /* executing, or not yet switched out */
	unsigned int cpu;  /* runqueue it is queued on or last ran on */
	cpumask_t allowed; /* CPUs it may run on */
	int nice;	   /* NICE_MIN..NICE_MAX */
	int pid;
	unsigned int flags; /* PF_* */
	char name[TASK_COMM_LEN];
	spinlock_t pi_lock; /* serialises wakeups of this task */
	refcount_t usage;
	struct list_head tasks;	  /* all tasks (tasklist_lock) */
	struct list_head rq_node; /* rq->queue while RUNNABLE */
	u64 enqueue_ns;		  /* when it was queued (watchdog) */
	u64 exec_start;		  /* when it got the CPU */
	u64 runtime_ns;		  /* CPU time, all CPUs */
	u64 cputime_seen; /* the CPU-time clocks' last answer (monotonic) */
	u64 cpu_runtime_ns[NR_CPUS];
	u64 nr_switches; /* times it got the CPU */
	struct sched_entity se;
	/* the policy whose init()/exit() this task runs now, or NULL */
	const struct sched_policy_ops *policy_ctx;

	/* kernel threads (kernel/kthread.c) */
	int (*fn)(void *data);
	void *fn_data;
	int exit_code;
	int should_stop;	  /* kthread_stop() asked */
	int stopped_unstarted;	  /* ... before anyone started it */
	struct completion exited; /* done when fn returned */
	int off_cpu_dead;	  /* last switch away finished */
	struct list_head reap_node;

	/* user processes (kernel/fork.c, exit.c, exec.c); NULL: kthread */
	struct mm_struct *mm;
	unsigned long fsbase;		      /* user FS base (arch_prctl) */
	struct task *parent;		      /* gets the exit status (wait4) */
	struct list_head children;	      /* its children (process_lock) */
	struct list_head sibling;	      /* in parent->children */
	int exit_state;			      /* EXIT_ZOMBIE once exited */
	int wait_status;		      /* what wait4() reports for it */
	int *clear_child_tid;		      /* user address zeroed at exit */
	struct wait_queue_head wait_chldexit; /* its wait4() sleeps */
	struct task_signal sig;		      /* kernel/signal.c */
	/*
	 * its x87/SSE registers while off the CPU: fxsave's 512 bytes at
	 * the first 16-aligned address inside (the struct stays 8-aligned)
	 */
	u8 fpu_state[512 + 8];

	/* files (fs/): NULL for a kernel thread that opens none */
	struct fs_struct *fs;	    /* root, cwd, umask; NULL: init_fs */
	struct files_struct *files; /* fd table */

	/*
	 * process attributes (kernel/sys.c, fs/proc/): copied at fork.
	 * utime/stime: ticks charged in user and kernel mode by the timer
	 * (kernel/sched/cputime.c); cutime/cstime: those of its reaped
	 * children (and theirs), added by wait4.
	 */
	struct cred cred;
	struct rlimit rlim[RLIM_NLIMITS];
	int pdeath_signal;	  /* prctl(PR_SET_PDEATHSIG) */
	void __user *robust_list; /* set_robust_list (TODO: walked at exit) */
	size_t robust_list_len;
	u64 start_time_ns;  /* creation, ns since boot */
	u64 utime, stime;   /* ticks (HZ) */
	u64 cutime, cstime; /* ticks (HZ), reaped children */
	u64 cnr_switches;   /* reaped children's nr_switches */
#if KEEL_LOCKDEP
	/* mutexes this task holds, for the lock validator */
	struct ld_held ld_held[LD_TASK_HELD];
	unsigned int ld_depth;
#endif
};

/*
 * One CPU's runqueue. Policies may read cpu, curr, idle and nr_queued
 * under the lock (nr_queued also racily, from anywhere), and keep what
 * they want in policy_data. Everything else belongs to the core.
 */
struct rq {
	spinlock_t lock;
	unsigned int cpu;
	struct task *curr;
	struct task *idle;
	struct list_head queue; /* RUNNABLE tasks, oldest first */
	unsigned int nr_queued;
	u64 clock;		 /* ns at the last update */
	struct task *force_next; /* watchdog: run this next */
	u64 nr_switches;
	void *policy_data;
};

/* Wake-up flags given to select_cpu() and task_wakeup(). */
#define WF_NEW	    0x1	 /* first start (kthread_run) */
#define WF_WAKEUP   0x2	 /* woken after blocking */
#define WF_MIGRATED 0x4	 /* moved here from another runqueue */
#define WF_SWITCH   0x8	 /* handed over by a policy switch */
#define WF_RUNNING  0x10 /* task_adopt: p is rq->curr, do not queue it */

/*
 * A task's scheduling state in policy-neutral terms, handed from the
 * old policy (task_export) to the new one (task_adopt) at a live
 * switch. valid says which fields the old policy filled (SH_*); the new
 * policy uses those it understands and starts the rest fresh.
 */
struct sched_handover {
	unsigned int valid;
	/*
	 * SH_LAG: how far p is behind its queue's zero-lag point, in ns of
	 * nice-0 virtual time (CPU time * 1024 / weight): > 0 it is owed
	 * CPU time, < 0 it ran ahead. The zero-lag point is the weighted
	 * average vruntime of the queue (eevdf) or its min_vruntime (fair).
	 */
	s64 lag_ns;
	/* SH_SLICE: real CPU time left in its current slice, ns. */
	u64 slice_left_ns;
};

#define SH_LAG	 0x1
#define SH_SLICE 0x2

/*
 * A scheduling policy. Locking context of each callback:
 *
 *   [rq]    called with rq->lock held and interrupts off; must not
 *           sleep, allocate with GFP_KERNEL, or take any rq lock.
 *   [none]  called with no scheduler lock, interrupts off; must not
 *           sleep. May read other CPUs' state racily.
 *   [proc]  process context, no locks held; may sleep.
 *
 * pick_next, task_wakeup and task_dequeue are required; every other
 * callback may be NULL (the core then does what its comment says).
 * Answers are validated: see each.
 */
struct sched_policy_ops {
	const char *name;

	/* [proc] Policy becomes active. Returns 0 or -Exxx (not used). */
	int (*init)(void);
	/* [proc] Policy was switched away; no callback follows. */
	void (*exit)(void);

	/*
	 * [tasklist] p exists (created, or present when this policy was
	 * switched in): set up p->se. Called with the tasklist lock held;
	 * must not sleep. Returns 0 or -Exxx (creation then fails); a
	 * positive value is rejected as -EINVAL.
	 */
	int (*task_new)(struct task *p);
	/* [tasklist] p is gone for good (reaped); forget it. */
	void (*task_dead)(struct task *p);

	/*
	 * [rq] p became RUNNABLE on rq (flags WF_*): queue it. With
	 * WF_MIGRATED it arrives after task_dequeue() elsewhere. Return
	 * true to ask that rq->curr be preempted.
	 */
	bool (*task_wakeup)(struct rq *rq, struct task *p, unsigned int flags);
	/* [rq] p, rq->curr, blocked or exited: it leaves the CPU. */
	void (*task_blocked)(struct rq *rq, struct task *p);
	/*
	 * [rq] p, rq->curr, was preempted and stays RUNNABLE: requeue it.
	 * NULL: task_wakeup(rq, p, 0).
	 */
	void (*task_preempt)(struct rq *rq, struct task *p);
	/* [rq] p, rq->curr, yields: requeue it behind the others.
	 * NULL: as task_preempt. */
	void (*task_yield)(struct rq *rq, struct task *p);
	/*
	 * [rq] p, queued on rq, leaves the policy's queue without running:
	 * migration, a policy switch, or the core overriding a pick.
	 * p may be a task the policy has already let go of (after a bad
	 * pick_next answer): then ignore it. Required.
	 */
	void (*task_dequeue)(struct rq *rq, struct task *p);
	/* [rq, hard IRQ] A tick while p runs. Return true to preempt p. */
	bool (*task_tick)(struct rq *rq, struct task *p);

	/*
	 * [rq] Choose the task rq->cpu runs next and remove it from the
	 * policy's queue. Called only when rq has queued tasks; the
	 * answer must be one of them (on rq->queue). NULL or anything else
	 * is rejected: the core runs its oldest queued task instead and
	 * tells the policy with task_dequeue().
	 */
	struct task *(*pick_next)(struct rq *rq);
	/*
	 * [none, p->pi_lock held] The CPU to queue waking p on; prev_cpu is
	 * where it ran last. Must be online and in p->allowed, else it is
	 * rejected and the core uses prev_cpu (or p's first allowed CPU).
	 * NULL: prev_cpu.
	 */
	int (*select_cpu)(struct task *p, unsigned int prev_cpu,
			  unsigned int flags);
	/*
	 * [rq: dst and src locked] dst is about to go idle; src (chosen by
	 * the core, busiest first) has queued tasks. Return one of src's
	 * queued tasks allowed on dst, to be moved there, or NULL. Do not
	 * change the queues: the core does the move with task_dequeue(src)
	 * and task_wakeup(dst, WF_MIGRATED). A task not queued on src or
	 * not allowed on dst is rejected. NULL callback: no balancing.
	 */
	struct task *(*balance)(struct rq *dst, struct rq *src);

	/*
	 * Live switch (docs/scheduler.md, "Live switching and the
	 * hand-over"), all [rq, every rq and the tasklist locked]:
	 *
	 * [old] Describe p, queued on rq or (flags & WF_RUNNING) its
	 * running task, in *h (zeroed by the core). Read-only: the old
	 * policy keeps running unchanged if the switch is rolled back.
	 * NULL: h stays empty.
	 */
	void (*task_export)(struct rq *rq, struct task *p,
			    struct sched_handover *h, unsigned int flags);
	/*
	 * [new] Take p over, after task_new(p), with what the old policy
	 * exported. WF_SWITCH: p is queued on rq, queue it. WF_SWITCH |
	 * WF_RUNNING: p is rq->curr; set up its accounting, do not queue
	 * it (it comes back with task_preempt/blocked/yield). Returns 0 or
	 * -Exxx: the switch is then undone (task_dequeue for the tasks
	 * adopted so far, task_dead for all) and the old policy stays.
	 * NULL: task_wakeup(rq, p, WF_SWITCH) for queued tasks.
	 */
	int (*task_adopt)(struct rq *rq, struct task *p,
			  const struct sched_handover *h, unsigned int flags);
};

/* Counts of rejected policy answers since boot (kernel/sched/policy.c). */
struct sched_policy_stats {
	unsigned long pick_invalid;	/* not a task queued on that CPU */
	unsigned long pick_lost;	/* NULL while tasks were queued */
	unsigned long select_invalid;	/* CPU offline or not allowed */
	unsigned long balance_invalid;	/* not on src, or not allowed on dst */
	unsigned long task_new_invalid; /* positive return value */
	unsigned long starved;		/* watchdog had to run a task */
	unsigned long ejected;		/* policies ejected (watchdog.c) */
};

extern const struct sched_policy_ops fair_policy;
/* The boot context: task "init", pid 1, CPU 0's first task. */
extern struct task init_task;

/*
 * Make new the active policy, moving every task over: the new one gets
 * init(), task_new() for every task, and task_adopt() with what the old
 * one's task_export() said for each queued and running task; only then
 * the old one gets task_dequeue() for queued tasks and exit(). Returns
 * 0, -EINVAL (pick_next, task_wakeup or task_dequeue missing), -ENOMEM,
 * or the error of the new policy's init(), task_new() or task_adopt():
 * then the switch is undone and the old policy runs on untouched.
 * Process context; may sleep. -EDEADLK (nothing done) when called with
 * interrupts or preemption off, in an IRQ handler, inside a policy
 * callback or inside a policy's init()/exit().
 */
int sched_policy_switch(const struct sched_policy_ops *new);
const char *sched_policy_name(void);
/*
 * Make ops known by its name (the fair policy is built in). If the boot
 * command line named it (sched.policy=NAME), switch to it now. Returns
 * 0, -EINVAL (incomplete table), -EEXIST (name taken) or -ENOSPC.
 * Process context.
 */
int sched_policy_register(const struct sched_policy_ops *ops);
/* The registered policy called name, or NULL. */
const struct sched_policy_ops *sched_policy_find(const char *name);
/* sched_policy_switch() by name; -ENOENT if there is no such policy. */
int sched_policy_switch_to(const char *name);
/*
 * How long the last switch held every runqueue lock: the time no CPU
 * could schedule (ns).
 */
u64 sched_policy_last_pause_ns(void);
/* The monitor's answer: the registered policies, the active one marked. */
void sched_policy_list(void);
void sched_policy_stats(struct sched_policy_stats *out);
/*
 * A panic on this CPU: if inside a callback of a policy other than fair
 * (the policy guard), eject that policy and unwind to the guard instead
 * of returning. kernel/sched/watchdog.c; called first by panic().
 */
void sched_policy_panic_hook(const char *msg);
/*
 * Runnable tasks may wait this long (sched.watchdog_ms) before the
 * watchdog runs them and ejects the policy (fair: only runs them).
 */
void sched_set_watchdog_ms(unsigned int ms);
unsigned int sched_watchdog_ms(void);

/* ---- the scheduler core (kernel/sched/core.c) ---- */

/* Give up the CPU: the task sleeps if it set TASK_BLOCKED before. */
/* NOLINTNEXTLINE(readability-redundant-declaration): also in wait.h */
void schedule(void);
/* Let other runnable tasks of this CPU run first. */
void sched_yield(void);
/* Called at the end of each timer tick on every CPU (hard IRQ). */
void sched_tick(void);
/* Preemption point on return from an interrupt (arch trap code). */
void preempt_schedule_irq(void);

/*
 * Wake p if it is BLOCKED (or start it if NEW). Returns true if it was
 * woken, false if it was not sleeping. Any context.
 */
bool wake_up_process(struct task *p);
/* Wake p only if it sleeps TASK_INTERRUPTIBLE (a signal came). */
bool wake_up_interruptible_task(struct task *p);

/* Announce a sleep; then check the condition, then schedule(). */
static inline void set_current_state(int state)
{
	__atomic_store_n(&current->state, state, __ATOMIC_SEQ_CST);
}

/* WARN if the caller may not sleep (atomic, IRQ, interrupts off). */
/* NOLINTNEXTLINE(readability-redundant-declaration): also in wait.h */
void might_sleep(void);

/* Set p's nice value (NICE_MIN..NICE_MAX). Returns 0 or -EINVAL. */
int sched_set_nice(struct task *p, int nice);
/*
 * Restrict p to the online CPUs in mask, moving it if it runs or waits
 * elsewhere. Returns 0 or -EINVAL (no online CPU in mask).
 */
int sched_setaffinity(struct task *p, cpumask_t mask);

/* The derived state, its name, and p's CPU time in nanoseconds. */
enum task_state task_state(const struct task *p);
const char *task_state_name(enum task_state s);
u64 task_runtime_ns(const struct task *p);

static inline void get_task(struct task *p)
{
	refcount_inc(&p->usage);
}
/* Drop a reference; the last one frees the task (stack and struct). */
void put_task(struct task *p);
/* The task with this pid, with a reference held, or NULL. */
struct task *find_task_by_pid(int pid);
/*
 * The smallest pid >= from that a task has (idle tasks have none), or
 * 0; *nr (if set) gets the number of tasks added (/proc's listing).
 */
int task_next_pid(int from, unsigned int *nr);
/* The pid handed out last (/proc/loadavg). */
int task_last_pid(void);
/* Tasks created since boot (/proc/stat "processes"). */
unsigned long task_nr_forks(void);
/*
 * The CPU-time counters of /proc/stat, in ticks (HZ): per CPU, time in
 * user mode (nice > 0 apart), kernel mode and idle (kernel/sched/cputime.c).
 */
struct cpu_times {
	u64 user, nice, system, idle;
};
void cpu_times_get(unsigned int cpu, struct cpu_times *t);
/* The load averages (Linux's fixed point, FSHIFT 11) and running count. */
#define FSHIFT	11
#define FIXED_1 (1 << FSHIFT)
void get_avenrun(unsigned long loads[3]);
unsigned int nr_running(void);
/* Context switches on all CPUs since boot. */
u64 nr_context_switches(void);
/* Timer tick: charge it to current (user: it came from user mode). */
void account_process_tick(bool user);

/* Tasks freed while a Rust policy held their token: kept (task.c). */
unsigned int task_nr_parked(void);

/* Print the task table / the CPUs (monitor "ps" and "cpus"). */
void sched_show_tasks(void);
void sched_show_cpus(void);

/*
 * Boot: make the running context task "init" on CPU 0 (its stack's
 * top is boot_stack_top), set up the runqueues and the fair policy.
 */
void sched_init(void *boot_stack_top);
/* Start the reaper; requires interrupts on. */
void sched_init_late(void);
/* Create cpu's idle task (before the CPU starts); returns it or NULL. */
struct task *sched_idle_task_create(unsigned int cpu);
/* On a new CPU, with its idle task current: join the scheduler. */
void sched_cpu_online(void);
/* Each CPU's idle loop, once it is up. */
void cpu_idle(void) __noreturn;

#endif
