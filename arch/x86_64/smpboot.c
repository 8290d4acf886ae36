// SPDX-License-Identifier: MIT
/*
 * smpboot.c - start the application processors (APs).
 *
 * The MADT (drivers/acpi/tables.c) lists the enabled CPUs by APIC ID.
 * For each one but ours, smp_init() prepares what the AP needs before it
 * runs a single instruction: its struct cpu, descriptor tables with IST
 * stacks (struct cpu_tables), and its idle task, on whose stack it will
 * start. Then the classic sequence (Intel SDM vol. 3, 8.4.4): INIT,
 * 10 ms, STARTUP with the trampoline page, and a second STARTUP if the
 * AP has not answered. The AP runs trampoline.S up to long mode on
 * throw-away page tables (mmu_trampoline_pgd), then ap_start() here:
 * kernel page tables, GS base, GDT/TSS/IDT, its LAPIC and tick, and
 * into the scheduler's idle loop. APs start one at a time, since they
 * share the trampoline's parameters; the boot CPU waits until each is
 * online (or gives up after AP_TIMEOUT_MS and leaves it out).
 */
#define pr_fmt(fmt) "smp: " fmt

#include <asm/apic.h>
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/pgtable.h>
#include <asm/smap.h>
#include <keel/process.h>
#include <keel/acpi.h>
#include <keel/bootmem.h>
#include <keel/errno.h>
#include <keel/mm.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/smp.h>
#include <keel/string.h>
#include <keel/time.h>

#define AP_TIMEOUT_MS 2000
#define CR4_PAE	      (1UL << 5)
#define EFER_LME      (1UL << 8)

/* Filled in at the end of the trampoline's page (trampoline.S). */
struct trampoline_params {
	u32 cr0, cr3, cr4, efer;
	u64 stack, entry, arg;
} __packed;

extern const char trampoline_start[], trampoline_end[], trampoline_params[];

void arch_set_this_cpu(void *c)
{
	wrmsr(MSR_GS_BASE, (u64)c);
}

/* The AP's first C code, on its idle task's stack. Never returns. */
static void ap_start(struct cpu *c)
{
	write_cr3(mmu_kernel_cr3()); /* drop the trampoline tables */
	arch_set_this_cpu(c);
	cpu_tables_load(c->arch);
	cpu_setup_protections();
	fpu_init();	/* x87/SSE for user programs */
	syscall_init(); /* MSR_LSTAR and friends */
	idt_load();
	lapic_init_ap();
	if (lapic_timer_start_ap())
		pr_warn("CPU %u has no tick\n", c->id);
	sched_cpu_online();
	local_irq_enable();
	cpu_idle();
}

static struct trampoline_params *params_at(void *page)
{
	return (void *)((char *)page + (trampoline_params - trampoline_start));
}

static void params_fill(struct trampoline_params *tp, phys_addr_t pgd,
			struct cpu *c)
{
	tp->cr0 = read_cr0();
	tp->cr3 = pgd;
	/* SMEP/SMAP/UMIP come in ap_start(), on the kernel's tables */
	tp->cr4 = (read_cr4() | CR4_PAE) &
		  ~(X86_CR4_SMEP | X86_CR4_SMAP | X86_CR4_UMIP);
	tp->efer = EFER_LME | (mmu_has_nx() ? EFER_NXE : 0);
	tp->stack = (u64)c->idle->stack_top - 16;
	tp->entry = (u64)ap_start;
	tp->arg = (u64)c;
}

/* Wait up to ms for c to come online. */
static bool wait_online(struct cpu *c, unsigned int ms)
{
	u64 t0 = ktime_get_ns();

	while (!smp_load_acquire(&c->online)) {
		if (ktime_get_ns() - t0 > ms * NSEC_PER_MSEC)
			return false;
		cpu_relax();
	}
	return true;
}

/* Prepare struct cpu number id for the AP apic_id. Returns 0/-ENOMEM. */
static int ap_prepare(unsigned int id, u32 apic_id)
{
	struct cpu *c = cpu_of(id);
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < sizeof(struct cpu_tables))
		order++;
	c->self = c;
	c->id = id;
	c->apic_id = apic_id;
	c->arch = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	if (!c->arch)
		return -ENOMEM;
	c->idle = sched_idle_task_create(id);
	if (!c->idle) {
		free_pages(c->arch, order);
		c->arch = NULL;
		return -ENOMEM;
	}
	c->current_task = c->idle;
	return 0;
}

/* INIT, STARTUP, STARTUP: returns 0 once the AP is online. */
static int ap_kick(struct cpu *c, phys_addr_t page)
{
	lapic_send_icr(c->apic_id, APIC_DM_INIT | APIC_LEVEL_ASSERT);
	mdelay(10);
	for (int i = 0; i < 2; i++) {
		lapic_send_icr(c->apic_id, APIC_DM_STARTUP | (page >> 12));
		if (wait_online(c, i ? AP_TIMEOUT_MS : 1))
			return 0;
	}
	return -ETIMEDOUT;
}

static int ap_boot(unsigned int id, u32 apic_id, void *page, phys_addr_t pgd)
{
	int err = ap_prepare(id, apic_id);

	if (err)
		return err;
	params_fill(params_at(page), pgd, cpu_of(id));
	smp_wmb();
	return ap_kick(cpu_of(id), virt_to_phys(page));
}

/* Start every enabled CPU of the MADT; requires irq_init, time_init. */
void smp_init(void)
{
	const struct acpi_madt_info *madt = acpi_madt();
	phys_addr_t page = bootmem_trampoline_page(), pgd;
	u32 me = lapic_id();
	unsigned int next = 1;

	cpu_of(0)->apic_id = me;
	if (madt->nr_cpus < 2)
		goto out;
	pgd = page ? mmu_trampoline_pgd() : 0;
	if (!pgd) {
		pr_err("no trampoline %s; staying on one CPU\n",
		       page ? "page tables" : "page below 1 MiB");
		goto out;
	}
	memcpy(phys_to_virt(page), trampoline_start,
	       trampoline_end - trampoline_start);
	for (unsigned int i = 0; i < madt->nr_cpus; i++) {
		u32 apic_id = madt->cpu_apic_ids[i];
		int err;

		if (apic_id == me)
			continue;
		if (next == NR_CPUS) {
			pr_warn("more CPUs than NR_CPUS=%u; ignoring the rest\n",
				NR_CPUS);
			break;
		}
		err = ap_boot(next++, apic_id, phys_to_virt(page), pgd);
		if (err) {
			/* a late starter would read the next AP's parameters */
			pr_err("CPU with APIC ID %u did not start (%s); no more\n",
			       apic_id, errname(err));
			break;
		}
	}
	mmu_trampoline_pgd_free(pgd);
out:
	pr_info("%u CPU(s) online\n", num_online_cpus());
}
