// SPDX-License-Identifier: MIT
/*
 * monitor_cmds.c - the monitor's view of the file tree: ls and cat,
 * through the same VFS calls as everything else (root: init_fs).
 */
#include <keel/fs.h>
#include <keel/monitor.h>
#include <keel/slab.h>

struct ls_ctx {
	struct dir_context ctx;
	struct file *dir;
};

static const char dtype_char[16] = {
	[DT_DIR] = 'd', [DT_REG] = '-',	 [DT_LNK] = 'l',  [DT_CHR] = 'c',
	[DT_BLK] = 'b', [DT_FIFO] = 'p', [DT_SOCK] = 's',
};

static bool ls_entry(struct dir_context *ctx, const char *name, int len,
		     loff_t off, u64 ino, unsigned int type)
{
	char c = type < 16 && dtype_char[type] ? dtype_char[type] : '?';

	monitor_printf("%c %8llu %.*s\n", c, ino, len, name);
	return true;
}

static int cmd_ls(int argc, char **argv)
{
	struct ls_ctx l = { .ctx.actor = ls_entry };
	const char *name = argc > 1 ? argv[1] : "/";
	int err;

	l.dir = filp_open(name, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(l.dir)) {
		monitor_printf("ls: %s: %s\n", name, errname(PTR_ERR(l.dir)));
		return PTR_ERR(l.dir);
	}
	err = iterate_dir(l.dir, &l.ctx);
	fput(l.dir);
	return err;
}
MONITOR_CMD(ls, "[DIR]", "list a directory (type, inode, name)", 0, 1, cmd_ls);

static int cmd_cat(int argc, char **argv)
{
	struct file *f = filp_open(argv[1], O_RDONLY, 0);
	char *buf = kmalloc(257, GFP_KERNEL);
	loff_t pos = 0;
	ssize_t n = -ENOMEM;

	if (IS_ERR(f)) {
		monitor_printf("cat: %s: %s\n", argv[1], errname(PTR_ERR(f)));
		kfree(buf);
		return PTR_ERR(f);
	}
	while (buf && (n = kernel_read(f, buf, 256, &pos)) > 0) {
		buf[n] = '\0';
		monitor_printf("%s", buf);
	}
	if (n < 0)
		monitor_printf("cat: %s: %s\n", argv[1], errname(n));
	fput(f);
	kfree(buf);
	return n < 0 ? n : 0;
}
MONITOR_CMD(cat, "FILE", "print a file", 1, 1, cmd_cat);
