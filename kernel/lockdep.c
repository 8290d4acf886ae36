// SPDX-License-Identifier: MIT
/*
 * lockdep.c - lock rules as checks (keel/lockdep.h): the report behind
 * lockdep_assert_held(), and, with KEEL_LOCKDEP (make LOCKDEP=1), a
 * validator of lock order and interrupt safety in the manner of Linux's
 * lockdep.
 *
 * Validator. Every lock belongs to a class: the key its initialiser
 * stored (spin_lock_init: one per call site; a mutex: its name string,
 * one per DEFINE_MUTEX or mutex_init site), or, for a lock nobody
 * initialised (all-zero), its own address. Each CPU keeps the stack of
 * spinlocks it holds (a holder is never preempted, so the spinlocks held
 * on a CPU are those of the context running there, even across the
 * context switch that hands a runqueue lock from one task to the next),
 * each task the stack of mutexes it holds. Acquiring class B while
 * holding A in the same context (task, softirq, hard IRQ) records the
 * dependency A -> B, with the stack where it was first seen. Before a
 * new dependency is added, the graph is searched for B -> ... -> A: if
 * that path exists the two orders can deadlock against each other, and
 * the first time the second order is taken (long before the two ever
 * meet) a report prints both: the chain with the stacks where each step
 * was recorded, and the stack of the new acquisition.
 *
 * Interrupt safety: a class taken in hard-IRQ context and also taken
 * with interrupts enabled elsewhere can deadlock on one CPU (the IRQ
 * arrives while the lock is held and spins on it); the same for softirq
 * context and softirqs enabled. Each class remembers the first stack of
 * each kind of use; the first conflicting use is reported with both.
 * Sleeping in atomic context (a mutex under a spinlock) panics in
 * might_sleep() on every build (kernel/sched/core.c), lockdep or not.
 *
 * Not validated: two locks of the same class held together (runqueue
 * locks, all initialised at one site, are taken in pairs; keel has no
 * nesting annotations, so same-class nesting records nothing), and locks
 * that live on a kernel stack without a key (their address is reused by
 * the next frame, so it cannot name a class). A class keyed by the
 * address of a lock in freed memory is forgotten with its dependencies
 * when the memory is freed (lockdep_free_range(), called by kfree, the
 * page allocator and vfree), and freeing a lock this CPU or task still
 * holds is reported.
 *
 * The validator runs with interrupts off under its own raw lock (not a
 * spinlock_t: that would recurse), and a CPU already inside it (printk
 * in a report takes locks) is not tracked again. Reports are counted
 * (lockdep_reports()); the kernel goes on, as with Linux's lockdep.
 */
#include <asm/cpu.h>
#include <asm/layout.h>
#include <keel/bug.h>
#include <keel/irq.h>
#include <keel/kallsyms.h>
#include <keel/lockdep.h>
#include <keel/percpu.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/softirq.h>
#include <keel/stacktrace.h>
#include <keel/string.h>

static unsigned long failures;
static u32 reporting; /* bit per CPU currently inside a report */

void lockdep_assert_failed(const char *file, int line, const char *lock)
{
	u32 bit = 1U << (smp_processor_id() & 31);

	__atomic_fetch_add(&failures, 1, __ATOMIC_RELAXED);
	if (__atomic_fetch_or(&reporting, bit, __ATOMIC_ACQUIRE) & bit)
		return;
	pr_warn("lock rule violated: %s not held\n", lock);
	__warn(file, line, "lockdep_assert_held");
	__atomic_fetch_and(&reporting, ~bit, __ATOMIC_RELEASE);
}

unsigned long lockdep_assert_failures(void)
{
	return __atomic_load_n(&failures, __ATOMIC_RELAXED);
}

#if KEEL_LOCKDEP

#define MAX_CLASSES 2048
#define CLASS_HASH  1024
#define MAX_DEPS    8192
#define MAX_HELD    48
#define TRACE_DEPTH 10

enum ld_usage {
	USED_IN_HARDIRQ,
	ENABLED_HARDIRQ,
	USED_IN_SOFTIRQ,
	ENABLED_SOFTIRQ,
	NR_USAGE,
};

static const char *const usage_names[NR_USAGE] = { "IN-HARDIRQ", "HARDIRQ-ON",
						   "IN-SOFTIRQ", "SOFTIRQ-ON" };

struct ld_trace {
	unsigned long entries[TRACE_DEPTH];
	unsigned int nr;
};

struct lock_class {
	const void *key; /* NULL: free slot */
	u16 hnext;	 /* next in hash bucket (index + 1) */
	u16 out;	 /* first dependency from here (index), 0: none */
	u8 usage;	 /* bit per enum ld_usage */
	bool dynamic;	 /* keyed by a lock's address in freeable memory */
	unsigned long first_ip;
	struct ld_trace usage_trace[NR_USAGE];
};

struct lock_dep {
	u16 from, to; /* class indices; from == 0: dead */
	u16 next;     /* next dependency from the same class, 0: none */
	struct ld_trace trace;
};

static struct lock_class classes[MAX_CLASSES]; /* [0] unused */
static u16 class_hash[CLASS_HASH];	       /* index + 1 */
static u16 free_class;			       /* free list through hnext */
static unsigned int nr_classes = 1;
static struct lock_dep deps[MAX_DEPS]; /* [0] unused */
static unsigned int nr_deps = 1;
static u16 dyn_keys[MAX_CLASSES]; /* dynamic classes sorted by key */
static unsigned int nr_dyn;
static volatile u32 graph_locked;
static bool lockdep_off;
static unsigned long reports;

/* Breadth-first search state (under the graph lock). */
static u16 bfs_queue[MAX_CLASSES];
static u16 bfs_via[MAX_CLASSES]; /* dependency that reached the class */
static u32 bfs_seen[MAX_CLASSES];
static u32 bfs_gen;

static struct ld_held cpu_held[NR_CPUS][MAX_HELD];
static unsigned int cpu_depth[NR_CPUS];
static bool in_lockdep[NR_CPUS];

unsigned long lockdep_reports(void)
{
	return __atomic_load_n(&reports, __ATOMIC_RELAXED);
}

static void graph_lock(void)
{
	while (__atomic_exchange_n(&graph_locked, 1, __ATOMIC_ACQUIRE))
		while (graph_locked)
			cpu_relax();
}

static void graph_unlock(void)
{
	__atomic_store_n(&graph_locked, 0, __ATOMIC_RELEASE);
}

/*
 * The stack of the acquisition being validated: from the frame of the
 * hook the lock called (lock_acquire, mutex_acquire), so that it starts
 * at the caller and shows none of the validator's own frames.
 */
static unsigned long hook_fp[NR_CPUS];

static void save_trace(struct ld_trace *t)
{
	t->nr = stack_trace_save_fp(hook_fp[smp_processor_id()], t->entries,
				    TRACE_DEPTH);
}

static void print_trace(const struct ld_trace *t)
{
	char buf[96];

	for (unsigned int i = 0; i < t->nr; i++)
		pr_err("   %s\n",
		       kallsyms_format(t->entries[i] - 1, buf, sizeof(buf)));
}

static unsigned int key_hash(const void *key)
{
	unsigned long k = (unsigned long)key;

	return ((k >> 3) ^ (k >> 13) ^ (k >> 23)) % CLASS_HASH;
}

static bool in_kernel_image(const void *p)
{
	extern char _kernel_start[], _kernel_end[];

	return (const char *)p >= _kernel_start &&
	       (const char *)p < _kernel_end;
}

/* An address on a kernel stack (or other vmap memory). */
static bool in_vmap(const void *p)
{
	unsigned long a = (unsigned long)p;

	return a >= VMAP_BASE && a - VMAP_BASE < VMAP_SIZE;
}

static void dyn_insert(u16 c)
{
	unsigned int i = nr_dyn;

	while (i && classes[dyn_keys[i - 1]].key > classes[c].key) {
		dyn_keys[i] = dyn_keys[i - 1];
		i--;
	}
	dyn_keys[i] = c;
	nr_dyn++;
}

/* The class of key, created if new; 0 when the table is full. */
static u16 class_get(const void *key, bool dynamic, unsigned long ip)
{
	unsigned int h = key_hash(key);
	u16 c;

	for (c = class_hash[h]; c; c = classes[c - 1].hnext)
		if (classes[c - 1].key == key)
			return c - 1;
	if (free_class) {
		c = free_class;
		free_class = classes[c].hnext;
	} else if (nr_classes < MAX_CLASSES) {
		c = nr_classes++;
	} else {
		return 0;
	}
	memset(&classes[c], 0, sizeof(classes[c]));
	classes[c].key = key;
	classes[c].first_ip = ip;
	classes[c].dynamic = dynamic;
	classes[c].hnext = class_hash[h];
	class_hash[h] = c + 1;
	if (dynamic)
		dyn_insert(c);
	return c;
}

static void print_class(const char *what, u16 c)
{
	char buf[96];

	pr_err("%s#%u %p (first taken at %s)\n", what, c, classes[c].key,
	       kallsyms_format(classes[c].first_ip - 1, buf, sizeof(buf)));
}

static const char *last_report;

const char *lockdep_last_report(void)
{
	return READ_ONCE(last_report);
}

static void report_begin(const char *title)
{
	WRITE_ONCE(last_report, title);
	__atomic_fetch_add(&reports, 1, __ATOMIC_RELAXED);
	pr_err("======================================================\n");
	pr_err("WARNING: %s\n", title);
	pr_err("------------------------------------------------------\n");
	pr_err("CPU %u, task %d (%s)%s\n", smp_processor_id(),
	       current ? current->pid : -1, current ? current->name : "-",
	       in_irq()		    ? ", in hard IRQ" :
	       in_serving_softirq() ? ", in softirq" :
				      "");
}

/*
 * Is there a path from class `from` to class `to`? On success bfs_via
 * holds, for each class on the path, the dependency that reached it.
 */
static bool has_path(u16 from, u16 to)
{
	unsigned int head = 0, tail = 0;

	if (++bfs_gen == 0) {
		memset(bfs_seen, 0, sizeof(bfs_seen));
		bfs_gen = 1;
	}
	bfs_queue[tail++] = from;
	bfs_seen[from] = bfs_gen;
	bfs_via[from] = 0;
	while (head < tail) {
		u16 c = bfs_queue[head++];

		for (u16 d = classes[c].out; d; d = deps[d].next) {
			u16 n = deps[d].to;

			if (!deps[d].from || bfs_seen[n] == bfs_gen)
				continue;
			bfs_seen[n] = bfs_gen;
			bfs_via[n] = d;
			if (n == to)
				return true;
			bfs_queue[tail++] = n;
		}
	}
	return false;
}

/* The path has_path(next, prev) found, printed from next to prev. */
static void print_chain(u16 next, u16 prev)
{
	u16 path[32];
	unsigned int n = 0;

	for (u16 c = prev; c != next && n < 32; c = deps[bfs_via[c]].from)
		path[n++] = bfs_via[c];
	pr_err("the existing dependency chain (first seen at each step):\n");
	while (n--) {
		const struct lock_dep *d = &deps[path[n]];

		pr_err("-> #%u then #%u, at:\n", d->from, d->to);
		print_trace(&d->trace);
	}
}

static void report_cycle(u16 prev, u16 next, const struct ld_trace *now)
{
	report_begin("possible circular locking dependency detected");
	print_class("trying to acquire ", next);
	print_class("while holding      ", prev);
	pr_err("but the reverse order was taken before:\n");
	print_chain(next, prev);
	pr_err("the new order #%u then #%u, at:\n", prev, next);
	print_trace(now);
	pr_err("possible deadlock: CPU A holds #%u and wants #%u while CPU B "
	       "holds #%u and wants #%u\n",
	       prev, next, next, prev);
}

static bool dep_exists(u16 from, u16 to)
{
	for (u16 d = classes[from].out; d; d = deps[d].next)
		if (deps[d].from && deps[d].to == to)
			return true;
	return false;
}

/* Drop dead dependencies and relink the rest (the array is full). */
static void deps_compact(void)
{
	unsigned int n = 1;

	for (unsigned int c = 1; c < nr_classes; c++)
		classes[c].out = 0;
	for (unsigned int d = 1; d < nr_deps; d++) {
		if (!deps[d].from)
			continue;
		deps[n] = deps[d];
		deps[n].next = classes[deps[n].from].out;
		classes[deps[n].from].out = n;
		n++;
	}
	nr_deps = n;
}

static void add_dep(u16 prev, u16 next, struct ld_trace *now)
{
	struct lock_dep *d;

	if (prev == next || dep_exists(prev, next))
		return;
	if (!now->nr)
		save_trace(now);
	if (has_path(next, prev))
		report_cycle(prev, next, now);
	if (nr_deps == MAX_DEPS)
		deps_compact();
	if (nr_deps == MAX_DEPS) {
		pr_err("lockdep: dependency table full, turning off\n");
		lockdep_off = true;
		return;
	}
	d = &deps[nr_deps];
	d->from = prev;
	d->to = next;
	d->trace = *now;
	d->next = classes[prev].out;
	classes[prev].out = nr_deps++;
}

static void report_usage(u16 c, enum ld_usage had, enum ld_usage now_use,
			 const struct ld_trace *now)
{
	report_begin("inconsistent lock state");
	print_class("lock ", c);
	pr_err("{%s} usage, first at:\n", usage_names[had]);
	print_trace(&classes[c].usage_trace[had]);
	pr_err("now {%s} usage, at:\n", usage_names[now_use]);
	print_trace(now);
	pr_err("possible deadlock: an interrupt that takes this lock can "
	       "arrive while this CPU holds it\n");
}

static void mark_usage(u16 c, enum ld_usage use, struct ld_trace *now)
{
	static const enum ld_usage conflict[NR_USAGE] = { ENABLED_HARDIRQ,
							  USED_IN_HARDIRQ,
							  ENABLED_SOFTIRQ,
							  USED_IN_SOFTIRQ };
	struct lock_class *k = &classes[c];

	if (k->usage & (1U << use))
		return;
	if (!now->nr)
		save_trace(now);
	k->usage |= 1U << use;
	k->usage_trace[use] = *now;
	if (k->usage & (1U << conflict[use]))
		report_usage(c, conflict[use], use, now);
}

static void check_usage(u16 c, unsigned int ctx, bool irqs_on,
			struct ld_trace *now)
{
	if (ctx == 2) {
		mark_usage(c, USED_IN_HARDIRQ, now);
		return;
	}
	if (irqs_on)
		mark_usage(c, ENABLED_HARDIRQ, now);
	if (ctx == 1)
		mark_usage(c, USED_IN_SOFTIRQ, now);
	else if (irqs_on && !in_softirq())
		mark_usage(c, ENABLED_SOFTIRQ, now);
}

static unsigned int context_now(void)
{
	return in_irq() ? 2 : in_serving_softirq() ? 1 : 0;
}

/*
 * Record next's dependencies on what this context holds: the spinlocks
 * of this CPU taken in the same context, and in task context also the
 * mutexes the task holds. Trylocks cannot deadlock: they add none.
 */
static void add_deps(u16 next, unsigned int ctx, struct ld_trace *now)
{
	unsigned int cpu = smp_processor_id();
	struct task *t = current;

	if (ctx == 0 && t)
		for (unsigned int i = 0; i < t->ld_depth; i++)
			add_dep(t->ld_held[i].class, next, now);
	for (unsigned int i = 0; i < cpu_depth[cpu]; i++)
		if (cpu_held[cpu][i].ctx == ctx)
			add_dep(cpu_held[cpu][i].class, next, now);
}

static void held_push(struct ld_held *stack, unsigned int *depth,
		      unsigned int max, const struct ld_held *h)
{
	if (*depth < max)
		stack[(*depth)++] = *h;
}

static void held_pop(struct ld_held *stack, unsigned int *depth,
		     const void *lock)
{
	for (unsigned int i = *depth; i-- > 0;) {
		if (stack[i].lock != lock)
			continue;
		memmove(&stack[i], &stack[i + 1],
			(*depth - i - 1) * sizeof(stack[0]));
		(*depth)--;
		return;
	}
}

/* Enter the validator on this CPU: false if it is already in it. */
static bool ld_enter(unsigned long *flags)
{
	*flags = local_irq_save();
	if (lockdep_off || in_lockdep[smp_processor_id()]) {
		local_irq_restore(*flags);
		return false;
	}
	in_lockdep[smp_processor_id()] = true;
	return true;
}

static void ld_exit(unsigned long flags)
{
	in_lockdep[smp_processor_id()] = false;
	local_irq_restore(flags);
}

static void acquire(const void *lock, const void *key, bool dynamic,
		    bool trylock, bool is_mutex, unsigned long ip,
		    unsigned long flags)
{
	struct ld_trace now = { .nr = 0 };
	unsigned int ctx = context_now();
	struct ld_held h = { .lock = lock, .ctx = ctx, .trylock = trylock };
	unsigned int cpu = smp_processor_id();

	graph_lock();
	h.class = class_get(key, dynamic, ip);
	if (!h.class) {
		graph_unlock();
		pr_err("lockdep: class table full, turning off\n");
		lockdep_off = true;
		return;
	}
	if (!is_mutex)
		check_usage(h.class, ctx, flags & X86_EFLAGS_IF, &now);
	if (!trylock)
		add_deps(h.class, ctx, &now);
	graph_unlock();
	if (is_mutex)
		held_push(current->ld_held, &current->ld_depth, LD_TASK_HELD,
			  &h);
	else
		held_push(cpu_held[cpu], &cpu_depth[cpu], MAX_HELD, &h);
}

void lock_acquire(const void *lock, const struct lock_class_key *key,
		  bool trylock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	unsigned long flags;

	if (!key && in_vmap(lock))
		return; /* on a stack: no class (see the top) */
	if (!ld_enter(&flags))
		return;
	hook_fp[smp_processor_id()] = (unsigned long)__builtin_frame_address(0);
	acquire(lock, key ? (const void *)key : lock,
		!key && !in_kernel_image(lock), trylock, false, ip, flags);
	ld_exit(flags);
}

void lock_release(const void *lock)
{
	unsigned int cpu;
	unsigned long flags;

	if (!ld_enter(&flags))
		return;
	cpu = smp_processor_id();
	held_pop(cpu_held[cpu], &cpu_depth[cpu], lock);
	ld_exit(flags);
}

void mutex_acquire(const struct mutex *m, const char *name, bool trylock)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0);
	unsigned long flags;

	if (!current || (!name && in_vmap(m)) || !ld_enter(&flags))
		return;
	hook_fp[smp_processor_id()] = (unsigned long)__builtin_frame_address(0);
	acquire(m, name ? (const void *)name : m, !name && !in_kernel_image(m),
		trylock, true, ip, flags);
	ld_exit(flags);
}

void mutex_release(const struct mutex *m)
{
	unsigned long flags;

	if (!current || !ld_enter(&flags))
		return;
	held_pop(current->ld_held, &current->ld_depth, m);
	ld_exit(flags);
}

void lockdep_forget_held(void)
{
	unsigned long flags = local_irq_save();

	cpu_depth[smp_processor_id()] = 0;
	if (current)
		current->ld_depth = 0;
	local_irq_restore(flags);
}

static void zap_class(u16 c)
{
	unsigned int h = key_hash(classes[c].key);
	u16 *p;

	for (unsigned int d = 1; d < nr_deps; d++)
		if (deps[d].from == c || deps[d].to == c)
			deps[d].from = 0;
	classes[c].out = 0;
	for (p = &class_hash[h]; *p != c + 1; p = &classes[*p - 1].hnext)
		;
	*p = classes[c].hnext;
	classes[c].key = NULL;
	classes[c].hnext = free_class;
	free_class = c;
}

/* First index in dyn_keys whose key is >= p. */
static unsigned int dyn_lower_bound(const void *p)
{
	unsigned int lo = 0, hi = nr_dyn;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (classes[dyn_keys[mid]].key < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool held_in_range(const struct ld_held *stack, unsigned int depth,
			  const char *start, size_t len)
{
	for (unsigned int i = 0; i < depth; i++)
		if ((unsigned long)stack[i].lock - (unsigned long)start < len)
			return true;
	return false;
}

static void check_held_freed(const char *start, size_t len)
{
	unsigned int cpu = smp_processor_id();
	struct task *t = current;

	if (!held_in_range(cpu_held[cpu], cpu_depth[cpu], start, len) &&
	    !(t && held_in_range(t->ld_held, t->ld_depth, start, len)))
		return;
	report_begin("held lock freed");
	pr_err("memory %p..%p, freed here, holds a lock this context holds\n",
	       start, start + len);
	dump_stack();
}

void lockdep_free_range(const void *start, size_t len)
{
	unsigned long flags;
	unsigned int i, n;

	if (!len || !ld_enter(&flags))
		return;
	check_held_freed(start, len);
	graph_lock();
	i = dyn_lower_bound(start);
	for (n = i; n < nr_dyn; n++) {
		u16 c = dyn_keys[n];

		if ((const char *)classes[c].key >= (const char *)start + len)
			break;
		zap_class(c);
	}
	memmove(&dyn_keys[i], &dyn_keys[n], (nr_dyn - n) * sizeof(u16));
	nr_dyn -= n - i;
	graph_unlock();
	ld_exit(flags);
}

#else /* !KEEL_LOCKDEP: nothing is tracked, nothing is reported */

void lockdep_forget_held(void)
{
}

unsigned long lockdep_reports(void)
{
	return 0;
}

const char *lockdep_last_report(void)
{
	return NULL;
}

void lockdep_free_range(const void *start, size_t len)
{
}

#endif /* KEEL_LOCKDEP */
