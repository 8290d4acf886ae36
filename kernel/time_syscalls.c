// SPDX-License-Identifier: MIT
/*
 * time_syscalls.c - the clock, sleep and system-information calls:
 * clock_gettime, clock_getres, gettimeofday, time, nanosleep,
 * clock_nanosleep, getrandom, sysinfo.
 *
 * keel has no wall clock yet (no RTC driver): CLOCK_REALTIME counts from
 * the epoch at boot, so it equals CLOCK_MONOTONIC and CLOCK_BOOTTIME.
 * TODO: read the CMOS RTC at boot for the real date. The CPU-time clocks
 * answer the task's runtime (a process is one thread in keel). A signal
 * interrupts a sleep: a relative one writes `rem` and ends with -EINTR
 * when a handler runs, else it goes on to the same end (restart_syscall);
 * an absolute one restarts as it is.
 */
#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/mm.h>
#include <keel/random.h>
#include <keel/sched.h>
#include <keel/syscalls.h>
#include <keel/time.h>
#include <keel/timer.h>
#include <keel/uaccess.h>

#define CLOCK_REALTIME		 0
#define CLOCK_MONOTONIC		 1
#define CLOCK_PROCESS_CPUTIME_ID 2
#define CLOCK_THREAD_CPUTIME_ID	 3
#define CLOCK_MONOTONIC_RAW	 4
#define CLOCK_REALTIME_COARSE	 5
#define CLOCK_MONOTONIC_COARSE	 6
#define CLOCK_BOOTTIME		 7
#define TIMER_ABSTIME		 1

#define GRND_NONBLOCK 0x0001
#define GRND_RANDOM   0x0002
#define GRND_INSECURE 0x0004

/* Linux's x86_64 layouts. */
struct kernel_timespec {
	long tv_sec;
	long tv_nsec;
};

struct kernel_timeval {
	long tv_sec;
	long tv_usec;
};

struct kernel_sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram, freeram, sharedram, bufferram;
	unsigned long totalswap, freeswap;
	unsigned short procs, pad;
	unsigned long totalhigh, freehigh;
	unsigned int mem_unit;
	char _f[20 - 2 * sizeof(long) - sizeof(int)];
};

_Static_assert(sizeof(struct kernel_sysinfo) == 112, "Linux's sysinfo size");

/*
 * The caller's CPU time: what the scheduler charged at its last tick or
 * switch, plus the slice running now (interrupts off, so no tick
 * charges it in between).
 */
u64 task_cpu_time_now(void)
{
	unsigned long flags = local_irq_save();
	s64 slice = ktime_get_ns() - current->exec_start;
	u64 ns = current->runtime_ns + (slice > 0 ? slice : 0);

	/*
	 * exec_start may come from another CPU's clock (update_curr of a
	 * remote runqueue), a little ahead of this one: never let the
	 * clock go back from what this task was last told.
	 */
	if (ns < current->cputime_seen)
		ns = current->cputime_seen;
	current->cputime_seen = ns;
	local_irq_restore(flags);
	return ns;
}

/* Now on clock id, in ns; -EINVAL for a clock keel does not have. */
static long clock_now(int id, u64 *ns)
{
	switch (id) {
	case CLOCK_REALTIME:
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME: *ns = ktime_get_ns(); return 0;
	case CLOCK_PROCESS_CPUTIME_ID:
	case CLOCK_THREAD_CPUTIME_ID: *ns = task_cpu_time_now(); return 0;
	default: return -EINVAL;
	}
}

static long put_timespec(u64 ns, struct kernel_timespec __user *ts)
{
	struct kernel_timespec k = { .tv_sec = ns / NSEC_PER_SEC,
				     .tv_nsec = ns % NSEC_PER_SEC };

	return copy_to_user(ts, &k, sizeof(k)) ? -EFAULT : 0;
}

SYSCALL_DEFINE2(clock_gettime, int, which, struct kernel_timespec __user *, tp)
{
	u64 ns;
	long err = clock_now(which, &ns);

	return err ? err : put_timespec(ns, tp);
}

SYSCALL_DEFINE2(clock_getres, int, which, struct kernel_timespec __user *, tp)
{
	u64 ns;
	long err = clock_now(which, &ns);

	if (err || !tp)
		return err;
	return put_timespec(1, tp); /* the TSC: nanoseconds */
}

SYSCALL_DEFINE2(gettimeofday, struct kernel_timeval __user *, tv, void __user *,
		tz)
{
	u64 ns = ktime_get_ns();
	struct kernel_timeval k = { .tv_sec = ns / NSEC_PER_SEC,
				    .tv_usec = ns % NSEC_PER_SEC / 1000 };
	static const int utc[2]; /* struct timezone: UTC, no DST */

	if (tv && copy_to_user(tv, &k, sizeof(k)))
		return -EFAULT;
	if (tz && copy_to_user(tz, utc, sizeof(utc)))
		return -EFAULT;
	return 0;
}

SYSCALL_DEFINE1(time, long __user *, tloc)
{
	long t = ktime_get_ns() / NSEC_PER_SEC;

	if (tloc && put_user(t, tloc))
		return -EFAULT;
	return t;
}

/*
 * Sleep until clock id reads at least end (ns), TASK_INTERRUPTIBLE.
 * Returns false when the time came, true when a signal came first.
 */
static bool sleep_until(int id, u64 end)
{
	u64 now;

	while (!clock_now(id, &now) && now < end) {
		u64 left = end - now;
		long j = left / TICK_NSEC + 1;

		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current)) {
			set_current_state(TASK_RUNNING);
			return true;
		}
		schedule_timeout(j);
	}
	return false;
}

static long relative_sleep(int id, u64 end, struct kernel_timespec __user *rem);

static long nanosleep_restart(struct restart_block *rb)
{
	return relative_sleep(rb->clockid, rb->end_ns, rb->rmtp);
}

/*
 * A relative sleep a signal interrupts: the time left goes to rem and
 * the call ends with -EINTR if a handler runs, else restart_syscall goes
 * on sleeping until the same end (Linux's restart block).
 */
static long relative_sleep(int id, u64 end, struct kernel_timespec __user *rem)
{
	struct restart_block *rb = &current->sig.restart_block;
	u64 now = end;

	if (!sleep_until(id, end))
		return 0;
	if (rem) {
		clock_now(id, &now);
		if (put_timespec(now < end ? end - now : 0, rem))
			return -EFAULT;
	}
	rb->fn = nanosleep_restart;
	rb->clockid = id;
	rb->end_ns = end;
	rb->rmtp = rem;
	return -ERESTART_RESTARTBLOCK;
}

static long do_nanosleep(int id, int flags,
			 const struct kernel_timespec __user *req,
			 struct kernel_timespec __user *rem)
{
	struct kernel_timespec k;
	u64 now, ns;
	long err;

	if (copy_from_user(&k, req, sizeof(k)))
		return -EFAULT;
	if (k.tv_sec < 0 || k.tv_nsec < 0 || k.tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	err = clock_now(id, &now);
	if (err)
		return err;
	ns = (u64)k.tv_sec * NSEC_PER_SEC + k.tv_nsec;
	if (flags & TIMER_ABSTIME)
		return sleep_until(id, ns) ? -ERESTARTNOHAND : 0;
	return relative_sleep(id, now + ns, rem);
}

SYSCALL_DEFINE2(nanosleep, const struct kernel_timespec __user *, req,
		struct kernel_timespec __user *, rem)
{
	return do_nanosleep(CLOCK_MONOTONIC, 0, req, rem);
}

SYSCALL_DEFINE4(clock_nanosleep, int, which, int, flags,
		const struct kernel_timespec __user *, req,
		struct kernel_timespec __user *, rem)
{
	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	if (which == CLOCK_PROCESS_CPUTIME_ID ||
	    which == CLOCK_THREAD_CPUTIME_ID)
		return -EINVAL; /* Linux: sleeping on one's own CPU time */
	return do_nanosleep(which, flags, req, rem);
}

SYSCALL_DEFINE3(getrandom, char __user *, buf, size_t, count, unsigned int,
		flags)
{
	char chunk[64];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
	    (flags & GRND_INSECURE && flags & GRND_RANDOM))
		return -EINVAL;
	if (count > INT_MAX)
		count = INT_MAX;
	while (done < count) {
		size_t n = min(count - done, sizeof(chunk));

		get_random_bytes(chunk, n);
		if (copy_to_user(buf + done, chunk, n))
			return done ? (long)done : -EFAULT;
		done += n;
	}
	return done;
}

SYSCALL_DEFINE1(sysinfo, struct kernel_sysinfo __user *, info)
{
	struct kernel_sysinfo k = { 0 };
	unsigned int nr = 0;

	k.uptime = ktime_get_ns() / NSEC_PER_SEC;
	k.totalram = nr_total_pages();
	k.freeram = nr_free_pages();
	get_avenrun(k.loads); /* FSHIFT 11; sysinfo wants SI_LOAD_SHIFT 16 */
	for (int i = 0; i < 3; i++)
		k.loads[i] <<= 16 - FSHIFT;
	task_next_pid(0, &nr); /* counts every task */
	k.procs = nr;
	k.mem_unit = PAGE_SIZE;
	return copy_to_user(info, &k, sizeof(k)) ? -EFAULT : 0;
}
