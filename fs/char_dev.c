// SPDX-License-Identifier: MIT
/*
 * char_dev.c - character devices: a table from device numbers to file
 * operations. A character-device inode opens with def_chr_fops, whose
 * open finds the driver's operations by i_rdev and puts them in the
 * file (Linux's chrdev_open). Registrations are static (drivers built
 * in), so the table only grows; chrdev_lock protects it.
 */
#include <keel/fs.h>
#include <keel/slab.h>

#define MAX_CHRDEV_REGIONS 32

struct char_device_struct {
	dev_t base;
	unsigned int count;
	const char *name;
	const struct file_operations *fops;
};

static struct char_device_struct chrdevs[MAX_CHRDEV_REGIONS];
static unsigned int nr_chrdevs;
static DEFINE_SPINLOCK(chrdev_lock);

static bool regions_overlap(dev_t a, unsigned int na, dev_t b, unsigned int nb)
{
	return a < b + nb && b < a + na;
}

/* Returns 0, -EBUSY (overlap), -ENOSPC (table full), -EINVAL. */
int register_chrdev_region_fops(dev_t base, unsigned int count,
				const char *name,
				const struct file_operations *fops)
{
	int err = 0;

	if (!count || MINOR(base) + count - 1 > MINORMASK || !fops)
		return -EINVAL;
	spin_lock(&chrdev_lock);
	for (unsigned int i = 0; i < nr_chrdevs; i++)
		if (regions_overlap(base, count, chrdevs[i].base,
				    chrdevs[i].count))
			err = -EBUSY;
	if (!err && nr_chrdevs == MAX_CHRDEV_REGIONS)
		err = -ENOSPC;
	if (!err)
		chrdevs[nr_chrdevs++] =
			(struct char_device_struct){ base, count, name, fops };
	spin_unlock(&chrdev_lock);
	return err;
}

static const struct file_operations *chrdev_lookup(dev_t dev)
{
	const struct file_operations *fops = NULL;

	spin_lock(&chrdev_lock);
	for (unsigned int i = 0; i < nr_chrdevs; i++)
		if (regions_overlap(dev, 1, chrdevs[i].base, chrdevs[i].count))
			fops = chrdevs[i].fops;
	spin_unlock(&chrdev_lock);
	return fops;
}

/* -ENXIO: no driver has the inode's device number. */
static int chrdev_open(struct inode *inode, struct file *f)
{
	const struct file_operations *fops = chrdev_lookup(inode->i_rdev);

	if (!fops)
		return -ENXIO;
	f->f_op = fops;
	return fops->open ? fops->open(inode, f) : 0;
}

const struct file_operations def_chr_fops = {
	.open = chrdev_open,
	.llseek = no_llseek,
};
