// SPDX-License-Identifier: MIT
/*
 * hardening_test.c - ktests of the always-on compiler hardening
 * (docs/hardening.md): the stack canary (kernel/stackprotector.c) is
 * set on every CPU and a buffer overflow into it panics naming the
 * function, and locals start out zero (-ftrivial-auto-var-init=zero).
 * The Rust side of the canary: rust/kernel/stackprotector.rs.
 */
#include <keel/cpumask.h>
#include <keel/ktest.h>
#include <keel/preempt.h>
#include <keel/percpu.h>
#include <keel/stackprotector.h>
#include <keel/string.h>

#define CANARY_LOW_BYTE 0xffUL

static void canary_same_on_every_cpu(struct ktest *t)
{
	unsigned long canary = cpu_of(0)->stack_canary;
	unsigned int cpu;

	KTEST_EXPECT_NE(t, canary, 0UL);
	KTEST_EXPECT_EQ(t, canary & CANARY_LOW_BYTE, 0UL);
	KTEST_EXPECT_EQ(t, READ_ONCE(__stack_chk_guard), canary);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, cpu_of(cpu)->stack_canary, canary);
	preempt_disable();
	KTEST_EXPECT_EQ(t, this_cpu_read(stack_canary), canary);
	preempt_enable();
}

/* Overflows its own buffer up to and over the canary. */
static noinline size_t stackprotector_victim(void)
{
	char buf[40] = "";

	return stackprotector_smash(buf, sizeof(buf)) + buf[0];
}

static void canary_overflow_panics(struct ktest *t)
{
	if (!KEEL_STACKPROTECTOR) {
		ktest_skip(t, "built with STACKPROTECTOR=0");
		return;
	}
	ktest_expect_panic(t, "stack-protector: kernel stack corrupted in "
			      "stackprotector_victim");
	stackprotector_victim();
	ktest_fail(t, __FILE__, __LINE__, "stackprotector_victim returned");
}

static struct ktest_case stackprotector_cases[] = {
	KTEST_CASE(canary_same_on_every_cpu),
	KTEST_CASE(canary_overflow_panics),
	{}
};
KTEST_SUITE(stackprotector, stackprotector_cases);

/* Leaves 0xa5 in the stack below the caller's frame. */
static noinline __attribute__((noipa)) void stack_dirty(void)
{
	volatile char junk[512];

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = 0xa5;
}

static noinline __attribute__((noipa)) bool all_zero(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		/*
		 * The caller's locals are uninitialised on purpose, to prove
		 * that -ftrivial-auto-var-init=zero (which clang-tidy does not
		 * see) zeroes them.
		 */
		// NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
		if (p[i])
			return false;
	return true;
}

/* buf is never written: without the flag it holds stack_dirty's bytes. */
static noinline __attribute__((noipa)) bool uninit_local_is_zero(void)
{
	char buf[256];

	return all_zero(buf, sizeof(buf));
}

static void uninit_locals_start_zero(struct ktest *t)
{
	if (!KEEL_INIT_ZERO) {
		ktest_skip(t, "built with INIT_ZERO=0");
		return;
	}
	stack_dirty();
	KTEST_EXPECT_TRUE(t, uninit_local_is_zero());
}

static struct ktest_case init_zero_cases[] = {
	KTEST_CASE(uninit_locals_start_zero),
	{}
};
KTEST_SUITE(init_zero, init_zero_cases);
