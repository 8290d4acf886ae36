// SPDX-License-Identifier: MIT
/*
 * stackprotector.c - the canary behind -fstack-protector-strong (C) and
 * -Zstack-protector=strong (Rust).
 *
 * A function with an array or an address-taken local stores the canary
 * between its locals and its return address on entry and compares it on
 * exit; an overflow that reaches the return address changes it first.
 * C reads the canary at %gs:0x28 (struct cpu, keel/percpu.h), Rust from
 * the global __stack_chk_guard; both hold one value, chosen at boot.
 *
 * One value for all CPUs and tasks (Linux keeps one per task and
 * switches it with the task): a task may migrate between a function's
 * entry and its exit, and every CPU must then hold the same value. The
 * value is set while only start_kernel(), which has no canary, is on
 * the stack; the GS base is set before any C code runs (boot.S for the
 * boot CPU, trampoline.S for the APs), so %gs:0x28 is always readable.
 * TODO: per-task canaries, switched in the context switch.
 */
#include <asm/cpu.h>
#include <keel/bug.h>
#include <keel/kallsyms.h>
#include <keel/percpu.h>
#include <keel/stackprotector.h>
#include <keel/string.h>

#define CPUID_1_ECX_RDRAND (1U << 30)
/* The low byte stays zero, so a string overflow stops at the canary. */
#define CANARY_MASK 0xffffffffffffff00UL

unsigned long __stack_chk_guard;
const bool stackprotector_enabled = KEEL_STACKPROTECTOR;

static bool rdrand64(unsigned long *v)
{
	bool ok;

	__asm__ __volatile__("rdrand %0" : "=r"(*v), "=@ccc"(ok));
	return ok;
}

/* RDRAND where the CPU has it (-cpu max), mixed with the TSC. */
static unsigned long canary_entropy(void)
{
	unsigned long v = 0, tsc = rdtsc();
	u32 a, b, c, d;

	cpuid(1, 0, &a, &b, &c, &d);
	for (int i = 0; (c & CPUID_1_ECX_RDRAND) && i < 10; i++)
		if (rdrand64(&v))
			break;
	/* spread the TSC's fast-moving low bits over the whole word */
	return v ^ tsc ^ (tsc << 32) ^ (tsc * 0x9e3779b97f4a7c15UL);
}

__no_stack_protector void boot_init_stack_canary(void)
{
	unsigned long v = canary_entropy() & CANARY_MASK;

	if (!v)
		v = 0x5ca1ab1e00UL;
	this_cpu_write(stack_canary, v);
	WRITE_ONCE(__stack_chk_guard, v);
}

/*
 * The compiler's call on a mismatch. The return address is just past
 * the call, at the end of the corrupted function (or at the start of
 * the next one if the call is its last instruction): look up one byte
 * before it.
 */
__no_stack_protector void __stack_chk_fail(void)
{
	unsigned long ip = (unsigned long)__builtin_return_address(0) - 1;
	const char *name = kallsyms_lookup(ip, NULL, NULL);

	panic("stack-protector: kernel stack corrupted in %s",
	      name ? name : "?");
}

noinline size_t stackprotector_smash(void *buf, size_t len)
{
	unsigned long canary = this_cpu_read(stack_canary);
	unsigned long *w = (unsigned long *)ALIGN_UP((unsigned long)buf, 8);
	unsigned long *end = (unsigned long *)((char *)buf + len + 64);

	for (; w < end; w++) {
		size_t n = (char *)(w + 1) - (char *)buf;

		if (READ_ONCE(*w) != canary)
			continue;
		memset(buf, 'A', n);
		return n;
	}
	return 0;
}
