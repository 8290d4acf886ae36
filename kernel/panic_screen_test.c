// SPDX-License-Identifier: MIT
/*
 * panic_screen_test.c - the panic-screen writer slot (keel/panic.h): one
 * writer at a time, and an entry is never removed under a running writer.
 *
 * The cases use a slot of their own, not the global one the Rust panic
 * screen occupies, and a writer that holds still inside its draw until
 * the case lets it go.
 */
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/panic.h>
#include <keel/timer.h>

struct held_writer {
	int entered;  /* the draw has started */
	int release;  /* the draw may return */
	int returned; /* the draw has returned */
};

static int held_draw(void *cookie, const struct panic_report *r,
		     struct panic_screen_result *res)
{
	struct held_writer *w = cookie;

	(void)r;
	WRITE_ONCE(w->entered, 1);
	while (!READ_ONCE(w->release))
		cpu_relax();
	res->qr_version = 7;
	WRITE_ONCE(w->returned, 1);
	return 0;
}

static struct panic_screen_slot test_slot;
static struct panic_screen test_entry;
static int unregistered;

static int draw_thread(void *data)
{
	struct panic_screen_result res;
	int err;

	(void)data;
	err = panic_screen_slot_draw(&test_slot, NULL, &res);
	return err ? err : (int)res.qr_version;
}

static int unregister_thread(void *data)
{
	(void)data;
	panic_screen_slot_unregister(&test_slot, &test_entry);
	WRITE_ONCE(unregistered, 1);
	return 0;
}

static void unregister_waits_for_running_draw(struct ktest *t)
{
	struct held_writer w = { 0 };
	struct task *drawer, *remover;

	test_slot = (struct panic_screen_slot){ 0 };
	test_entry = (struct panic_screen){ .fn = held_draw, .cookie = &w };
	unregistered = 0;
	KTEST_ASSERT_EQ(t, panic_screen_slot_register(&test_slot, &test_entry),
			0);
	drawer = kthread_run(draw_thread, NULL, "ps-draw");
	KTEST_ASSERT_FALSE(t, IS_ERR(drawer));
	while (!READ_ONCE(w.entered))
		msleep(1);
	remover = kthread_run(unregister_thread, NULL, "ps-unreg");
	KTEST_ASSERT_FALSE(t, IS_ERR(remover));
	msleep(30);
	/* the entry is gone, but the writer it names is still running */
	KTEST_EXPECT_TRUE(t, READ_ONCE(test_slot.cur) == NULL);
	KTEST_EXPECT_FALSE(t, READ_ONCE(unregistered));
	WRITE_ONCE(w.release, 1);
	KTEST_EXPECT_EQ(t, kthread_stop(remover), 0);
	KTEST_EXPECT_TRUE(t, READ_ONCE(w.returned));
	KTEST_EXPECT_EQ(t, kthread_stop(drawer), 7);
	KTEST_EXPECT_EQ(t, test_slot.drawing, 0);
}

static int noop_draw(void *cookie, const struct panic_report *r,
		     struct panic_screen_result *res)
{
	(void)cookie;
	(void)r;
	(void)res;
	return 0;
}

static void one_writer_at_a_time(struct ktest *t)
{
	struct panic_screen a = { .fn = noop_draw, .cookie = &a };
	struct panic_screen b = { .fn = noop_draw, .cookie = &b };
	struct panic_screen none = { .fn = NULL };
	struct panic_screen_result res;

	test_slot = (struct panic_screen_slot){ 0 };
	KTEST_EXPECT_EQ(t, panic_screen_slot_draw(&test_slot, NULL, &res),
			-ENODEV);
	KTEST_EXPECT_EQ(t, panic_screen_slot_register(&test_slot, &none),
			-EINVAL);
	KTEST_EXPECT_EQ(t, panic_screen_slot_register(&test_slot, &a), 0);
	KTEST_EXPECT_EQ(t, panic_screen_slot_register(&test_slot, &b), -EBUSY);
	/* removing an entry that is not installed leaves the other one */
	panic_screen_slot_unregister(&test_slot, &b);
	KTEST_EXPECT_TRUE(t, test_slot.cur == &a);
	panic_screen_slot_unregister(&test_slot, &a);
	KTEST_EXPECT_TRUE(t, test_slot.cur == NULL);
	KTEST_EXPECT_EQ(t, panic_screen_slot_register(&test_slot, &b), 0);
	panic_screen_slot_unregister(&test_slot, &b);
}

#define RACE_ROUNDS 200000

/* Register and unregister in a loop; count rounds where ours was not in. */
static int racer(void *data)
{
	struct panic_screen *mine = data;
	int lost = 0;

	for (int i = 0; i < RACE_ROUNDS; i++) {
		if (panic_screen_slot_register(&test_slot, mine))
			continue;
		if (READ_ONCE(test_slot.cur) != mine)
			lost++;
		panic_screen_slot_unregister(&test_slot, mine);
	}
	return lost;
}

static void two_cpus_registering_at_once(struct ktest *t)
{
	struct panic_screen a = { .fn = noop_draw, .cookie = &a };
	struct panic_screen b = { .fn = noop_draw, .cookie = &b };
	struct task *p0, *p1;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	test_slot = (struct panic_screen_slot){ 0 };
	p0 = kthread_run_on_cpu(racer, &a, 0, "ps-race0");
	KTEST_ASSERT_FALSE(t, IS_ERR(p0));
	p1 = kthread_run_on_cpu(racer, &b, 1, "ps-race1");
	if (IS_ERR(p1)) {
		kthread_stop(p0);
		KTEST_ASSERT_FALSE(t, true);
	}
	/* a winner whose entry another CPU replaced: two writers "won" */
	KTEST_EXPECT_EQ(t, kthread_stop(p0), 0);
	KTEST_EXPECT_EQ(t, kthread_stop(p1), 0);
	KTEST_EXPECT_TRUE(t, test_slot.cur == NULL);
}

static struct ktest_case panic_screen_cases[] = {
	KTEST_CASE(two_cpus_registering_at_once),
	KTEST_CASE(one_writer_at_a_time),
	KTEST_CASE(unregister_waits_for_running_draw),
	{}
};
KTEST_SUITE(panic_screen_slot, panic_screen_cases);
