// SPDX-License-Identifier: MIT
/*
 * main.c - start_kernel(), the table of contents of keel's boot.
 *
 * boot.S arrives here on the boot stack, in long mode, with the boot page
 * tables and interrupts off. Each line below brings up one subsystem;
 * the order is the dependency order. Once memory management is up, the
 * boot CPU leaves the boot stack (in bss, no guard page) for a kernel
 * stack with a guard page and goes on in start_kernel_late(), where the
 * boot context becomes the scheduler's task "init", the other CPUs are
 * started and the rest runs as one task among others.
 */
#include <asm/cpu.h>
#include <asm/desc.h>
#include <asm/ptrace.h>
#include <keel/acpi.h>
#include <keel/bench.h>
#include <keel/boot.h>
#include <keel/bug.h>
#include <keel/cmdline.h>
#include <keel/fs.h>
#include <keel/init.h>
#include <keel/irq.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/pci.h>
#include <keel/monitor.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/serial.h>
#include <keel/smp.h>
#include <keel/time.h>
#include <keel/slab.h>
#include <keel/version.h>
#include <keel/vmalloc.h>

#define MIN_RAM_BYTES (32ULL << 20)

static void print_memory_map(void)
{
	for (unsigned int i = 0; i < boot_info.nr_regions; i++) {
		const struct boot_mem_region *r = &boot_info.regions[i];

		pr_info("mem: [0x%016llx-0x%016llx] %s\n", r->base,
			r->base + r->len - 1, boot_mem_type_name(r->type));
	}
}

static void check_memory_size(void)
{
	if (boot_info.ram_bytes >= MIN_RAM_BYTES - (1ULL << 20))
		return;
	pr_emerg(
		"keel needs at least 32 MiB of RAM, this machine has %llu KiB; halting.\n",
		boot_info.ram_bytes >> 10);
	machine_halt();
}

static void start_kernel_late(void) __noreturn;
static void *boot_stack; /* top of the boot context's kernel stack */

/* The boot CPU's kernel stack (its top); no stack, no kernel. */
static void *boot_kstack(void)
{
	void *top = kstack_alloc();

	if (!top)
		panic("no memory for the boot CPU's kernel stack");
	return top;
}

void start_kernel(u64 boot_info_phys)
{
	int err;

	smp_prepare_boot_cpu(); /* GS base: this_cpu(), current */
	err = arch_boot_parse(boot_info_phys); /* memory map, cmdline */
	serial_init();			       /* COM1 console */
	pr_info("keel %s (%s) booting via %s\n", KEEL_VERSION, KEEL_GIT_REV,
		boot_info.loader ? boot_info.loader : "?");
	if (err)
		panic("cannot read boot information (%s)", errname(err));
	pr_info("command line: %s\n", boot_cmdline);
	cmdline_init();	     /* loglevel=, ktest=, ... */
	trap_init();	     /* GDT, TSS, IDT */
	print_memory_map();  /* what the loader said */
	check_memory_size(); /* 32 MiB or halt */
	mm_init();	     /* page tables, buddy, kmalloc */
	/* leave the boot stack (bss, no guard page) for a guarded one */
	boot_stack = boot_kstack();
	/* below the user register frame: "init" may exec /init */
	call_on_stack(stack_kernel_top(boot_stack), start_kernel_late);
}

static void start_kernel_late(void)
{
	failslab_init();	/* failslab=: fault injection */
	sched_init(boot_stack); /* runqueues, fair policy; we are "init" */
	acpi_init();		/* RSDP, MADT: CPUs, IOAPICs */
	irq_init();		/* APIC, IOAPIC, IPIs; PIC masked */
	time_init();		/* TSC clock, HZ tick */
	serial_init_irq();	/* COM1 input by IRQ 4 */
	local_irq_enable();	/* interrupts on from here */
	sched_init_late();	/* the reaper and sched_watchdog threads */
	vfs_caches_init();	/* ramfs as / */
	populate_rootfs();	/* the initrd's cpio archives into / */
	devtmpfs_init();	/* /dev and its nodes */
	smp_init();		/* the other CPUs: MADT, INIT-SIPI-SIPI, idle */
	pci_init();		/* scan the PCI bus */
	do_initcalls();		/* built-in drivers, Rust modules */
	pr_info("keel: %llu MiB RAM, %lu pages free\n",
		boot_info.ram_bytes >> 20, nr_free_pages());
	ktest_boot();	    /* ktest=1: run tests and exit */
	bench_boot();	    /* bench=1: run benchmarks and exit */
	run_init_process(); /* /init or init=: PID 1 in user mode */
	monitor_run();	    /* the serial console monitor */
}
