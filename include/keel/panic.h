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

/*
 * A writer's entry: fn and the cookie it gets, read by panic() as one
 * pointer, so it never pairs a function with another writer's cookie.
 * The writer owns it; it must stay valid and unchanged from
 * panic_screen_register() until panic_screen_unregister() returns.
 */
struct panic_screen {
	panic_screen_fn fn;
	void *cookie;
};

/*
 * Where the entry is installed. panic() uses one global slot; the
 * functions taking a slot exist so that tests can use a slot of their
 * own. An all-zero slot is empty.
 */
struct panic_screen_slot {
	struct panic_screen *cur;
	int drawing; /* panic_screen_slot_draw() calls in progress */
};

/* Install s (one writer at a time): 0, -EINVAL or -EBUSY. Any context. */
int panic_screen_slot_register(struct panic_screen_slot *slot,
			       struct panic_screen *s);
/*
 * Remove s if it is the installed entry, then wait until no draw that
 * may have seen it still runs: afterwards the caller may free s and its
 * cookie. Never from inside the writer (it would wait for itself).
 */
void panic_screen_slot_unregister(struct panic_screen_slot *slot,
				  struct panic_screen *s);
/* Run the installed writer on r: its result, or -ENODEV without one. */
int panic_screen_slot_draw(struct panic_screen_slot *slot,
			   const struct panic_report *r,
			   struct panic_screen_result *res);

/* The same on the global slot that panic() draws from. */
int panic_screen_register(struct panic_screen *s);
void panic_screen_unregister(struct panic_screen *s);

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
