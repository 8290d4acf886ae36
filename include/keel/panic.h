/* SPDX-License-Identifier: MIT */
/*
 * keel/panic.h - what panic() hands to the panic screen, and the hook
 * the SMP code fills to stop the other CPUs.
 *
 * panic() (kernel/panic.c) prints its report, then fills a struct
 * panic_report and calls the registered panic-screen writer (a Rust
 * driver, drivers/video/panic_screen.rs, through kernel::fb). The writer
 * runs with interrupts off, possibly in interrupt context, after the
 * other CPUs were stopped: it must not allocate, sleep or wait for a
 * lock (try-lock only), and it must finish.
 *
 * The panic.qr* command-line options are parsed here (C) and passed in
 * the report, so the writer needs no option parsing of its own:
 *   panic.qr=plain|zlib    data mode of the QR code (default plain)
 *   panic.qr_url=URL       zlib mode: byte segment before the digits
 *   panic.qr_version=N     largest QR version, 1..40 (default 40)
 * See docs/panic.md.
 */
#ifndef _KEEL_PANIC_H
#define _KEEL_PANIC_H

#include <keel/types.h>

#define PANIC_MSG_MAX	256
#define PANIC_TRACE_MAX 16
#define PANIC_URL_MAX	160

enum panic_qr_mode {
	PANIC_QR_PLAIN = 0, /* the log tail as bytes */
	PANIC_QR_ZLIB = 1,  /* URL + zlib-compressed log tail as digits */
};

struct panic_report {
	const char *msg;		      /* NUL-terminated */
	unsigned long trace[PANIC_TRACE_MAX]; /* innermost first */
	unsigned int nr_trace;
	bool in_irq;  /* panicked inside a hard-IRQ handler */
	u64 start_ns; /* ktime_get_ns() when panic() began */
	enum panic_qr_mode qr_mode;
	unsigned int qr_max_version; /* 1..40 */
	const char *qr_url;	     /* "" when none */
};

/* What the writer did, for the report line and the benchmarks. */
struct panic_screen_result {
	u32 qr_version;	   /* 0: no QR code drawn */
	u32 log_bytes;	   /* newest log bytes the QR code holds */
	u32 payload_bytes; /* plain: = log_bytes; zlib: compressed bytes */
	u64 compress_ns;   /* finding the tail that fits, compressing */
	u64 encode_ns;	   /* QR encoding */
	u64 draw_ns;	   /* drawing the screen */
};

/*
 * A panic-screen writer: draws the report on the framebuffer and fills
 * res. Returns 0 or -Exxx. See the rules at the top of this file.
 */
typedef int (*panic_screen_fn)(void *cookie, const struct panic_report *r,
			       struct panic_screen_result *res);

/* Install the writer (one at a time): 0, -EINVAL or -EBUSY. */
int panic_screen_register(panic_screen_fn fn, void *cookie);
/* Remove the writer registered with cookie. */
void panic_screen_unregister(void *cookie);

/*
 * Fill r with msg, a backtrace taken here, the context and the
 * panic.qr* options. start_ns is left to the caller.
 */
void panic_report_fill(struct panic_report *r, const char *msg);
/*
 * Run the writer on r. Returns its result, or -ENODEV when there is no
 * writer or no framebuffer. panic() stops fbcon first (fbcon_stop());
 * the benchmarks leave it running.
 */
int panic_screen_draw(const struct panic_report *r,
		      struct panic_screen_result *res);

#endif
