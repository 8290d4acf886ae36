// SPDX-License-Identifier: MIT
/*
 * sys.c - the small system calls about the process and the system:
 * ids, uname, sched_yield, set_tid_address, and the console writes.
 *
 * Everyone is root: the uid/gid calls answer 0. write and writev go to
 * the console for fds 1 and 2, which every process has (TODO: through
 * the fd table once the VFS is merged); any other fd is -EBADF.
 */
#include <keel/errno.h>
#include <keel/power.h>
#include <keel/printk.h>
#include <keel/process.h>
#include <keel/sched.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/version.h>

#define IOV_MAX 1024

struct new_utsname {
	char sysname[65];
	char nodename[65];
	char release[65];
	char version[65];
	char machine[65];
	char domainname[65];
};

struct iovec {
	void __user *iov_base;
	size_t iov_len;
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
	struct task *parent = READ_ONCE(current->parent);

	return parent ? parent->pid : 0;
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

/*
 * Write count bytes from buf to the console. Returns the bytes written,
 * or -EFAULT if not even the first chunk could be read.
 */
static long console_write_user(const char __user *buf, size_t count)
{
	char chunk[256];
	size_t done = 0;

	while (done < count) {
		size_t n = min(count - done, sizeof(chunk));
		size_t left = copy_from_user(chunk, buf + done, n);

		console_write(chunk, n - left);
		done += n - left;
		if (left)
			return done ? (long)done : -EFAULT;
	}
	return done;
}

static bool is_console_fd(unsigned int fd)
{
	return fd == 1 || fd == 2;
}

SYSCALL_DEFINE3(write, unsigned int, fd, const char __user *, buf, size_t,
		count)
{
	if (!is_console_fd(fd))
		return -EBADF;
	if ((long)count < 0)
		return -EINVAL;
	return console_write_user(buf, count);
}

SYSCALL_DEFINE3(writev, unsigned int, fd, const struct iovec __user *, vec,
		unsigned long, vlen)
{
	long total = 0;

	if (!is_console_fd(fd))
		return -EBADF;
	if (vlen > IOV_MAX)
		return -EINVAL;
	for (unsigned long i = 0; i < vlen; i++) {
		struct iovec iov;
		long n;

		if (copy_from_user(&iov, vec + i, sizeof(iov)))
			return total ? total : -EFAULT;
		if ((long)iov.iov_len < 0)
			return -EINVAL;
		n = console_write_user(iov.iov_base, iov.iov_len);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((size_t)n < iov.iov_len)
			break;
	}
	return total;
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
