// SPDX-License-Identifier: MIT
/*
 * power.c - power off, reboot and halt on QEMU's PC machines.
 *
 * Power off writes SLP_TYP=5|SLP_EN to the ACPI PM1a control register.
 * Both SeaBIOS-initialised chipsets QEMU offers (PIIX4 on -machine pc,
 * ICH9 on q35) put it at I/O port 0x604. If that did not stop us, the
 * isa-debug-exit device (if present) does, and otherwise we halt.
 */
#include <asm/cpu.h>
#include <asm/io.h>
#include <keel/power.h>
#include <keel/printk.h>

#define PM1A_CNT	0x604
#define PM1_SLP_S5	(0x2000 | (0 << 10)) /* SLP_EN, SLP_TYP=0 on QEMU */
#define DEBUG_EXIT_PORT 0x501
#define KBC_CMD		0x64
#define KBC_RESET	0xfe

void qemu_exit(u8 code)
{
	outb(DEBUG_EXIT_PORT, code);
}

void machine_halt(void)
{
	local_irq_disable();
	for (;;)
		halt();
}

void machine_power_off(void)
{
	local_irq_disable();
	outw(PM1A_CNT, PM1_SLP_S5);
	/* QEMU acts on the request asynchronously: give it time */
	for (unsigned long i = 0; i < 200000000UL; i++)
		cpu_relax();
	qemu_exit(0);
	pr_emerg("power off failed; halting\n");
	machine_halt();
}

void machine_restart(void)
{
	static const u64 empty_idt[2];

	local_irq_disable();
	outb(KBC_CMD, KBC_RESET);
	/* no keyboard controller: triple fault through an empty IDT */
	__asm__ __volatile__("lidt %0; int3" : : "m"(empty_idt));
	machine_halt();
}
