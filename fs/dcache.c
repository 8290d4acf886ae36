// SPDX-License-Identifier: MIT
/*
 * dcache.c - the dentry cache: the tree of names the path walk goes
 * through.
 *
 * Each directory dentry lists its cached children (d_subdirs); a child
 * references its parent, so a cached subtree keeps its ancestors. One
 * spinlock, dcache_lock, protects every count, link and name. A dentry
 * whose count reaches zero is unlinked and freed at once, and drops its
 * inode and parent: there is no unused-dentry LRU. File systems whose
 * tree lives only in the dcache (ramfs) keep each positive dentry alive
 * with an extra reference (d_count 1 while unused), dropped by unlink.
 * An open directory's readdir keeps its place with a cursor: a nameless
 * negative dentry (DCACHE_CURSOR) in the list of children, which
 * lookups skip.
 */
#include <keel/bug.h>
#include <keel/fs.h>
#include <keel/slab.h>
#include <keel/string.h>

DEFINE_SPINLOCK(dcache_lock);

static void d_set_name(struct dentry *d, char *name, u32 len)
{
	d->d_name.name = name;
	d->d_name.len = len;
}

/* A copy of name in d's inline buffer or a kmalloc'd one; -ENOMEM. */
static int d_copy_name(struct dentry *d, const struct qstr *name, char **out)
{
	char *buf = d->d_iname;

	if (name->len >= DNAME_INLINE_LEN) {
		buf = kmalloc(name->len + 1, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	memcpy(buf, name->name, name->len);
	buf[name->len] = '\0';
	*out = buf;
	return 0;
}

static void d_free_name(struct dentry *d)
{
	if (d->d_name.name != d->d_iname)
		kfree(d->d_name.name);
}

struct dentry *d_alloc(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d = kzalloc(sizeof(*d), GFP_KERNEL);
	char *n;

	if (!d)
		return NULL;
	if (d_copy_name(d, name, &n)) {
		kfree(d);
		return NULL;
	}
	d_set_name(d, n, name->len);
	d->d_count = 1;
	INIT_LIST_HEAD(&d->d_subdirs);
	INIT_LIST_HEAD(&d->d_child);
	d->d_parent = d;
	if (!parent)
		return d;
	d->d_sb = parent->d_sb;
	spin_lock(&dcache_lock);
	parent->d_count++;
	d->d_parent = parent;
	list_add_tail(&d->d_child, &parent->d_subdirs);
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *d_make_root(struct inode *root_inode)
{
	static const struct qstr slash = { "/", 1 };
	struct dentry *d;

	if (!root_inode)
		return NULL;
	d = d_alloc(NULL, &slash);
	if (!d) {
		iput(root_inode);
		return NULL;
	}
	d->d_sb = root_inode->i_sb;
	d->d_inode = root_inode;
	return d;
}

struct dentry *d_alloc_cursor(struct dentry *dir)
{
	static const struct qstr none = { "", 0 };
	struct dentry *d = d_alloc(NULL, &none);

	if (!d)
		return NULL;
	d->d_sb = dir->d_sb;
	d->d_flags = DCACHE_CURSOR;
	spin_lock(&dcache_lock);
	dir->d_count++;
	d->d_parent = dir;
	list_add(&d->d_child, &dir->d_subdirs);
	spin_unlock(&dcache_lock);
	return d;
}

struct dentry *dget(struct dentry *d)
{
	if (d) {
		spin_lock(&dcache_lock);
		d->d_count++;
		spin_unlock(&dcache_lock);
	}
	return d;
}

struct dentry *dget_parent(struct dentry *d)
{
	struct dentry *p;

	spin_lock(&dcache_lock);
	p = d->d_parent;
	p->d_count++;
	spin_unlock(&dcache_lock);
	return p;
}

/*
 * Drop a reference. The last one unlinks d from its parent (under
 * dcache_lock, so d_lookup can no longer find it), then frees it and
 * drops its inode and its parent, iteratively up the tree.
 */
void dput(struct dentry *d)
{
	while (d) {
		struct dentry *parent = NULL;

		spin_lock(&dcache_lock);
		if (WARN_ON_ONCE(d->d_count <= 0) || --d->d_count > 0) {
			spin_unlock(&dcache_lock);
			return;
		}
		if (d->d_parent != d) {
			parent = d->d_parent;
			if (!(d->d_flags & DCACHE_UNHASHED))
				list_del_init(&d->d_child);
		}
		spin_unlock(&dcache_lock);
		if (d->d_inode)
			iput(d->d_inode);
		d_free_name(d);
		kfree(d);
		d = parent;
	}
}

struct dentry *d_lookup(struct dentry *parent, const struct qstr *name)
{
	struct dentry *d;

	spin_lock(&dcache_lock);
	list_for_each_entry(d, &parent->d_subdirs, d_child) {
		if (d->d_flags & DCACHE_CURSOR)
			continue;
		if (d->d_name.len == name->len &&
		    !memcmp(d->d_name.name, name->name, name->len)) {
			d->d_count++;
			spin_unlock(&dcache_lock);
			return d;
		}
	}
	spin_unlock(&dcache_lock);
	return NULL;
}

/* Takes over the caller's reference to inode. */
void d_instantiate(struct dentry *d, struct inode *inode)
{
	spin_lock(&dcache_lock);
	WARN_ON_ONCE(d->d_inode);
	d->d_inode = inode;
	spin_unlock(&dcache_lock);
}

void d_add(struct dentry *d, struct inode *inode)
{
	if (inode)
		d_instantiate(d, inode);
}

/*
 * Unhash d: later lookups no longer find it, but whoever holds it (an
 * open file, a cwd) keeps it and its inode until the last dput.
 */
void d_drop(struct dentry *d)
{
	spin_lock(&dcache_lock);
	if (!(d->d_flags & DCACHE_UNHASHED) && d->d_parent != d) {
		list_del_init(&d->d_child);
		d->d_flags |= DCACHE_UNHASHED;
	}
	spin_unlock(&dcache_lock);
}

/* Swap the names of a and b (inline or allocated). dcache_lock. */
static void swap_names(struct dentry *a, struct dentry *b)
{
	bool a_in = a->d_name.name == a->d_iname;
	bool b_in = b->d_name.name == b->d_iname;
	char tmp[DNAME_INLINE_LEN];
	struct qstr q = a->d_name;

	if (a_in && b_in) {
		memcpy(tmp, a->d_iname, sizeof(tmp));
		memcpy(a->d_iname, b->d_iname, sizeof(tmp));
		memcpy(b->d_iname, tmp, sizeof(tmp));
		q.name = b->d_iname;
		a->d_name.len = b->d_name.len;
	} else if (!a_in && !b_in) {
		a->d_name = b->d_name;
	} else if (a_in) { /* b's name is allocated */
		memcpy(b->d_iname, a->d_iname, sizeof(tmp));
		a->d_name = b->d_name;
		q.name = b->d_iname;
	} else { /* a's name is allocated, b's inline */
		memcpy(a->d_iname, b->d_iname, sizeof(tmp));
		a->d_name.name = a->d_iname;
		a->d_name.len = b->d_name.len;
	}
	b->d_name = q;
}

/*
 * Rename: d takes target's name and parent, target takes d's and is
 * unhashed (it was negative, or the inode rename replaced). Cannot
 * fail. The caller holds both parents' i_mutex.
 */
void d_move(struct dentry *d, struct dentry *target)
{
	struct dentry *p;

	spin_lock(&dcache_lock);
	swap_names(d, target);
	p = d->d_parent;
	d->d_parent = target->d_parent;
	target->d_parent = p;
	list_del_init(&d->d_child);
	list_add_tail(&d->d_child, &d->d_parent->d_subdirs);
	d->d_flags &= ~DCACHE_UNHASHED;
	list_del_init(&target->d_child);
	target->d_flags |= DCACHE_UNHASHED;
	spin_unlock(&dcache_lock);
}

void d_pin(struct dentry *d)
{
	spin_lock(&dcache_lock);
	if (!WARN_ON_ONCE(d->d_flags & DCACHE_PINNED)) {
		d->d_flags |= DCACHE_PINNED;
		d->d_count++;
	}
	spin_unlock(&dcache_lock);
}

void d_unpin(struct dentry *d)
{
	bool pinned;

	spin_lock(&dcache_lock);
	pinned = d->d_flags & DCACHE_PINNED;
	d->d_flags &= ~DCACHE_PINNED;
	spin_unlock(&dcache_lock);
	if (pinned)
		dput(d);
}

/* A pinned child of d (dcache_lock held), or NULL. */
static struct dentry *pinned_child(struct dentry *d)
{
	struct dentry *c;

	list_for_each_entry(c, &d->d_subdirs, d_child)
		if (c->d_flags & DCACHE_PINNED)
			return c;
	return NULL;
}

/*
 * Unpin every dentry below root, leaves first, without recursion (a
 * tree may be PATH_MAX/2 levels deep). A pinned dentry cannot go away
 * while we stand on it: only its own unpin frees it.
 */
void d_genocide(struct dentry *root)
{
	struct dentry *cur = root, *c;

	for (;;) {
		spin_lock(&dcache_lock);
		c = pinned_child(cur);
		if (c && pinned_child(c)) {
			cur = c;
			spin_unlock(&dcache_lock);
			continue;
		}
		if (!c) {
			c = cur == root ? NULL : cur;
			cur = cur->d_parent;
		}
		spin_unlock(&dcache_lock);
		if (!c)
			return;
		d_unpin(c);
	}
}

bool is_subdir(struct dentry *d, struct dentry *anc)
{
	bool ret = false;

	spin_lock(&dcache_lock);
	for (;;) {
		if (d == anc) {
			ret = true;
			break;
		}
		if (d->d_parent == d)
			break;
		d = d->d_parent;
	}
	spin_unlock(&dcache_lock);
	return ret;
}

/* Prepend "/name" to the string ending at *end; false if no room. */
static bool prepend_name(char **end, char *buf, const struct qstr *name)
{
	if (*end - buf < (long)name->len + 1)
		return false;
	*end -= name->len;
	memcpy(*end, name->name, name->len);
	*--(*end) = '/';
	return true;
}

/*
 * The names from p up to root (or the top of the mount tree), at the
 * end of buf: "/a/b". Crosses mounts by their mountpoints. Returns a
 * pointer into buf or ERR_PTR(-ENAMETOOLONG). mount_lock held.
 */
char *__d_path(const struct path *p, const struct path *root, char *buf,
	       int buflen)
{
	struct vfsmount *mnt = p->mnt;
	struct dentry *d = p->dentry;
	char *end = buf + buflen;
	bool ok = true;

	lockdep_assert_held(&mount_lock);
	if (buflen < 2)
		return ERR_PTR(-ENAMETOOLONG);
	*--end = '\0';
	spin_lock(&dcache_lock);
	while (ok && !(d == root->dentry && mnt == root->mnt)) {
		if (d == mnt->mnt_root) {
			if (mnt->mnt_parent == mnt)
				break;
			d = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		ok = prepend_name(&end, buf, &d->d_name);
		d = d->d_parent;
	}
	spin_unlock(&dcache_lock);
	if (!ok)
		return ERR_PTR(-ENAMETOOLONG);
	if (!*end)
		*--end = '/';
	return end;
}

char *d_path(const struct path *p, const struct path *root, char *buf,
	     int buflen)
{
	char *ret;

	spin_lock(&mount_lock);
	ret = __d_path(p, root, buf, buflen);
	spin_unlock(&mount_lock);
	return ret;
}
