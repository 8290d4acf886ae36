// SPDX-License-Identifier: MIT
/*
 * uncaught.c - C twins of compile-fail cases that no instrument keel has
 * catches at run time: each case makes the mistake, shows that it had an
 * effect (a torn snapshot, a lost update, a neighbour's register read),
 * and checks that KASAN, UBSAN and the lock validator all stayed silent.
 * These are the "not caught" rows of docs/rust-safety.md's table; a case
 * here failing because a report came would mean an instrument learnt to
 * see the bug (move the twin to the suite of that instrument).
 *
 * Test-only code: built only into sanitizer kernels (KASAN=1, UBSAN=1 or
 * LOCKDEP=1; Makefile). The races are made deterministic with the
 * software-triggered test interrupt line: the test raises the interrupt
 * exactly where, in the field, another CPU or a real interrupt may come.
 */
#include <asm/io.h>
#include <keel/irq.h>
#include <keel/kasan.h>
#include <keel/ktest.h>
#include <keel/lockdep.h>
#include <keel/mm.h>
#include <keel/spinlock.h>
#include <keel/string.h>
#include <keel/ubsan.h>
#include <keel/vmalloc.h>

struct reports {
	unsigned long kasan, ubsan, lockdep;
};

static void reports_get(struct reports *r)
{
	r->kasan = kasan_reports();
	r->ubsan = ubsan_reports();
	r->lockdep = lockdep_reports();
}

static void expect_no_report(struct ktest *t, const struct reports *before)
{
	struct reports now;

	reports_get(&now);
	KTEST_EXPECT_EQ(t, now.kasan, before->kasan);
	KTEST_EXPECT_EQ(t, now.ubsan, before->ubsan);
	KTEST_EXPECT_EQ(t, now.lockdep, before->lockdep);
}

struct dev_stats {
	u64 rx, tx;
};

struct netdev {
	spinlock_t lock; /* protects stats */
	struct dev_stats stats;
	u64 hits; /* 07: meant to be protected, but nobody takes a lock */
};

static struct netdev race_dev = { .lock = SPINLOCK_INIT };

/* The interrupt handler does it right: the lock, then the data. */
static enum irqreturn rx_irq(unsigned int irq, void *cookie)
{
	struct netdev *dev = cookie;

	spin_lock(&dev->lock);
	dev->stats.rx++;
	dev->stats.tx = dev->stats.rx;
	spin_unlock(&dev->lock);
	return IRQ_HANDLED;
}

/* The window in which, in the field, the writer runs. */
static void writer_runs(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, irq_test_line_raise(), 0);
}

/* 03_guard_ref_outlives_lock: the pointer outlives the locked scope. */
static noinline struct dev_stats *stats_of(struct netdev *dev)
{
	unsigned long flags;
	struct dev_stats *p;

	spin_lock_irqsave(&dev->lock, flags);
	p = &dev->stats;
	spin_unlock_irqrestore(&dev->lock, flags);
	return p; /* BUG: the caller reads through it unlocked */
}

/* 04_guard_ref_after_unlock: p = &dev->stats; unlock; return p->rx. */
static noinline u64 rx_after_unlock(struct ktest *t, struct netdev *dev)
{
	unsigned long flags;
	struct dev_stats *p;

	spin_lock_irqsave(&dev->lock, flags);
	p = &dev->stats;
	spin_unlock_irqrestore(&dev->lock, flags);
	writer_runs(t);
	return READ_ONCE(p->rx); /* BUG: unprotected read */
}

static int race_init(struct ktest *t)
{
	unsigned int irq = irq_test_line_get();
	int err = request_irq(irq, rx_irq, "c-bugs", &race_dev);

	if (err) {
		irq_test_line_put();
		return err;
	}
	memset(&race_dev.stats, 0, sizeof(race_dev.stats));
	race_dev.hits = 0;
	t->priv = (void *)(unsigned long)irq;
	return 0;
}

static void race_exit(struct ktest *t)
{
	free_irq((unsigned int)(unsigned long)t->priv, &race_dev);
	irq_test_line_put();
}

static void c03_ref_outlives_lock(struct ktest *t)
{
	struct reports before;
	struct dev_stats *p;
	u64 rx;

	reports_get(&before);
	p = stats_of(&race_dev);
	rx = READ_ONCE(p->rx);
	writer_runs(t);
	/* a torn snapshot: tx from after the writer, rx from before */
	KTEST_EXPECT_NE(t, READ_ONCE(p->tx), rx);
	expect_no_report(t, &before);
}

static void c04_ref_after_unlock(struct ktest *t)
{
	struct reports before;

	reports_get(&before);
	/* under the lock rx was 0; the value returned is the writer's */
	KTEST_EXPECT_EQ(t, rx_after_unlock(t, &race_dev), 1ULL);
	expect_no_report(t, &before);
}

/*
 * 07_irq_handler_cell (and 21, 23): dev->hits++ in process context and
 * in the interrupt handler, no lock. The increment is a load and a store;
 * the interrupt comes between them, and its increment is lost.
 */
static enum irqreturn hits_irq(unsigned int irq, void *cookie)
{
	struct netdev *dev = cookie;

	WRITE_ONCE(dev->hits, READ_ONCE(dev->hits) + 1);
	return IRQ_HANDLED;
}

static void c07_irq_shared_counter(struct ktest *t)
{
	unsigned int irq = (unsigned int)(unsigned long)t->priv;
	struct reports before;
	u64 v;

	free_irq(irq, &race_dev); /* this case's handler instead */
	KTEST_ASSERT_EQ(t, request_irq(irq, hits_irq, "c-bugs", &race_dev), 0);
	reports_get(&before);
	v = READ_ONCE(race_dev.hits);	  /* dev->hits++, the load ... */
	writer_runs(t);			  /* ... the handler's hits++ ... */
	WRITE_ONCE(race_dev.hits, v + 1); /* ... and the store */
	KTEST_EXPECT_EQ(t, race_dev.hits, 1ULL); /* two increments, one kept */
	expect_no_report(t, &before);
	free_irq(irq, &race_dev);
	KTEST_ASSERT_EQ(t, request_irq(irq, rx_irq, "c-bugs", &race_dev), 0);
}

/*
 * 19_mmio_out_of_bounds on real MMIO: readl(base + 0x10) on a 16-byte
 * window. KASAN has no shadow for ioremap() space (docs/kasan.md), and
 * the access is a plain load to the device: it reads whatever sits past
 * the window. Here the "device" is a RAM page mapped uncached, so what
 * the read returns can be checked.
 */
static void c19_mmio_out_of_bounds(struct ktest *t)
{
	u32 *page = alloc_pages(GFP_KERNEL, 0);
	struct reports before;
	unsigned long off = 0x10;
	u8 *base;

	KTEST_ASSERT_NOT_NULL(t, page);
	page[4] = 0xdeadbeef; /* the next device's first register */
	base = ioremap(virt_to_phys(page), 16);
	if (!base) {
		free_pages(page, 0);
		KTEST_ASSERT_NOT_NULL(t, base);
	}
	reports_get(&before);
	OPTIMIZER_HIDE_VAR(off);
	KTEST_EXPECT_EQ(t, mmio_read32(base + off), 0xdeadbeefU);
	expect_no_report(t, &before);
	iounmap(base);
	free_pages(page, 0);
}

/*
 * An uninitialised read (64_uninit_out_param, Rust E0381): a reply
 * struct on the stack that a helper fills on one path only, read on the
 * other. gcc cannot warn (the fill is behind a pointer, in another
 * function), and no sanitizer keel has checks reads of uninitialised
 * memory (that would be KMSAN). keel's -ftrivial-auto-var-init=zero
 * makes the read return 0 rather than stale stack contents: defined and
 * repeatable, but not caught.
 */
struct status_reply {
	u32 status;
	u32 flags;
};

static noinline __attribute__((noipa)) void fill_reply(struct status_reply *r,
						       bool ready)
{
	if (ready) {
		r->status = 0x80;
		r->flags = 1;
	}
}

static noinline __attribute__((noipa)) u32 query_status(bool ready)
{
	struct status_reply r;

	fill_reply(&r, ready);
	return r.status; /* BUG: never written when !ready */
}

/* Leave a pattern in the stack below the caller, where the query runs. */
static noinline void dirty_stack(void)
{
	u32 junk[64];

	for (int i = 0; i < 64; i++)
		junk[i] = 0xa5a5a5a5;
	__asm__ __volatile__("" : : "r"(junk) : "memory");
}

static void uninitialised_read(struct ktest *t)
{
	struct reports before;
	volatile bool ready = false;
	u32 status;

	reports_get(&before);
	dirty_stack();
	status = query_status(ready);
	if (KEEL_INIT_ZERO)
		KTEST_EXPECT_EQ(t, status, 0U);
	expect_no_report(t, &before);
}

static struct ktest_case c_bugs_race_cases[] = {
	KTEST_CASE(c03_ref_outlives_lock),
	KTEST_CASE(c04_ref_after_unlock),
	KTEST_CASE(c07_irq_shared_counter),
	{}
};

KTEST_SUITE(c_bugs_uncaught_race, c_bugs_race_cases, .init = race_init,
	    .exit = race_exit);

static struct ktest_case c_bugs_uncaught_cases[] = {
	KTEST_CASE(c19_mmio_out_of_bounds),
	KTEST_CASE(uninitialised_read),
	{}
};

KTEST_SUITE(c_bugs_uncaught, c_bugs_uncaught_cases);
