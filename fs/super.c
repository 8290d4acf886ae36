// SPDX-License-Identifier: MIT
/*
 * super.c - super blocks and the list of file system types.
 *
 * Every super block is anonymous (no block devices yet): sget_anon()
 * gives it a fresh device number (major 0, as Linux's anonymous
 * devices). Its mounts count in s_active; the last one gone runs the
 * type's kill_sb, which drops the tree and frees the super block.
 */
#include <keel/fs.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>

static struct file_system_type *file_systems;
static DEFINE_SPINLOCK(file_systems_lock);
static unsigned int next_anon_dev = 1;

int register_filesystem(struct file_system_type *fs)
{
	int err = 0;

	spin_lock(&file_systems_lock);
	for (struct file_system_type *p = file_systems; p; p = p->next)
		if (!strcmp(p->name, fs->name))
			err = -EBUSY;
	if (!err) {
		fs->next = file_systems;
		file_systems = fs;
	}
	spin_unlock(&file_systems_lock);
	return err;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct file_system_type *p;

	spin_lock(&file_systems_lock);
	for (p = file_systems; p; p = p->next)
		if (!strcmp(p->name, name))
			break;
	spin_unlock(&file_systems_lock);
	return p;
}

struct super_block *sget_anon(struct file_system_type *type)
{
	struct super_block *sb = kzalloc(sizeof(*sb), GFP_KERNEL);

	if (!sb)
		return NULL;
	sb->s_type = type;
	sb->s_dev = MKDEV(0, __atomic_fetch_add(&next_anon_dev, 1,
						__ATOMIC_RELAXED));
	return sb;
}

/* Called by the last mount of sb going away (no locks held). */
void deactivate_super(struct super_block *sb)
{
	if (sb->s_type->kill_sb)
		sb->s_type->kill_sb(sb);
	if (sb->s_op && sb->s_op->put_super)
		sb->s_op->put_super(sb);
	kfree(sb);
}

/* Nothing is cached on its way to a disk: every file system is in RAM. */
SYSCALL_DEFINE0(sync)
{
	return 0;
}

void iterate_filesystems(void (*fn)(struct file_system_type *type, void *arg),
			 void *arg)
{
	spin_lock(&file_systems_lock);
	for (struct file_system_type *p = file_systems; p; p = p->next)
		fn(p, arg);
	spin_unlock(&file_systems_lock);
}
