// SPDX-License-Identifier: MIT
/*
 * panic_screen.c - the C side of the panic screen (keel/panic.h): the
 * panic.qr* options, the one writer slot, and the step of panic() that
 * hands the report to the writer.
 *
 * The writer slot holds one pointer to the writer's entry (function and
 * cookie together), installed with a compare-and-swap, so two writers
 * registering at once cannot both win and panic() never pairs one
 * writer's function with another's cookie. A draw counts itself in the
 * slot before it loads the pointer, and unregistering clears the
 * pointer before it waits for that count to reach zero: with both steps
 * sequentially consistent, either the draw sees the pointer cleared or
 * the unregistering CPU sees the draw and waits for it, so an entry is
 * never freed under a running writer. (panic() does not wait for the
 * CPUs it stops, so a writer being removed on another CPU at the moment
 * of a panic is a real case.) Nothing here allocates or locks:
 * panic_show_screen() may run in any context.
 */
#include <asm/cpu.h>
#include <keel/errno.h>
#include <keel/cmdline.h>
#include <keel/fb.h>
#include <keel/irq.h>
#include <keel/panic.h>
#include <keel/printk.h>
#include <keel/stacktrace.h>
#include <keel/string.h>
#include <keel/time.h>

static enum panic_qr_mode qr_mode = PANIC_QR_PLAIN;
static unsigned int qr_max_version = 40;
static char qr_url[PANIC_URL_MAX];

static struct panic_screen_slot screen_slot;

static int parse_qr_mode(const char *val)
{
	if (val && !strcmp(val, "plain"))
		qr_mode = PANIC_QR_PLAIN;
	else if (val && !strcmp(val, "zlib"))
		qr_mode = PANIC_QR_ZLIB;
	else
		return -EINVAL;
	return 0;
}
cmdline_param("panic.qr", parse_qr_mode);

static int parse_qr_url(const char *val)
{
	if (!val || strlcpy(qr_url, val, sizeof(qr_url)) >= sizeof(qr_url)) {
		qr_url[0] = '\0';
		return -EINVAL;
	}
	return 0;
}
cmdline_param("panic.qr_url", parse_qr_url);

static int parse_qr_version(const char *val)
{
	unsigned int v;
	int err = val ? kstrtouint(val, 10, &v) : -EINVAL;

	if (err)
		return err;
	if (v < 1 || v > 40)
		return -ERANGE;
	qr_max_version = v;
	return 0;
}
cmdline_param("panic.qr_version", parse_qr_version);

int panic_screen_slot_register(struct panic_screen_slot *slot,
			       struct panic_screen *s)
{
	struct panic_screen *none = NULL;

	if (!s || !s->fn)
		return -EINVAL;
	if (!__atomic_compare_exchange_n(&slot->cur, &none, s, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		return -EBUSY;
	return 0;
}

void panic_screen_slot_unregister(struct panic_screen_slot *slot,
				  struct panic_screen *s)
{
	struct panic_screen *mine = s;

	__atomic_compare_exchange_n(&slot->cur, &mine, NULL, false,
				    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&slot->drawing, __ATOMIC_SEQ_CST))
		cpu_relax();
}

int panic_screen_slot_draw(struct panic_screen_slot *slot,
			   const struct panic_report *r,
			   struct panic_screen_result *res)
{
	struct panic_screen *s;
	int err = -ENODEV;

	*res = (struct panic_screen_result){ 0 };
	__atomic_fetch_add(&slot->drawing, 1, __ATOMIC_SEQ_CST);
	s = __atomic_load_n(&slot->cur, __ATOMIC_SEQ_CST);
	if (s)
		err = s->fn(s->cookie, r, res);
	__atomic_fetch_sub(&slot->drawing, 1, __ATOMIC_RELEASE);
	return err;
}

int panic_screen_register(struct panic_screen *s)
{
	return panic_screen_slot_register(&screen_slot, s);
}

void panic_screen_unregister(struct panic_screen *s)
{
	panic_screen_slot_unregister(&screen_slot, s);
}

void panic_report_fill(struct panic_report *r, const char *msg)
{
	r->msg = msg;
	r->nr_trace =
		stack_trace_save_fp((unsigned long)__builtin_frame_address(0),
				    r->trace, PANIC_TRACE_MAX);
	r->in_irq = in_irq();
	r->qr_mode = qr_mode;
	r->qr_max_version = qr_max_version;
	r->qr_url = qr_url;
}

int panic_screen_draw(const struct panic_report *r,
		      struct panic_screen_result *res)
{
	if (!fb_get_primary()) {
		*res = (struct panic_screen_result){ 0 };
		return -ENODEV;
	}
	return panic_screen_slot_draw(&screen_slot, r, res);
}
