// SPDX-License-Identifier: MIT
/*
 * cpufeature.c - the CPU protections keel turns on where CPUID has them:
 *
 *   SMEP  the kernel never executes from a user page (an exploit cannot
 *         jump to code it placed in user memory);
 *   SMAP  the kernel never reads or writes a user page except inside
 *         stac()/clac(), which only the uaccess routines use;
 *   UMIP  user code cannot read the GDT/IDT/LDT/TSS registers (sgdt,
 *         sidt, sldt, str, smsw), which would leak kernel addresses.
 *
 * QEMU's default qemu64 CPU has none of them, -cpu max all three. The
 * boot CPU probes; application processors copy its decision, so one
 * flag (cpu_has_smap) is true for every CPU or none.
 */
#include <asm/cpu.h>
#include <asm/smap.h>
#include <keel/printk.h>

#define CPUID7_EBX_SMEP (1U << 7)
#define CPUID7_EBX_SMAP (1U << 20)
#define CPUID7_ECX_UMIP (1U << 2)

bool cpu_has_smap;
bool cpu_has_smep;
bool cpu_has_umip;
static bool probed;

static void probe_protections(void)
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	if (a < 7)
		return;
	cpuid(7, 0, &a, &b, &c, &d);
	cpu_has_smep = b & CPUID7_EBX_SMEP;
	cpu_has_smap = b & CPUID7_EBX_SMAP;
	cpu_has_umip = c & CPUID7_ECX_UMIP;
	pr_info("cpu: SMEP %s, SMAP %s, UMIP %s\n",
		cpu_has_smep ? "on" : "absent", cpu_has_smap ? "on" : "absent",
		cpu_has_umip ? "on" : "absent");
}

void cpu_setup_protections(void)
{
	u64 cr4 = read_cr4();

	if (!probed) {
		probe_protections();
		probed = true;
	}
	if (cpu_has_smep)
		cr4 |= X86_CR4_SMEP;
	if (cpu_has_smap)
		cr4 |= X86_CR4_SMAP;
	if (cpu_has_umip)
		cr4 |= X86_CR4_UMIP;
	write_cr4(cr4);
	clac();
}
