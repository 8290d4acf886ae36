// SPDX-License-Identifier: MIT
/*
 * smp_test.c - tests of SMP bring-up, per-CPU data, cross-CPU calls and
 * TLB shootdown (kernel/smp.c, arch/x86_64/smpboot.c, ipi.c).
 *
 * They pass on one CPU too (then there is nobody to call); the runner
 * boots them with -smp 1, 2 and 4.
 */
#include <asm/extable.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include <keel/acpi.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/smp.h>
#include <keel/timer.h>
#include <keel/vmalloc.h>

static void every_listed_cpu_is_online(struct ktest *t)
{
	unsigned int listed = acpi_madt()->nr_cpus, cpu;

	KTEST_EXPECT_EQ(t, num_online_cpus(),
			min(listed, (unsigned int)NR_CPUS));
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_TRUE(t, cpu_of(cpu)->online);
		KTEST_EXPECT_EQ(t, cpu_of(cpu)->id, cpu);
		KTEST_EXPECT_TRUE(t, cpu_of(cpu)->self == cpu_of(cpu));
		KTEST_EXPECT_TRUE(t, cpu_of(cpu)->idle != NULL);
	}
}

/* A CPU number a mask cannot hold gives an empty mask, not bit 0. */
static void cpumask_of_out_of_range_is_empty(struct ktest *t)
{
	volatile unsigned int cpu = 64; /* a run-time shift, as a caller's */

	KTEST_EXPECT_EQ(t, cpumask_of(0), 1ULL);
	KTEST_EXPECT_EQ(t, cpumask_of(63), 1ULL << 63);
	KTEST_EXPECT_EQ(t, cpumask_of(cpu), 0ULL);
	cpu = ~0U;
	KTEST_EXPECT_EQ(t, cpumask_of(cpu), 0ULL);
}

static void this_cpu_matches_gs(struct ktest *t)
{
	preempt_disable();
	KTEST_EXPECT_TRUE(t, this_cpu() == cpu_of(smp_processor_id()));
	KTEST_EXPECT_TRUE(t, this_cpu()->current_task == current);
	preempt_enable();
}

struct pinned_work {
	unsigned int cpu;
	u64 sum;
	bool wrong_cpu;
};

/* Some work that sleeps and yields in between, checking the CPU. */
static int pinned_worker(void *data)
{
	struct pinned_work *w = data;

	for (int i = 0; i < 100; i++) {
		w->sum += i;
		if (smp_processor_id() != w->cpu)
			w->wrong_cpu = true;
		if (i % 10 == 0)
			msleep(1);
		else if (i % 3 == 0)
			sched_yield();
	}
	return 0;
}

static void every_cpu_runs_pinned_work(struct ktest *t)
{
	struct pinned_work work[NR_CPUS] = {};
	struct task *p[NR_CPUS] = {};
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		work[cpu].cpu = cpu;
		p[cpu] = kthread_run_on_cpu(pinned_worker, &work[cpu], cpu,
					    "pinned/%u", cpu);
		KTEST_EXPECT_FALSE(t, IS_ERR(p[cpu]));
	}
	for_each_online_cpu(cpu) {
		if (IS_ERR_OR_NULL(p[cpu]))
			continue;
		KTEST_EXPECT_EQ(t, kthread_stop(p[cpu]), 0);
		KTEST_EXPECT_EQ(t, work[cpu].sum, 4950ULL);
		KTEST_EXPECT_FALSE(t, work[cpu].wrong_cpu);
		KTEST_EXPECT_GT(t, cpu_of(cpu)->ticks, 0ULL);
	}
}

static void note_cpu(void *info)
{
	unsigned int *hits = info;

	__atomic_fetch_add(&hits[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

static void call_function_reaches_each_cpu(struct ktest *t)
{
	unsigned int hits[NR_CPUS] = {}, cpu;

	on_each_cpu(note_cpu, hits, true);
	for (cpu = 0; cpu < NR_CPUS; cpu++)
		KTEST_EXPECT_EQ(t, hits[cpu], cpu_online(cpu) ? 1U : 0U);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(
			t, smp_call_function_single(cpu, note_cpu, hits, true),
			0);
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, hits[cpu], 2U);
	KTEST_EXPECT_EQ(
		t, smp_call_function_single(NR_CPUS - 1, note_cpu, hits, true),
		cpu_online(NR_CPUS - 1) ? 0 : -ENXIO);
}

static void async_call_function_runs(struct ktest *t)
{
	unsigned int hits[NR_CPUS] = {}, cpu, done = 0;

	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(
			t, smp_call_function_single(cpu, note_cpu, hits, false),
			0);
	for (int ms = 0; ms < 20000 && done < num_online_cpus(); ms++) {
		done = 0;
		for_each_online_cpu(cpu)
			done += __atomic_load_n(&hits[cpu], __ATOMIC_RELAXED);
		msleep(1);
	}
	KTEST_EXPECT_EQ(t, done, num_online_cpus());
}

struct tlb_probe {
	const volatile u8 *addr;
	int before, after; /* probe_read_u8() results */
	u8 value;
	struct completion mapped_seen, unmapped;
};

/* Read the page (so this CPU's TLB holds it), wait, read again. */
static int tlb_reader(void *data)
{
	struct tlb_probe *tp = data;
	u8 v;

	tp->before = probe_read_u8((const void *)tp->addr, &tp->value);
	complete(&tp->mapped_seen);
	wait_for_completion(&tp->unmapped);
	tp->after = probe_read_u8((const void *)tp->addr, &v);
	return 0;
}

/*
 * Each CPU reads a vmap'd page, the page is unmapped, each CPU reads
 * again: without a shootdown the stale TLB entry would still translate.
 */
static void unmap_shoots_down_remote_tlbs(struct ktest *t)
{
	struct tlb_probe tp[NR_CPUS] = {};
	struct task *p[NR_CPUS] = {};
	u8 *page = alloc_page(GFP_KERNEL);
	unsigned int cpu;
	u8 *va;

	KTEST_ASSERT_NOT_NULL(t, page);
	page[0] = 0x5a;
	va = vmap_phys(virt_to_phys(page), PAGE_SIZE, PAGE_KERNEL);
	if (!va) {
		free_page(page);
		KTEST_ASSERT_NOT_NULL(t, va);
	}
	for_each_online_cpu(cpu) {
		tp[cpu].addr = va;
		p[cpu] = kthread_run_on_cpu(tlb_reader, &tp[cpu], cpu, "tlb/%u",
					    cpu);
		KTEST_EXPECT_FALSE(t, IS_ERR(p[cpu]));
		if (!IS_ERR(p[cpu]))
			wait_for_completion(&tp[cpu].mapped_seen);
	}
	vunmap(va);
	for_each_online_cpu(cpu) {
		if (IS_ERR(p[cpu]))
			continue;
		complete(&tp[cpu].unmapped);
		kthread_stop(p[cpu]);
		KTEST_EXPECT_EQ(t, tp[cpu].before, 0);
		KTEST_EXPECT_EQ(t, tp[cpu].value, 0x5a);
		KTEST_EXPECT_EQ(t, tp[cpu].after, -EFAULT);
	}
	free_page(page);
}

static void flush_range_on_all_cpus_returns(struct ktest *t)
{
	u64 before = 0, after = 0;
	unsigned int cpu;

	for_each_online_cpu(cpu)
		before += READ_ONCE(cpu_of(cpu)->ipis);
	flush_tlb_kernel_range(VMAP_BASE, VMAP_BASE + 4 * PAGE_SIZE);
	flush_tlb_kernel_range(VMAP_BASE, VMAP_BASE + 64 * PAGE_SIZE);
	for_each_online_cpu(cpu)
		after += READ_ONCE(cpu_of(cpu)->ipis);
	KTEST_EXPECT_GE(t, after - before, 2ULL * (num_online_cpus() - 1));
}

static struct ktest_case smp_cases[] = {
	KTEST_CASE(every_listed_cpu_is_online),
	KTEST_CASE(cpumask_of_out_of_range_is_empty),
	KTEST_CASE(this_cpu_matches_gs),
	KTEST_CASE(every_cpu_runs_pinned_work),
	KTEST_CASE(call_function_reaches_each_cpu),
	KTEST_CASE(async_call_function_runs),
	KTEST_CASE(unmap_shoots_down_remote_tlbs),
	KTEST_CASE(flush_range_on_all_cpus_returns),
	{}
};
KTEST_SUITE(smp, smp_cases);
