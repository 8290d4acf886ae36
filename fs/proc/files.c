// SPDX-License-Identifier: MIT
/*
 * files.c - the text of /proc's files, in Linux's formats (busybox
 * free, uptime, mount and df parse them).
 */
#include <asm/cpu.h>
#include <keel/cpumask.h>
#include <keel/fs_struct.h>
#include <keel/mm.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/time.h>

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
