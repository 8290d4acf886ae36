// SPDX-License-Identifier: MIT
/*
 * devtmpfs.c - /dev: one ramfs instance that every "devtmpfs" mount
 * shows (as Linux's devtmpfs), mounted on /dev at boot with the nodes
 * of the character devices keel has. The instance holds one s_active
 * reference of its own, so unmounting /dev never destroys it.
 *
 * TODO: drivers create and remove their nodes themselves (Linux's
 * device_add -> devtmpfs_create_node); the table below is static.
 */
#include <keel/fs.h>
#include <keel/compiler.h>
#include <keel/printk.h>

#include "internal.h"

static struct dentry *devtmpfs_root;

static struct dentry *devtmpfs_mount(struct file_system_type *type, int flags,
				     const char *dev_name, void *data)
{
	return devtmpfs_root ? dget(devtmpfs_root) : ERR_PTR(-ENODEV);
}

static struct file_system_type devtmpfs_type = {
	.name = "devtmpfs",
	.mount = devtmpfs_mount,
};

static const struct {
	const char *name;
	umode_t mode;
	dev_t dev;
} dev_nodes[] = {
	{ "null", S_IFCHR | 0666, MKDEV(1, 3) },
	{ "zero", S_IFCHR | 0666, MKDEV(1, 5) },
	{ "full", S_IFCHR | 0666, MKDEV(1, 7) },
	{ "random", S_IFCHR | 0666, MKDEV(1, 8) },
	{ "urandom", S_IFCHR | 0666, MKDEV(1, 9) },
	{ "tty", S_IFCHR | 0666, MKDEV(5, 0) },
	{ "console", S_IFCHR | 0600, MKDEV(5, 1) },
	{ "ttyS0", S_IFCHR | 0660, MKDEV(4, 64) },
};

/* Create the nodes under dir; returns the first error (all tried). */
static int create_nodes(const char *dir)
{
	char path[32];
	int ret = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(dev_nodes); i++) {
		int err;

		snprintf(path, sizeof(path), "%s/%s", dir, dev_nodes[i].name);
		err = do_mknodat(AT_FDCWD, path, dev_nodes[i].mode,
				 dev_nodes[i].dev);
		if (!err)
			err = do_fchmodat(AT_FDCWD, path, dev_nodes[i].mode);
		if (err && err != -EEXIST && !ret)
			ret = err;
	}
	return ret;
}

static int devtmpfs_setup(void)
{
	struct file_system_type *ramfs = get_fs_type("ramfs");
	struct dentry *root;
	int err;

	root = ramfs->mount(ramfs, 0, "devtmpfs", NULL);
	if (IS_ERR(root))
		return PTR_ERR(root);
	root->d_sb->s_active = 1; /* the instance's own */
	root->d_sb->s_type = &devtmpfs_type;
	devtmpfs_root = root;
	err = register_filesystem(&devtmpfs_type);
	if (err)
		return err;
	err = do_mkdirat(AT_FDCWD, "/dev", 0755);
	if (err && err != -EEXIST)
		return err;
	err = do_mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	return err ? err : create_nodes("/dev");
}

void devtmpfs_init(void)
{
	int err = devtmpfs_setup();

	if (err)
		pr_err("devtmpfs: cannot set up /dev (%s)\n", errname(err));
	else
		pr_info("devtmpfs: mounted on /dev\n");
}
