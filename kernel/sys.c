// SPDX-License-Identifier: MIT
/*
 * sys.c - the small system calls about the process and the system:
 * ids, uname, sched_yield, set_tid_address, reboot. (read, write and
 * the other file calls are in fs/.)
 *
 * Everyone is root: the uid/gid calls answer 0.
 */
#include <keel/errno.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/version.h>

struct new_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

SYSCALL_DEFINE0(getpid)
{
	return current->pid;
}

SYSCALL_DEFINE0(gettid)
{
	return current->pid;
}

SYSCALL_DEFINE0(getppid)
{
	return task_ppid(current);
}

SYSCALL_DEFINE0(getuid)
{
	return 0;
}

SYSCALL_DEFINE0(geteuid)
{
	return 0;
}

SYSCALL_DEFINE0(getgid)
{
	return 0;
}

SYSCALL_DEFINE0(getegid)
{
	return 0;
}

SYSCALL_DEFINE0(sched_yield)
{
	sched_yield();
	return 0;
}

SYSCALL_DEFINE1(set_tid_address, int __user *, tidptr)
{
	current->clear_child_tid = tidptr;
	return current->pid;
}

SYSCALL_DEFINE1(uname, struct new_utsname __user *, name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "keel", sizeof(u.sysname));
	strlcpy(u.nodename, "keel", sizeof(u.nodename));
	/* the Linux ABI level keel speaks; C libraries check it */
	strlcpy(u.release, "6.1.0-keel", sizeof(u.release));
	snprintf(u.version, sizeof(u.version), "#1 SMP keel %s (%s)",
		 KEEL_VERSION, KEEL_GIT_REV);
	strlcpy(u.machine, "x86_64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

#define LINUX_REBOOT_MAGIC1	   0xfee1dead
#define LINUX_REBOOT_MAGIC2	   672274793
#define LINUX_REBOOT_CMD_RESTART   0x01234567
#define LINUX_REBOOT_CMD_HALT	   0xcdef0123
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc

SYSCALL_DEFINE4(reboot, int, magic1, int, magic2, unsigned int, cmd,
		void __user *, arg)
{
	if ((unsigned int)magic1 != LINUX_REBOOT_MAGIC1 ||
	    magic2 != LINUX_REBOOT_MAGIC2)
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		pr_info("reboot: power down (by %d %s)\n", current->pid,
			current->name);
		kernel_power_off();
	case LINUX_REBOOT_CMD_RESTART: kernel_restart();
	default: return -EINVAL;
	}
}
