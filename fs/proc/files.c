// SPDX-License-Identifier: MIT
/*
 * files.c - the text of /proc's files, in Linux's formats (busybox
 * free, uptime, mount and df parse them).
 */
#include <asm/cpu.h>
#include <keel/cpumask.h>
#include <keel/fs_struct.h>
#include <keel/irq.h>
#include <keel/mm.h>
#include <keel/netdevice.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/version.h>

#include "../internal.h"
#include "internal.h"

static void meminfo_line(struct seq_buf *s, const char *name, unsigned long kib)
{
	seq_buf_printf(s, "%-16s%8lu kB\n", name, kib);
}

void proc_meminfo_show(struct seq_buf *s)
{
	unsigned long kib_per_page = PAGE_SIZE / 1024;
	struct mm_usage u;

	mm_usage_get(&u);
	meminfo_line(s, "MemTotal:", nr_total_pages() * kib_per_page);
	meminfo_line(s, "MemFree:", u.free_pages * kib_per_page);
	meminfo_line(s, "MemAvailable:", u.free_pages * kib_per_page);
	meminfo_line(s, "Buffers:", 0);
	/* TODO: count ramfs pages as Cached/Shmem */
	meminfo_line(s, "Cached:", 0);
	meminfo_line(s, "SwapCached:", 0);
	meminfo_line(s, "SwapTotal:", 0);
	meminfo_line(s, "SwapFree:", 0);
	meminfo_line(s, "Shmem:", 0);
	meminfo_line(s, "Slab:", u.slab_bytes / 1024);
}

/* Seconds since boot; TODO: the idle time (second field) is 0. */
void proc_uptime_show(struct seq_buf *s)
{
	u64 ns = ktime_get_ns();

	seq_buf_printf(s, "%llu.%02llu 0.00\n", ns / 1000000000ULL,
		       ns / 10000000ULL % 100);
}

static void cpu_vendor(char vendor[13])
{
	u32 a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor[12] = '\0';
}

static void cpu_model_name(char name[49])
{
	u32 r[12], max, b, c, d;

	cpuid(0x80000000, 0, &max, &b, &c, &d);
	name[0] = '\0';
	if (max < 0x80000004)
		return;
	for (u32 i = 0; i < 3; i++)
		cpuid(0x80000002 + i, 0, &r[4 * i], &r[4 * i + 1],
		      &r[4 * i + 2], &r[4 * i + 3]);
	memcpy(name, r, 48);
	name[48] = '\0';
}

void proc_cpuinfo_show(struct seq_buf *s)
{
	char vendor[13], model[49];
	u64 khz = tsc_khz_get();
	u32 a, b, c, d;
	unsigned int cpu;

	cpu_vendor(vendor);
	cpu_model_name(model);
	cpuid(1, 0, &a, &b, &c, &d);
	for_each_online_cpu(cpu) {
		seq_buf_printf(s, "processor\t: %u\nvendor_id\t: %s\n", cpu,
			       vendor);
		seq_buf_printf(s, "cpu family\t: %u\nmodel\t\t: %u\n",
			       (a >> 8) & 0xf, (a >> 4) & 0xf);
		seq_buf_printf(s, "model name\t: %s\nstepping\t: %u\n", model,
			       a & 0xf);
		seq_buf_printf(s, "cpu MHz\t\t: %llu.%03llu\n", khz / 1000,
			       khz % 1000);
		seq_buf_printf(s, "fpu\t\t: %s\n\n", d & 1 ? "yes" : "no");
	}
}

struct mounts_ctx {
	struct seq_buf *s;
	struct path root;
	char *buf;
};

/* One line of /proc/mounts; runs under mount_lock. */
static void show_mount(struct vfsmount *m, void *arg)
{
	struct mounts_ctx *ctx = arg;
	struct path mp = { m->mnt_parent, m->mnt_mountpoint };
	char *where = __d_path(&mp, &ctx->root, ctx->buf, PATH_MAX);

	if (IS_ERR(where))
		return;
	seq_buf_printf(ctx->s, "%s %s %s rw 0 0\n", m->mnt_devname, where,
		       m->mnt_sb->s_type->name);
}

void proc_mounts_show(struct seq_buf *s)
{
	struct mounts_ctx ctx = { .s = s };

	ctx.buf = kmalloc(PATH_MAX, GFP_KERNEL);
	if (!ctx.buf)
		return;
	get_fs_root(current_fs(), &ctx.root);
	iterate_mounts(show_mount, &ctx);
	path_put(&ctx.root);
	kfree(ctx.buf);
}

/* Linux's LOAD_INT/LOAD_FRAC, rounded to hundredths. */
#define LOAD_INT(x)  ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)

void proc_loadavg_show(struct seq_buf *s)
{
	unsigned long a[3];
	unsigned int nr = 0;

	get_avenrun(a);
	for (int i = 0; i < 3; i++)
		a[i] += FIXED_1 / 200;
	task_next_pid(0, &nr);
	seq_buf_printf(s, "%lu.%02lu %lu.%02lu %lu.%02lu %u/%u %d\n",
		       LOAD_INT(a[0]), LOAD_FRAC(a[0]), LOAD_INT(a[1]),
		       LOAD_FRAC(a[1]), LOAD_INT(a[2]), LOAD_FRAC(a[2]),
		       nr_running(), nr, task_last_pid());
}

static void stat_cpu_line(struct seq_buf *s, const char *name,
			  const struct cpu_times *t)
{
	/* user nice system idle iowait irq softirq steal guest guest_nice */
	seq_buf_printf(s, "%s %llu %llu %llu %llu 0 0 0 0 0 0\n", name,
		       t->user * 100 / HZ, t->nice * 100 / HZ,
		       t->system * 100 / HZ, t->idle * 100 / HZ);
}

/*
 * Linux's /proc/stat. btime is 0: keel's CLOCK_REALTIME counts from the
 * epoch at boot (kernel/time_syscalls.c).
 */
void proc_stat_show(struct seq_buf *s)
{
	struct cpu_times sum = {}, t;
	unsigned int cpu, nr = 0;
	char name[16];
	u64 intr = 0;

	for_each_online_cpu(cpu) {
		cpu_times_get(cpu, &t);
		sum.user += t.user;
		sum.nice += t.nice;
		sum.system += t.system;
		sum.idle += t.idle;
	}
	stat_cpu_line(s, "cpu ", &sum);
	for_each_online_cpu(cpu) {
		cpu_times_get(cpu, &t);
		snprintf(name, sizeof(name), "cpu%u", cpu);
		stat_cpu_line(s, name, &t);
	}
	for (unsigned int i = 0; i < NR_IRQS; i++)
		intr += irq_count(i);
	seq_buf_printf(s, "intr %llu", intr);
	for (unsigned int i = 0; i < NR_IRQS; i++)
		seq_buf_printf(s, " %llu", irq_count(i));
	task_next_pid(0, &nr);
	seq_buf_printf(s, "\nctxt %llu\nbtime 0\nprocesses %lu\n",
		       nr_context_switches(), task_nr_forks());
	seq_buf_printf(s, "procs_running %u\nprocs_blocked 0\n", nr_running());
	seq_buf_printf(s, "softirq 0 0 0 0 0 0 0 0 0 0 0\n");
}

/* As uname(2) says it (kernel/sys.c), in Linux's layout. */
void proc_version_show(struct seq_buf *s)
{
	seq_buf_printf(s, "keel version 6.1.0-keel (keel@keel) (gcc %s) ",
		       __VERSION__);
	seq_buf_printf(s, "#1 SMP keel %s (%s)\n", KEEL_VERSION, KEEL_GIT_REV);
}

static void show_filesystem(struct file_system_type *type, void *arg)
{
	/* none of keel's file systems needs a block device */
	seq_buf_printf(arg, "nodev\t%s\n", type->name);
}

void proc_filesystems_show(struct seq_buf *s)
{
	iterate_filesystems(show_filesystem, s);
}

/* Linux's dev_seq_show (net/core/net-procfs.c). */
void proc_net_dev_show(struct seq_buf *s)
{
	struct net_device *dev = NULL;

	seq_buf_printf(s, "Inter-|   Receive                            "
			  "                    |  Transmit\n"
			  " face |bytes    packets errs drop fifo frame "
			  "compressed multicast|bytes    packets errs "
			  "drop fifo colls carrier compressed\n");
	while ((dev = dev_next(dev)) != NULL) {
		struct net_device_stats st;

		dev_get_stats(dev, &st);
		seq_buf_printf(s, "%6s:%8llu %7llu %4llu %4llu %4llu %5llu ",
			       dev->name, st.rx_bytes, st.rx_packets,
			       st.rx_errors,
			       st.rx_dropped + st.rx_missed_errors, 0ULL,
			       st.rx_length_errors + st.rx_crc_errors);
		seq_buf_printf(s, "%10llu %9llu %8llu %7llu %4llu %4llu ", 0ULL,
			       0ULL, st.tx_bytes, st.tx_packets, st.tx_errors,
			       st.tx_dropped);
		seq_buf_printf(s, "%4llu %5llu %7llu %10llu\n", 0ULL, 0ULL,
			       0ULL, 0ULL);
	}
}
