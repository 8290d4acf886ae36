// SPDX-License-Identifier: MIT
/*
 * panic_screen.c - the C side of the panic screen (keel/panic.h): the
 * panic.qr* options, the one writer slot, and the step of panic() that
 * hands the report to the writer.
 *
 * The writer slot is written at module init and read in panic(); it is
 * a pair of pointers published with a release store of the function, so
 * panic() never sees a function with another writer's cookie. Nothing
 * here allocates or locks: panic_show_screen() may run in any context.
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

static panic_screen_fn screen_fn;
static void *screen_cookie;

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

int panic_screen_register(panic_screen_fn fn, void *cookie)
{
	if (!fn)
		return -EINVAL;
	if (READ_ONCE(screen_fn))
		return -EBUSY;
	screen_cookie = cookie;
	__atomic_store_n(&screen_fn, fn, __ATOMIC_RELEASE);
	return 0;
}

void panic_screen_unregister(void *cookie)
{
	if (screen_cookie == cookie)
		__atomic_store_n(&screen_fn, NULL, __ATOMIC_RELEASE);
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
	panic_screen_fn fn = __atomic_load_n(&screen_fn, __ATOMIC_ACQUIRE);

	*res = (struct panic_screen_result){ 0 };
	if (!fn || !fb_get_primary())
		return -ENODEV;
	return fn(screen_cookie, r, res);
}
