// SPDX-License-Identifier: MIT
/*
 * fbcon.c - a text console on the primary framebuffer.
 *
 * The screen is a grid of 8x16 cells (font_8x16). Characters are drawn
 * where the cursor is; '\n' moves to the next line, '\r' to its start,
 * '\b' one cell back, '\t' to the next multiple of 8. At the bottom the
 * console jump-scrolls: the lower half of the screen moves to the top
 * and the cursor continues in the middle. Moving half a screen at once
 * costs one pixel copy per line shown, instead of a whole screen per
 * line, which matters when every boot and every test run draws its log.
 *
 * At start the console replays the log ring, so the boot messages
 * printed before the display existed (the banner first) are on screen,
 * then it registers as a console. Locking: printk calls write() under
 * its logbuf_lock, which serializes all drawing; once fbcon_stop() (the
 * panic screen) ran, write() draws nothing.
 */
#include <keel/fb.h>
#include <keel/printk.h>

#define FG 0xaaaaaa
#define BG 0x000000

static struct {
	struct fb_info *fb;
	u32 cols, rows;
	u32 cx, cy;
	bool stopped;
} con;

/* Copy n rows of pixels from row `from` up to row `to` (to < from). */
static void move_rows_up(u32 to, u32 from, u32 n)
{
	struct fb_info *fb = con.fb;
	size_t words = (size_t)fb->pitch * n / 8;
	volatile u64 *d = (u64 *)(fb->base + (size_t)to * fb->pitch);
	volatile u64 *s = (u64 *)(fb->base + (size_t)from * fb->pitch);

	for (size_t i = 0; i < words; i++)
		d[i] = s[i];
}

static void scroll(void)
{
	u32 keep = con.rows / 2, drop = con.rows - keep;

	move_rows_up(0, drop * FONT_HEIGHT, keep * FONT_HEIGHT);
	fb_fill_rect(con.fb, 0, keep * FONT_HEIGHT, con.fb->width,
		     drop * FONT_HEIGHT, BG);
	con.cy = keep;
}

static void newline(void)
{
	con.cx = 0;
	if (++con.cy == con.rows)
		scroll();
}

static void put_char(char c)
{
	switch (c) {
	case '\n': newline(); return;
	case '\r': con.cx = 0; return;
	case '\b':
		if (con.cx)
			con.cx--;
		return;
	case '\t':
		con.cx = (con.cx + 8) & ~7U;
		if (con.cx >= con.cols)
			newline();
		return;
	}
	if (con.cx == con.cols)
		newline();
	fb_draw_glyph(con.fb, con.cx * FONT_WIDTH, con.cy * FONT_HEIGHT, (u8)c,
		      FG, BG);
	con.cx++;
}

static void fbcon_write(struct console *c, const char *s, size_t len)
{
	if (READ_ONCE(con.stopped))
		return;
	for (size_t i = 0; i < len; i++)
		put_char(s[i]);
}

static struct console fb_console = {
	.name = "fbcon",
	.write = fbcon_write,
};

void fbcon_stop(void)
{
	WRITE_ONCE(con.stopped, true);
}

int fbcon_init(struct fb_info *fb)
{
	char buf[256];
	u64 pos = 0;
	size_t n;

	con.fb = fb;
	con.cols = fb->width / FONT_WIDTH;
	con.rows = fb->height / FONT_HEIGHT;
	while ((n = log_buf_read(&pos, buf, sizeof(buf))) != 0)
		fbcon_write(&fb_console, buf, n);
	register_console(&fb_console);
	pr_info("fbcon: %ux%u text console on %s\n", con.cols, con.rows,
		fb->name);
	return 0;
}
