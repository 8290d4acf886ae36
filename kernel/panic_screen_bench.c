// SPDX-License-Identifier: MIT
/*
 * panic_screen_bench.c - how long the panic screen takes (make bench).
 *
 * Each case fills the log ring to the top (debug-level lines, so the
 * consoles stay quiet), builds a report as panic() does, and runs the
 * registered writer in one data mode, requiring a version-40 symbol:
 *
 *   panic_screen_{plain,zlib}_v40   report start to finished screen, us
 *   panic_qr_encode_{plain,zlib}_v40  the QR encoding alone, ns; under
 *                                   -icount shift=0 one ns is one guest
 *                                   instruction, so this is its count
 *   panic_zlib_fit_tail             finding and compressing the longest
 *                                   tail that fits, ns (= instructions
 *                                   under icount)
 *
 * The real panic() adds its own report printing before this and prints
 * "complete N us after panic()" for every panic (tests/screen.py).
 * Without a display or writer the cases fail with -ENODEV.
 */
#include <keel/bench.h>
#include <keel/errno.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/time.h>

#define BENCH_URL "https://keel.example/panic?z="

enum what { TOTAL, ENCODE, COMPRESS };

static void fill_log(void)
{
	static bool filled;

	if (filled)
		return;
	for (unsigned int i = 0; i < 1000; i++)
		pr_debug(
			"bench: filler line %u, device %02x:%02x.%u state %#x\n",
			i, i % 7, i % 32, i % 8, i * 2654435761U);
	filled = true;
}

static int run_screen(struct bench *b, enum panic_qr_mode mode, enum what w)
{
	static struct panic_report r;
	struct panic_screen_result res;
	u64 end, v;
	int err;

	fill_log();
	bench_reset_timer(b);
	panic_report_fill(&r, "bench: a panic that is not one");
	r.start_ns = b->start_ns;
	r.qr_mode = mode;
	r.qr_max_version = 40;
	r.qr_url = BENCH_URL;
	err = panic_screen_draw(&r, &res);
	end = ktime_get_ns();
	if (err)
		return err;
	if (res.qr_version != 40)
		return -ENOSPC;
	if (w == TOTAL) {
		v = (end - r.start_ns) * 1000 / NSEC_PER_USEC;
		bench_set_result(b, v, "us");
	} else {
		v = w == ENCODE ? res.encode_ns : res.compress_ns;
		bench_set_result(b, v * 1000, "ns");
	}
	return 0;
}

static int plain_total(struct bench *b)
{
	return run_screen(b, PANIC_QR_PLAIN, TOTAL);
}
BENCH_CASE(panic_screen_plain_v40, plain_total, 1);

static int zlib_total(struct bench *b)
{
	return run_screen(b, PANIC_QR_ZLIB, TOTAL);
}
BENCH_CASE(panic_screen_zlib_v40, zlib_total, 1);

static int plain_encode(struct bench *b)
{
	return run_screen(b, PANIC_QR_PLAIN, ENCODE);
}
BENCH_CASE(panic_qr_encode_plain_v40, plain_encode, 1);

static int zlib_encode(struct bench *b)
{
	return run_screen(b, PANIC_QR_ZLIB, ENCODE);
}
BENCH_CASE(panic_qr_encode_zlib_v40, zlib_encode, 1);

static int zlib_compress(struct bench *b)
{
	return run_screen(b, PANIC_QR_ZLIB, COMPRESS);
}
BENCH_CASE(panic_zlib_fit_tail, zlib_compress, 1);
