/* SPDX-License-Identifier: MIT */
/*
 * keel/fb.h - framebuffers: linear pixel memory the CPU draws into.
 *
 * A display driver sets a mode, maps the pixels and registers a struct
 * fb_info; from then on the framebuffer exists for the kernel's whole
 * life (it is never unregistered), so consoles and the panic screen may
 * keep a pointer to it. keel keeps one, the primary framebuffer.
 *
 * Pixels are 32-bit XRGB8888 (blue in the low byte), the only format the
 * drivers set today; fb_info.format says so, so a reader can check.
 * Drawing is plain stores to the mapping: no lock protects the pixels,
 * a writer that needs whole lines unbroken (fbcon) serializes itself.
 *
 * The console font (font_8x16, generated from drivers/video/font_8x16.txt)
 * lives here too: the console and the panic screen share it.
 */
#ifndef _KEEL_FB_H
#define _KEEL_FB_H

#include <keel/types.h>

enum fb_format {
	FB_FORMAT_XRGB8888 = 1, /* u32 per pixel: 0x00RRGGBB */
};

struct fb_info {
	const char *name;  /* driver's name for the device */
	u8 *base;	   /* mapped address of pixel (0, 0) */
	phys_addr_t phys;  /* physical address of pixel (0, 0) */
	u32 width, height; /* visible pixels */
	u32 pitch;	   /* bytes from one row to the next */
	enum fb_format format;
	size_t size; /* bytes mapped at base, >= pitch * height */
};

/*
 * Make info the primary framebuffer. Returns 0, -EINVAL (no mapping, a
 * format other than XRGB8888, rows that do not fit in size) or -EBUSY
 * (there already is one). info must live forever.
 */
int fb_register(struct fb_info *info);
/* The primary framebuffer, or NULL when no display was found. */
struct fb_info *fb_get_primary(void);

/* Fill a rectangle, clipped to the screen. */
void fb_fill_rect(struct fb_info *fb, u32 x, u32 y, u32 w, u32 h, u32 rgb);

/* The built-in console font: 8 pixels wide (bit 7 leftmost), 16 rows. */
#define FONT_WIDTH  8
#define FONT_HEIGHT 16
extern const u8 font_8x16[256][FONT_HEIGHT];

/* Draw character c at pixel (x, y), clipped to the screen. */
void fb_draw_glyph(struct fb_info *fb, u32 x, u32 y, u8 c, u32 fg, u32 bg);

/* fbcon (drivers/video/fbcon.c): start the text console on fb. */
int fbcon_init(struct fb_info *fb);
/*
 * Stop drawing the console for good (the panic screen owns the pixels
 * from now on). Safe from any context: a flag, no lock.
 */
void fbcon_stop(void);

#endif
