// SPDX-License-Identifier: MIT
/*
 * time.c - the clock, sleep and system-information calls
 * (kernel/time_syscalls.c): clocks that move forward, sleeps that last
 * at least what was asked by the clock (relative and absolute), random
 * bytes, sysinfo with true memory figures; and their error paths (bad
 * clock, bad timespec, bad flags, bad and kernel pointers).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdint.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <time.h>

#include "ktap.h"

#define CASES	   18
#define UNMAPPED   ((void *)0x1000)
#define KERNEL_PTR ((void *)0xffffffff80100000UL)

static long long ns_of(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

static long long mono_ns(void)
{
	struct timespec t;

	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &t);
	return ns_of(&t);
}

static void clocks(void)
{
	struct timespec a, b, res;
	struct timeval tv;

	ktap_check(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &a) == 0 &&
			   syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &b) ==
				   0 &&
			   ns_of(&b) >= ns_of(&a) && a.tv_nsec < 1000000000,
		   "monotonic_moves_forward");
	ktap_check(syscall(SYS_clock_gettime, CLOCK_REALTIME, &a) == 0 &&
			   syscall(SYS_clock_gettime, CLOCK_BOOTTIME, &b) == 0,
		   "realtime_and_boottime");
	ktap_check(syscall(SYS_clock_gettime, CLOCK_THREAD_CPUTIME_ID, &a) ==
				   0 &&
			   ns_of(&a) > 0,
		   "thread_cputime_counts");
	ktap_check(syscall(SYS_clock_getres, CLOCK_MONOTONIC, &res) == 0 &&
			   res.tv_sec == 0 && res.tv_nsec > 0,
		   "clock_getres");
	ktap_check(syscall(SYS_gettimeofday, &tv, NULL) == 0 &&
			   tv.tv_usec < 1000000,
		   "gettimeofday");
	ktap_check(syscall(SYS_time, NULL) >= 0, "time");
	ktap_errno(syscall(SYS_clock_gettime, 99, &a), EINVAL,
		   "clock_gettime_bad_clock");
	ktap_errno(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, UNMAPPED),
		   EFAULT, "clock_gettime_bad_pointer");
	ktap_errno(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, KERNEL_PTR),
		   EFAULT, "clock_gettime_kernel_pointer");
}

static void sleeps(void)
{
	struct timespec req = { 0, 20000000 }, bad = { 0, 1000000000 };
	struct timespec abs;
	long long t0 = mono_ns();

	ktap_check(syscall(SYS_nanosleep, &req, NULL) == 0 &&
			   mono_ns() - t0 >= 20000000,
		   "nanosleep_at_least");
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 15000000;
	if (abs.tv_nsec >= 1000000000) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000;
	}
	ktap_check(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME,
			   &abs, NULL) == 0 &&
			   mono_ns() >= ns_of(&abs),
		   "clock_nanosleep_absolute");
	ktap_errno(syscall(SYS_nanosleep, &bad, NULL), EINVAL,
		   "nanosleep_bad_nsec");
	ktap_errno(syscall(SYS_nanosleep, UNMAPPED, NULL), EFAULT,
		   "nanosleep_bad_pointer");
	ktap_errno(syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 2, &req, NULL),
		   EINVAL, "clock_nanosleep_bad_flags");
}

static void random_and_sysinfo(void)
{
	unsigned char a[64] = { 0 }, b[64] = { 0 };
	struct sysinfo si;

	ktap_check(syscall(SYS_getrandom, a, sizeof(a), 0) == sizeof(a) &&
			   syscall(SYS_getrandom, b, sizeof(b), 0) ==
				   sizeof(b) &&
			   memcmp(a, b, sizeof(a)) != 0,
		   "getrandom_differs");
	ktap_errno(syscall(SYS_getrandom, a, sizeof(a), 0x80), EINVAL,
		   "getrandom_bad_flags");
	ktap_check(syscall(SYS_sysinfo, &si) == 0 && si.mem_unit == 4096 &&
			   si.totalram > si.freeram && si.freeram > 0,
		   "sysinfo_memory");
}

/*
 * The CPU-time clock never goes back, also while the process moves
 * between CPUs (kselftest timers/inconsistency-check saw it go back on
 * -smp 2: the running slice was measured against another CPU's clock).
 */
static void cputime_monotonic_across_cpus(void)
{
	struct timespec a, b;
	cpu_set_t all, one;
	long back = 0;

	sched_getaffinity(0, sizeof(all), &all);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a);
	for (int i = 0; i < 20000; i++) {
		if (i % 500 == 0 && CPU_COUNT(&all) > 1) {
			CPU_ZERO(&one);
			CPU_SET(i / 500 % 2, &one);
			sched_setaffinity(0, sizeof(one), &one);
		}
		clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &b);
		if (b.tv_sec < a.tv_sec ||
		    (b.tv_sec == a.tv_sec && b.tv_nsec < a.tv_nsec))
			back++;
		a = b;
	}
	sched_setaffinity(0, sizeof(all), &all);
	ktap_check(back == 0, "cputime_monotonic_across_cpus");
}

int main(void)
{
	ktap_begin("time", CASES);
	clocks();
	sleeps();
	random_and_sysinfo();
	cputime_monotonic_across_cpus();
	return ktap_end();
}
