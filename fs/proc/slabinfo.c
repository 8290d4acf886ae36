// SPDX-License-Identifier: MIT
/*
 * slabinfo.c - /proc/slabinfo in Linux's "version 2.1" layout: one line
 * per slab cache with its live objects (the fuzzer and leak checks sum
 * them; docs/fuzzing.md).
 *
 * keel's caches count live objects and the pages they hold, not free
 * slots: <num_objs> repeats <active_objs>, <objperslab> is 0 and the
 * slabdata columns give the pages held. The tunables are Linux's SLAB
 * allocator's and are 0 here, as under SLUB.
 */
#include <keel/slab.h>

#include "internal.h"

static void slabinfo_line(const struct kmem_cache_stats *st, void *arg)
{
	seq_buf_printf(arg,
		       "%-17s %6lu %6lu %6zu %4u %4u : tunables %4u %4u %4u "
		       ": slabdata %6lu %6lu %6u\n",
		       st->name, st->objects_in_use, st->objects_in_use,
		       st->object_size, 0, 1, 0, 0, 0, st->slabs, st->slabs, 0);
}

void proc_slabinfo_show(struct seq_buf *s)
{
	seq_buf_printf(s, "slabinfo - version: 2.1\n");
	seq_buf_printf(s, "# name            <active_objs> <num_objs> "
			  "<objsize> <objperslab> <pagesperslab> : tunables "
			  "<limit> <batchcount> <sharedfactor> : slabdata "
			  "<active_slabs> <num_slabs> <sharedavail>\n");
	slab_for_each_stats(slabinfo_line, s);
}
