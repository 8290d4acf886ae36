// SPDX-License-Identifier: MIT
/*
 * reboot.c - orderly power off and restart: stop the built-in modules
 * (their exit functions, newest first, C and Rust alike) and then hand
 * over to the machine code in arch/.
 */
#include <keel/init.h>
#include <keel/monitor.h>
#include <keel/power.h>
#include <keel/printk.h>

void kernel_power_off(void)
{
	pr_info("keel: stopping modules, powering off\n");
	do_exitcalls();
	machine_power_off();
}

void kernel_restart(void)
{
	pr_info("keel: stopping modules, restarting\n");
	do_exitcalls();
	machine_restart();
}

static int cmd_reboot(int argc, char **argv)
{
	kernel_restart();
}
MONITOR_CMD(reboot, NULL, "restart the machine", 0, 0, cmd_reboot);

static int cmd_poweroff(int argc, char **argv)
{
	kernel_power_off();
}
MONITOR_CMD(poweroff, NULL, "turn the machine off", 0, 0, cmd_poweroff);
