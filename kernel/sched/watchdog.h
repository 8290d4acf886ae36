/* SPDX-License-Identifier: MIT */
/*
 * kernel/sched/watchdog.h - the policy guard and the ejection watchdog
 * (kernel/sched/watchdog.c, arch/x86_64/policy_guard.S).
 *
 * Every policy callback the core makes with interrupts off runs inside
 * policy_guarded(): this CPU's cpu->policy_guard points at a struct
 * policy_guard on the caller's stack for the duration of the call, and
 * the callback runs on this CPU's policy stack (cpu->policy_stack; a
 * nested guarded call stays on it). If the callback panics (a Rust
 * panic ends in C's panic()), panic() asks sched_policy_panic_hook(),
 * which marks the policy broken, parks the policy stack (the frames on
 * it are never returned to and its memory is never freed or reused:
 * the CPU takes its spare stack instead) and returns to the outermost
 * guard on the caller's own stack: the call returns { 0, failed = 1 }
 * and the wrapper in policy.c uses the core's default answer. The guard
 * is the same for every policy, C or Rust, so the reference policy pays
 * it too; only a panic in the reference policy itself stays a kernel
 * panic.
 */
#ifndef _KERNEL_SCHED_WATCHDOG_H
#define _KERNEL_SCHED_WATCHDOG_H

#include <keel/preempt.h>
#include <keel/sched.h>

struct policy_guard {
	unsigned long rsp; /* policy_guard.S: where to unwind to; first */
	struct policy_guard *prev;
	const struct sched_policy_ops *ops;
	void *stack;	   /* the policy stack it switched to; NULL: nested */
	int preempt_count; /* the callback may have taken locks */
	unsigned int locks_held; /* (no IRQ can come: interrupts are off) */
	unsigned int irq_disable_depth; /* Rust lock_irqsave() guards */
	const void *prev_tokens; /* cpu->policy_tokens before the call */
};

struct guard_ret {
	unsigned long val;    /* the callback's %rax (bool: low byte only) */
	unsigned long failed; /* 1: it panicked and was unwound */
};

void policy_guard_unwind(struct policy_guard *g) __noreturn;

/* Restore what the abandoned frames had changed on this CPU. */
void policy_guard_recover(const struct policy_guard *g);

/*
 * Give every CPU a policy stack and a spare (process context; may
 * sleep). -ENOMEM if one could not be allocated.
 */
int policy_stacks_refill(void);
/* Policy stacks parked after a panic (never freed). */
unsigned int policy_stacks_parked(void);
/*
 * ktests (watchdog_test.c): declare the spare stacks allocated for the
 * stacks parked since parked_before, mm usage before them.
 */
struct ktest;
struct mm_usage;
void allow_parked(struct ktest *t, const struct mm_usage *before,
		  unsigned int parked_before);

/*
 * Call fn(a, b, c, d), a callback of policy o, with a recovery point.
 * Requires interrupts off (so the per-CPU slot cannot change hands).
 * For the call, cpu->policy_tokens is tokens: o, or NULL for a callback
 * that runs without a runqueue or the task-list lock (select_cpu), in
 * which the Rust layer refuses to touch a task through a TaskToken
 * (docs/scheduler.md, "Tokens and their rules").
 */
static __always_inline struct guard_ret
policy_guarded_tok(const struct sched_policy_ops *o, const void *tokens,
		   void (*fn)(void), unsigned long a, unsigned long b,
		   unsigned long c, unsigned long d)
{
	struct policy_guard g;

	g.prev = this_cpu_read(policy_guard);
	g.prev_tokens = this_cpu_read(policy_tokens);
	g.ops = o;
	/* the outermost call moves to this CPU's policy stack */
	g.stack = g.prev ? NULL : this_cpu_read(policy_stack);
	g.preempt_count = preempt_count();
	g.locks_held = this_cpu_read(locks_held);
	g.irq_disable_depth = this_cpu_read(irq_disable_depth);
	this_cpu_write(policy_guard, &g);
	this_cpu_write(policy_tokens, tokens);

	/* set right before the asm, as GCC requires of register variables */
	register unsigned long rax asm("rax") = (unsigned long)fn;
	register unsigned long rdi asm("rdi") = a;
	register unsigned long rsi asm("rsi") = b;
	register unsigned long rdx asm("rdx") = c;
	register unsigned long rcx asm("rcx") = d;
	register struct policy_guard *r11 asm("r11") = &g;
	register void *r10 asm("r10") = g.stack;

	/* arch/x86_64/policy_guard.S: fn(a, b, c, d), or an unwind */
	asm volatile("call policy_guard_enter"
		     : "+a"(rax), "+d"(rdx), "+D"(rdi), "+S"(rsi), "+c"(rcx),
		       "+r"(r11), "+r"(r10)
		     :
		     : "r8", "r9", "rbx", "r12", "r13", "r14", "r15", "memory",
		       "cc");
	this_cpu_write(policy_tokens, g.prev_tokens);
	this_cpu_write(policy_guard, g.prev);
	if (unlikely(rdx))
		policy_guard_recover(&g);
	return (struct guard_ret){ .val = rax, .failed = rdx };
}

static __always_inline struct guard_ret
policy_guarded(const struct sched_policy_ops *o, void (*fn)(void),
	       unsigned long a, unsigned long b, unsigned long c,
	       unsigned long d)
{
	return policy_guarded_tok(o, o, fn, a, b, c, d);
}

#define GUARD4(o, cb, a, b, c, d)                                      \
	policy_guarded(o, (void (*)(void))(o)->cb, (unsigned long)(a), \
		       (unsigned long)(b), (unsigned long)(c),         \
		       (unsigned long)(d))
#define GUARD(o, cb, a, b, c) GUARD4(o, cb, a, b, c, 0)

/* Why a policy was ejected. */
enum eject_reason {
	EJECT_NONE,
	EJECT_STARVED, /* a task waited longer than sched.watchdog_ms */
	EJECT_ERRORS,  /* too many rejected answers within a second */
	EJECT_PANIC,   /* panicked inside a callback */
};

/*
 * The policy that panicked, if any: no callback of it is made again
 * (policy.c checks this before each call). Read racily.
 */
extern const struct sched_policy_ops *policy_broken;

static inline bool policy_is_broken(const struct sched_policy_ops *o)
{
	return o == READ_ONCE(policy_broken);
}

/*
 * Ask for o to be ejected (the active policy; fair is never ejected):
 * records why (detail: a message, or NULL), which task starved and for
 * how long (or NULL), and lets the sched_watchdog thread switch to
 * fair. Only the first request is kept until that switch is done.
 * Any context, any locks.
 */
void watchdog_request_eject(const struct sched_policy_ops *o,
			    enum eject_reason why, const char *detail,
			    const struct task *starving, u64 waited_ns,
			    unsigned int cpu);
/* A rejected answer of o: ejects it past the error limit. Any context. */
void watchdog_note_reject(const struct sched_policy_ops *o);
/* Remember rq's pick (p, or NULL; valid or not). rq->lock held. */
void watchdog_note_pick(struct rq *rq, const struct task *p, bool valid);
/* From the tick, no locks: wake the watchdog thread if needed. */
void watchdog_tick(void);
/*
 * For tests: what a tick racing with the end of an ejection leaves
 * behind, a kick with no request; the watchdog thread must take it back.
 */
void watchdog_kick_stale(void);
/* Start the sched_watchdog thread (process context, at boot). */
void watchdog_start(void);
/* An ejection was requested and is not finished (dump, switch). */
bool watchdog_busy(void);
/* o panicked earlier: its state is abandoned, it may not come back. */
/* Ejected and abandoned policies remembered (each table). */
#define EJECTED_REMEMBERED 32

bool watchdog_abandoned(const struct sched_policy_ops *o);
/*
 * Abandon o (why: its note in the listing): no exit(), no return.
 * Called on a panic and by a switch after which o kept a TaskToken.
 */
void watchdog_abandon(const struct sched_policy_ops *o, const char *why);
/* "ejected: ..." for the sched listing, or NULL. */
const char *watchdog_policy_note(const struct sched_policy_ops *o);
/* Rejected answers per second that eject a policy; 0: never. */
void sched_set_watchdog_errors(unsigned int n);
unsigned int sched_watchdog_errors(void);
/* policy.c: the active policy (read racily). */
const struct sched_policy_ops *policy_active(void);
/* policy.c: switch from bad (still active) to fair; -EALREADY if not. */
int policy_eject_switch(const struct sched_policy_ops *bad);

#endif
