// SPDX-License-Identifier: MIT
/*
 * fb.c - the primary framebuffer (keel/fb.h) and the two drawing
 * primitives C uses on it: filled rectangles and font glyphs.
 *
 * Registration happens once, at boot, from a display driver's probe; the
 * pointer is published with a release store so a reader that sees it
 * sees the whole struct. Drawing clips to the visible area and never
 * touches memory outside base .. base + size.
 */
#include <keel/errno.h>
#include <keel/fb.h>
#include <keel/printk.h>

static struct fb_info *primary;

int fb_register(struct fb_info *info)
{
	if (!info || !info->base || info->format != FB_FORMAT_XRGB8888 ||
	    !info->width || !info->height || info->pitch < info->width * 4 ||
	    (u64)info->pitch * info->height > info->size)
		return -EINVAL;
	if (!__atomic_compare_exchange_n(&primary, &(struct fb_info *){ NULL },
					 info, false, __ATOMIC_RELEASE,
					 __ATOMIC_RELAXED))
		return -EBUSY;
	pr_info("fb: %s %ux%u, pitch %u, XRGB8888 at %#llx\n", info->name,
		info->width, info->height, info->pitch, info->phys);
	return 0;
}

struct fb_info *fb_get_primary(void)
{
	return __atomic_load_n(&primary, __ATOMIC_ACQUIRE);
}

static inline u32 *fb_row(struct fb_info *fb, u32 y)
{
	return (u32 *)(fb->base + (size_t)y * fb->pitch);
}

void fb_fill_rect(struct fb_info *fb, u32 x, u32 y, u32 w, u32 h, u32 rgb)
{
	if (x >= fb->width || y >= fb->height)
		return;
	w = min(w, fb->width - x);
	h = min(h, fb->height - y);
	for (u32 j = 0; j < h; j++) {
		volatile u32 *p = fb_row(fb, y + j) + x;

		for (u32 i = 0; i < w; i++)
			p[i] = rgb;
	}
}

void fb_draw_glyph(struct fb_info *fb, u32 x, u32 y, u8 c, u32 fg, u32 bg)
{
	const u8 *g = font_8x16[c];

	if (x + FONT_WIDTH > fb->width || y + FONT_HEIGHT > fb->height)
		return;
	for (u32 j = 0; j < FONT_HEIGHT; j++) {
		volatile u32 *p = fb_row(fb, y + j) + x;
		u8 bits = g[j];

		for (u32 i = 0; i < FONT_WIDTH; i++)
			p[i] = bits & (0x80 >> i) ? fg : bg;
	}
}
